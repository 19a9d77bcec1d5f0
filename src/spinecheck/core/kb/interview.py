"""The schema of `knowledge/interview.yaml`: the adaptive interview's tunable numbers and checklists.

These are policy numbers, not clinical facts: which findings the red-flag screen asks about
comes from `red_flags.yaml`, and every probability from the conditions. The interview
(`spinecheck.core.interview`) reads them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from spinecheck.core.kb import schema
from spinecheck.core.kb.schema import Expression, Identifier
from spinecheck.core.triage_levels import TriageLevel

POLICY_FILE = "interview.yaml"


class ChecklistItem(BaseModel):
    """One line of a checklist: the finding it stands for, in a person's words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    finding: Identifier
    text: str = Field(min_length=1, max_length=160)


class Checklist(BaseModel):
    """Several findings put as one question: "which of these do you have?" (tick all that apply).

    Ticked items are "yes"; "none of these" makes every item "no"; items left unticked beside a
    ticked one stay unknown, because a person may have missed them (or are "no" where the
    checklist says so). Screen checklists open the interview, in the order they are written.

    A `results` checklist asks what tests a person has already had were found to show (ADR 0024):
    its items may be findings otherwise left to clinicians, since a person can repeat what they
    were told, and it has no "none of these", since someone who had no test, or was not told,
    knows nothing either way; an item not ticked stays unknown.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Identifier
    text: str = Field(min_length=1, max_length=200)
    screen: bool = False
    # What an unticked item beside a ticked one means: "unknown" (it may have been missed) or, where
    # a person surely knows (where it hurts), "no".
    unticked: Literal["unknown", "no"] = "unknown"
    results: bool = False
    items: tuple[ChecklistItem, ...] = Field(min_length=2, max_length=20)

    @model_validator(mode="after")
    def _results_tell_only_what_was_found(self) -> Checklist:
        if self.results and (self.screen or self.unticked != "unknown"):
            raise ValueError("a results checklist is not on the screen and leaves unticked items unknown")
        return self


class Scale(BaseModel):
    """A number on a scale that answers one finding: "how bad is the pain, from 0 to 10?" gives
    `finding` present from `present_from` up and absent below it (the cut-off of its own definition)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Identifier
    text: str = Field(min_length=1, max_length=200)
    finding: Identifier
    lowest: int = Field(default=0, ge=0, le=100)
    highest: int = Field(default=10, ge=1, le=100)
    present_from: int

    @model_validator(mode="after")
    def _cut_off_inside(self) -> Scale:
        if not self.lowest < self.present_from <= self.highest:
            raise ValueError("present_from must lie above lowest and at most highest")
        if self.highest - self.lowest > 20:
            raise ValueError("a scale has at most 21 points")
        return self


class AskOnlyWhen(BaseModel):
    """A question that is asked only while `when` is not false for the person."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    question: Identifier
    when: Expression


class InterviewPolicy(BaseModel):
    """The interview's tunable numbers (`knowledge/interview.yaml`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1]
    source: Identifier
    max_questions: int = Field(ge=1, le=200)
    screen_size: int = Field(ge=0, le=50)
    screen_min_level: TriageLevel = TriageLevel.EMERGENCY
    triage_weight: float = Field(ge=0.0)
    upward_factor: float = Field(ge=1.0)
    level_change_floor: float = Field(ge=0.0, le=1.0)
    leader_probability: float = Field(gt=0.0, le=1.0)
    leader_change_floor: float = Field(default=1.0, ge=0.0, le=1.0)
    min_information_gain: float = Field(ge=0.0)
    no_answer_probability: float = Field(default=1.0, gt=0.0, le=1.0)
    dont_know_weight: float = Field(default=0.0, ge=0.0, le=1.0)
    prior_flattening: float = Field(default=0.0, ge=0.0, le=1.0)
    screen_escalation_weight: float = Field(default=0.0, ge=0.0)
    urgency_tilt: float = Field(default=0.0, ge=0.0, le=5.0)
    screen_floor: float = Field(default=0.0, ge=0.0, le=1.0)
    # The chance that a person has had a test and was told what it showed, by which the planner
    # weighs a tick on a `results` checklist (the rest of the mass is "don't know").
    results_known_probability: float = Field(default=1.0, gt=0.0, le=1.0)
    follow_up_depth: int = Field(default=0, ge=0, le=5)
    escalation_follow_up_depth: int = Field(default=0, ge=0, le=5)
    open_rule_floor: float = Field(default=1.0, ge=0.0, le=1.0)
    open_rule_min_level: TriageLevel = TriageLevel.URGENT
    choice_prompt: str = Field(min_length=1, max_length=200)
    none_option: str = Field(min_length=1, max_length=80)
    checklists: tuple[Checklist, ...] = ()
    scales: tuple[Scale, ...] = ()
    # Questions asked first, in this order, before the warning-sign screen (the main complaint, where it
    # hurts, how bad): ids of checklists, scales, choice groups or findings.
    opening: tuple[Identifier, ...] = ()
    # A question (finding, choice group or checklist id) is not asked while its condition is false,
    # for example pregnancy questions for men; unknown age or sex leaves it askable.
    ask_only_when: tuple[AskOnlyWhen, ...] = ()


# `Expression` names the schema's expression models lazily; resolve them in the schema's namespace.
AskOnlyWhen.model_rebuild(_types_namespace=vars(schema))
InterviewPolicy.model_rebuild(_types_namespace=vars(schema))
