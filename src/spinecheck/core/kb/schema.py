"""Pydantic models for every file in the knowledge base.

The models are strict (unknown keys are errors) so that a typo in a YAML file is caught on
load rather than silently ignored. Cross-references between files (a likelihood naming a
finding, a number naming a source) are checked by the loader once everything is read.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from spinecheck.core.triage_levels import TriageLevel

SCHEMA_VERSION = 1

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
PlainText = Annotated[str, Field(min_length=1, max_length=2000)]


class Strict(BaseModel):
    """Base for all knowledge-base records: unknown keys are errors, records are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class EvidenceGrade(StrEnum):
    """How directly a number was checked against its source (the tags of clinical-evidence.md)."""

    VERIFIED = "verified"
    SECONDARY = "secondary"
    EXPERT = "expert"
    DERIVED = "derived"
    PROJECT = "project"


class SourceKind(StrEnum):
    """What sort of publication a source is, so the share of numbers resting on each can be reported."""

    GUIDELINE = "guideline"
    SYSTEMATIC_REVIEW = "systematic_review"
    STUDY = "study"
    REVIEW = "review"
    TEXTBOOK = "textbook"
    COMPILATION = "compilation"
    MODEL_ASSUMPTION = "model_assumption"
    POLICY = "policy"


class Source(Strict):
    """A citation that numbers and rules point at by id."""

    id: Identifier
    citation: PlainText
    url: str | None = None
    grade: EvidenceGrade = EvidenceGrade.VERIFIED
    kind: SourceKind


# ---------------------------------------------------------------------------
# Logical expressions over findings and demographics (red flags, prior modifiers)
# ---------------------------------------------------------------------------


class AllOf(Strict):
    """True when every part is true (three-valued: false wins over unknown)."""

    all: list[Expression] = Field(min_length=1)


class AnyOf(Strict):
    """True when at least one part is true (three-valued: true wins over unknown)."""

    any: list[Expression] = Field(min_length=1)


class AtLeast(Strict):
    """True when at least `count` of the parts are true."""

    at_least: int = Field(ge=1)
    of: list[Expression] = Field(min_length=1)


class Not(Strict):
    """Negation; unknown stays unknown."""

    not_: Expression = Field(alias="not")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Presumed(Strict):
    """True unless every listed finding was answered "no".

    For what the people spinecheck serves bring with them: someone checking back or leg symptoms
    is presumed to have back or leg pain until they say they have none, so a rule such as "new
    loss of bladder control with back or leg pain" is not held back by a pain question nobody has
    answered yet.
    """

    presumed: list[Identifier] = Field(min_length=1)


class Unless(Strict):
    """True unless one of the listed findings was answered "yes"; never unknown.

    For a rule's known exceptions: sudden severe upper back pain is an aortic emergency unless it
    began with a fall or a lift, which points to a fracture or a strain. An exception nobody has
    mentioned does not hold the rule back, and the findings listed are not warning signs.
    """

    unless: list[Identifier] = Field(min_length=1)


class AgeAtLeast(Strict):
    """True when the person's age in years is at least this value.

    `or_unknown` counts an age nobody gave as reaching it: for a rule that leaves out young children
    only because a sign of its own is normal at their age (a pulse over 100), an unknown age must not
    hold the rule back for everyone else.
    """

    age_at_least: int = Field(ge=0, le=130)
    or_unknown: bool = False


class AgeBelow(Strict):
    """True when the person's age in years is below this value."""

    age_below: int = Field(ge=0, le=130)


Sex = Literal["female", "male"]


class SexIs(Strict):
    """True when the person's recorded sex is this one."""

    sex: Sex


Expression = Annotated[
    "Identifier | AllOf | AnyOf | AtLeast | Not | Presumed | Unless | AgeAtLeast | AgeBelow | SexIs",
    Field(union_mode="left_to_right"),
]

for _model in (AllOf, AnyOf, AtLeast, Not):
    _model.model_rebuild()


def _parts(expr: Expression) -> list[Expression]:
    """The sub-expressions of a node (none for a leaf)."""
    if isinstance(expr, AllOf):
        return list(expr.all)
    if isinstance(expr, AnyOf):
        return list(expr.any)
    if isinstance(expr, AtLeast):
        return list(expr.of)
    if isinstance(expr, Not):
        return [expr.not_]
    return []


def expression_findings(expr: Expression) -> set[str]:
    """Every finding id an expression mentions."""
    if isinstance(expr, str):
        return {expr}
    if isinstance(expr, Presumed):
        return set(expr.presumed)
    if isinstance(expr, Unless):
        return set(expr.unless)
    return set().union(*(expression_findings(part) for part in _parts(expr)))


def person_reads(expr: Expression) -> set[str]:
    """What of the person an expression reads: "age", "sex", and "history" for any finding."""
    if isinstance(expr, AgeAtLeast | AgeBelow):
        return {"age"}
    if isinstance(expr, SexIs):
        return {"sex"}
    if isinstance(expr, str | Presumed | Unless):
        return {"history"}
    return set().union(*(person_reads(part) for part in _parts(expr)))


def exception_findings(expr: Expression) -> set[str]:
    """The findings an expression reads only as exceptions (`unless`): they can clear it, never raise it."""
    if isinstance(expr, Unless):
        return set(expr.unless)
    return set().union(*(exception_findings(part) for part in _parts(expr)))


# ---------------------------------------------------------------------------
# Findings
# ---------------------------------------------------------------------------


class FindingCategory(StrEnum):
    SYMPTOM = "symptom"
    SIGN = "sign"
    HISTORY = "history"
    RISK_FACTOR = "risk_factor"
    RED_FLAG = "red_flag"
    TEST = "test"


class Sourced(Strict):
    """A number together with the source it comes from."""

    value: Probability
    source: Identifier
    note: str | None = None


class CutOff(Strict):
    """The value of one measured quantity at which a finding is present, as the finding defines it.

    Exactly one of `at_least`, `above`, `at_most` or `below` is given. A text reader compares a number stated
    for `quantity` ("CRP 84", "heart rate 124/min") with it, so each cut-off is written once, here.
    """

    quantity: Identifier
    at_least: float | None = None
    above: float | None = None
    at_most: float | None = None
    below: float | None = None
    unit: str = Field(min_length=1, max_length=20)
    # An adult cut-off ("ALP above 150 U/L") does not hold for a growing child, whose normal values are
    # higher: a value is then read only for someone known to be at least this old.
    from_age: int | None = Field(default=None, ge=1, le=100)
    # The finding is a value outside the laboratory's normal range ("raised CRP"), and this is only the usual
    # limit: a normal range stated beside the value ("CRP 11.5 (normal below 5)") decides instead.
    stated_range_decides: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _one_comparison(self) -> CutOff:
        if sum(value is not None for value in (self.at_least, self.above, self.at_most, self.below)) != 1:
            raise ValueError("a cut-off gives exactly one of at_least, above, at_most or below")
        return self

    @property
    def is_upper(self) -> bool:
        """True when values above the cut-off make the finding present (a raised value), False for a low one."""
        return self.at_least is not None or self.above is not None

    def passed_by(self, value: float) -> bool:
        """True when a measured value makes the finding present."""
        if self.at_least is not None:
            return value >= self.at_least
        if self.above is not None:
            return value > self.above
        if self.at_most is not None:
            return value <= self.at_most
        return self.below is not None and value < self.below


class SettledByAge(Strict):
    """A finding that a person's age answers once one of `given_any` is present: back pain in
    someone younger than 45 began before 45."""

    below: int = Field(ge=1, le=130)
    given_any: list[Identifier] = Field(min_length=1)


class SilenceAbout(Strict):
    """What a free description's silence about `finding` says: a person who has it names it with
    probability `mention_rate`, so silence is weak evidence against it. The compiler derives the
    silence finding's likelihoods from `finding`'s (1 - rate x P(finding | condition))."""

    finding: Identifier
    mention_rate: Sourced


class Finding(Strict):
    """Something a person reports or a clinician observes, answered yes / no / don't know.

    Findings that share an `exclusive_group` are the options of one choice question (for
    example the duration of the episode): at most one of them is present, and when one is
    present the others are absent.

    Findings that share a `closed_list` are answered as one list, the way a person ticks every
    place where it hurts: when one of them is present, the others not given are absent.
    """

    id: Identifier
    label: PlainText
    question: PlainText
    type: Literal["boolean", "choice"] = "boolean"
    category: FindingCategory
    exclusive_group: Identifier | None = None
    closed_list: Identifier | None = None
    synonyms: list[str] = Field(default_factory=list)
    snomed: str | None = Field(default=None, pattern=r"^[0-9]{6,18}$")
    clinician_only: bool = False
    lateral: bool = False
    background: Sourced
    cutoffs: list[CutOff] = Field(default_factory=list)
    implies: list[Identifier] = Field(
        default_factory=list,
        description="More general findings that are present whenever this one is (foot drop -> leg weakness).",
    )
    sides: list[Identifier] = Field(
        default_factory=list,
        description=(
            "Findings that imply this one and split it: whenever this one is present exactly one of them"
            " holds (leg pain is in one leg or in both)."
        ),
    )
    splits: list[list[Identifier]] = Field(
        default_factory=list,
        description=(
            "Further ways `sides` has of dividing this finding: the findings of each list imply this one, and"
            " whenever this one is present exactly one of them holds (leg pain stays above the knee or goes below it)."
        ),
    )
    sex: Sex | None = Field(
        default=None,
        description="The one sex this finding can occur in (pregnancy, a tender prostate); its presence tells the sex.",
    )
    settled_by_age: SettledByAge | None = None
    silence_about: SilenceAbout | None = Field(
        default=None,
        description=(
            "This finding is a description's silence about another: only a text reader sets it, nobody is"
            " asked it, and no rule, cluster or condition names it."
        ),
    )

    @property
    def divisions(self) -> list[list[Identifier]]:
        """Every way this finding divides into parts, one holding whenever it does: its sides, then its splits."""
        return [parts for parts in (self.sides, *self.splits) if parts]

    @model_validator(mode="after")
    def _choice_needs_group(self) -> Finding:
        if self.type == "choice" and self.exclusive_group is None:
            raise ValueError("a 'choice' finding needs an exclusive_group")
        if self.sides and (len(self.sides) < 2 or len(set(self.sides)) != len(self.sides)):
            raise ValueError("'sides' lists two or more different findings")
        if any(len(parts) < 2 or len(set(parts)) != len(parts) for parts in self.splits):
            raise ValueError("each of 'splits' lists two or more different findings")
        quantities = [cutoff.quantity for cutoff in self.cutoffs]
        if len(quantities) != len(set(quantities)):
            raise ValueError("a finding gives one cut-off per quantity")
        if self.silence_about is not None and (
            self.implies or self.sides or self.splits or self.exclusive_group or self.closed_list or self.cutoffs
            or self.settled_by_age or self.synonyms
        ):
            raise ValueError("a silence finding stands alone: no implies, sides, groups, lists, cut-offs or synonyms")
        return self


class FindingsFile(Strict):
    schema_version: Literal[1]
    findings: list[Finding]


# ---------------------------------------------------------------------------
# Conditions
# ---------------------------------------------------------------------------


class Rarity(StrEnum):
    VERY_COMMON = "very_common"
    COMMON = "common"
    UNCOMMON = "uncommon"
    RARE = "rare"
    VERY_RARE = "very_rare"


class Accuracy(Strict):
    """A published accuracy figure of one finding for one condition, as its source reports it.

    Kept beside the likelihood it justifies so that the evidence table (docs/evidence-tables.md)
    can set the published ratios against the ratios the model implies.
    """

    sens: Probability | None = None
    spec: Probability | None = None
    lr_pos: float | None = Field(default=None, gt=0.0)
    lr_neg: float | None = Field(default=None, ge=0.0)
    setting: PlainText


class Likelihood(Strict):
    """P(finding present | condition), with its source."""

    finding: Identifier
    p: Probability
    source: Identifier
    note: str | None = None
    accuracy: Accuracy | None = None


class PriorModifier(Strict):
    """Multiplies a condition's prior when `when` is known to be true (risk factors, age, sex)."""

    when: Expression
    multiplier: float = Field(gt=0.0, le=1000.0)
    source: Identifier
    note: str | None = None


class Treatment(Strict):
    kind: Literal[
        "medicine", "physiotherapy", "exercise", "psychological", "injection", "surgery",
        "complementary", "device", "other",
    ]
    name: PlainText
    evidence: PlainText
    source: Identifier


class Care(Strict):
    """What a person can do and which help exists; every sentence in plain words."""

    treatments: list[Treatment] = Field(default_factory=list)
    self_care: list[PlainText] = Field(default_factory=list)
    not_recommended: list[PlainText] = Field(default_factory=list)
    specialist: PlainText
    seek_care_sooner: list[PlainText] = Field(default_factory=list)
    source: Identifier


SHARE_TOLERANCE = 0.005
"""How far the shares of a condition's forms may add up away from one (rounding in the sources)."""


class ConditionForm(Strict):
    """One way a condition shows itself, with its share of the people who have the condition.

    Some conditions are a mixture: a spinal infection presses on the cord or nerve roots in about
    a third of people and causes back pain alone in the rest. Signs that come together in one form
    (weakness, numbness, a bladder that will not empty) are not independent given the condition,
    only given the form (docs/adr/0023-forms-of-a-condition.md).
    """

    id: Identifier
    name: PlainText
    share: Sourced
    likelihoods: list[Likelihood] = Field(min_length=1)
    urgency: TriageLevel | None = None
    """How soon this form needs care, where that is sooner than the condition's own urgency."""
    urgency_source: Identifier | None = None


class Condition(Strict):
    """A possible cause of the person's symptoms and everything the engine and the card need."""

    schema_version: Literal[1]
    id: Identifier
    name: PlainText
    aliases: list[str] = Field(default_factory=list)
    icd10: str = Field(pattern=r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$")
    snomed: str = Field(pattern=r"^[0-9]{6,18}$")
    description: PlainText
    rarity: Rarity
    prior: Sourced
    prior_modifiers: list[PriorModifier] = Field(default_factory=list)
    urgency: TriageLevel
    top_symptoms: list[Identifier] = Field(min_length=1)
    always: list[Identifier] = Field(default_factory=list)
    never: list[Identifier] = Field(default_factory=list)
    likelihoods: list[Likelihood] = Field(min_length=1)
    care: Care
    age_range: tuple[int, int] = (16, 120)
    forms: list[ConditionForm] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_likelihood_per_finding(self) -> Condition:
        seen: set[str] = set()
        for item in self.likelihoods:
            if item.finding in seen:
                raise ValueError(f"finding '{item.finding}' has two likelihoods")
            seen.add(item.finding)
        return self

    @model_validator(mode="after")
    def _forms_are_one_whole(self) -> Condition:
        """Forms: two or more, shares adding up to one, each giving the same findings and none of the
        condition's own (a finding's likelihood for the condition is then its forms' share-weighted mean)."""
        if not self.forms:
            return self
        if len(self.forms) < 2:
            raise ValueError("a condition with forms needs at least two")
        ids = [form.id for form in self.forms]
        if len(set(ids)) != len(ids):
            raise ValueError("two forms have the same id")
        total = sum(form.share.value for form in self.forms)
        if abs(total - 1.0) > SHARE_TOLERANCE:
            raise ValueError(f"the shares of the forms add up to {total:.3f}, not 1")
        for form in self.forms:
            findings = [item.finding for item in form.likelihoods]
            if len(set(findings)) != len(findings):
                raise ValueError(f"form '{form.id}' gives a finding two likelihoods")
        given = {item.finding for item in self.forms[0].likelihoods}
        for form in self.forms[1:]:
            other = {item.finding for item in form.likelihoods}
            if other != given:
                differ = ", ".join(sorted(other ^ given))
                raise ValueError(f"forms '{self.forms[0].id}' and '{form.id}' do not give the same findings ({differ})")
        for form in self.forms:
            if form.urgency is not None:
                if form.urgency.rank <= self.urgency.rank:
                    raise ValueError(f"form '{form.id}' gives an urgency that is not above the condition's own")
                if form.urgency_source is None:
                    raise ValueError(f"form '{form.id}' gives an urgency without its source")
        own = given.intersection(item.finding for item in self.likelihoods)
        if own:
            raise ValueError(f"findings given by the forms are also given by the condition: {', '.join(sorted(own))}")
        return self

    @property
    def form_findings(self) -> tuple[str, ...]:
        """The findings whose likelihood depends on the form, in the order the first form gives them."""
        return tuple(item.finding for item in self.forms[0].likelihoods) if self.forms else ()

    @property
    def all_likelihoods(self) -> list[Likelihood]:
        """The condition's own likelihoods, then for each finding its forms give, the forms' share-weighted
        mean: what one answer alone says about the condition, with the source of the largest part."""
        if not self.forms:
            return self.likelihoods
        mixed = list(self.likelihoods)
        for finding in self.form_findings:
            parts = [(form, next(item for item in form.likelihoods if item.finding == finding)) for form in self.forms]
            p = sum(form.share.value * item.p for form, item in parts)
            largest = max(parts, key=lambda part: part[0].share.value * part[1].p)[1]
            described = "; ".join(f"{form.id} {form.share.value:g} x {item.p:g}" for form, item in parts)
            mixed.append(Likelihood(
                finding=finding, p=round(min(1.0, p), 6), source=largest.source,
                note=f"share-weighted mean over the forms ({described})",
            ))
        return mixed

    @property
    def written_likelihoods(self) -> list[tuple[ConditionForm | None, Likelihood]]:
        """Every likelihood as the knowledge base writes it: the condition's own (form None), then each
        form's, each with its own source (what the evidence tables and the source shares count)."""
        return [(None, item) for item in self.likelihoods] + [
            (form, item) for form in self.forms for item in form.likelihoods
        ]

    def as_form(self, form: ConditionForm, row_id: str) -> Condition:
        """This condition as if it always took `form`: its own likelihoods and the form's, no forms."""
        likelihoods = [*self.likelihoods, *form.likelihoods]
        return self.model_copy(update={"id": row_id, "likelihoods": likelihoods, "forms": []})


# ---------------------------------------------------------------------------
# Red flags and the triage policy
# ---------------------------------------------------------------------------


class RedFlagRule(Strict):
    """A deterministic rule that sets a minimum triage level, whatever the probabilities say."""

    id: Identifier
    name: PlainText
    level: TriageLevel
    call_ambulance: bool = False
    when: Expression
    message: PlainText
    source: Identifier
    suspects: list[Identifier] = Field(default_factory=list)


class RedFlagsFile(Strict):
    schema_version: Literal[1]
    rules: list[RedFlagRule]


class LevelText(Strict):
    headline: PlainText
    advice: PlainText


class IncompletePolicy(Strict):
    """What a result is when the warning-sign screen for the person is not answered.

    Such a result is never an all-clear: its level is at least `min_level`, and the reasons
    say why in the words below (`nothing_given` when no answer at all could be used).
    """

    min_level: TriageLevel = TriageLevel.ROUTINE
    source: Identifier = "spinecheck_triage_policy"
    nothing_given: PlainText = (
        "Nothing that was given could be used: no symptom or answer was recognised, so spinecheck cannot say "
        "whether this is safe to look after at home."
    )
    screen_open: PlainText = (
        "Some warning-sign questions have not been answered, so spinecheck cannot say that this is safe to look "
        "after at home. Answer the questions listed, or get advice from a doctor."
    )

    @model_validator(mode="after")
    def _never_self_care(self) -> IncompletePolicy:
        if self.min_level == TriageLevel.SELF_CARE:
            raise ValueError("an unanswered screen can never give self care: min_level must be above self_care")
        return self


class SeriousShare(Strict):
    """The share of the prior that the serious spinal causes hold where spinecheck is used.

    The condition priors come from cohorts in primary care. People who turn to spinecheck with weak or
    numb legs, and the clinicians who enter their examination in an emergency department or a clinic,
    see serious causes more often. The log priors are scaled by one exponent, found when the model is
    compiled, so that `conditions` together hold `value` of the prior: their order among themselves and
    against every other cause is kept, only the gap between common and rare narrows
    (docs/adr/0012-priors-across-settings.md).
    """

    value: Probability
    conditions: list[Identifier] = Field(min_length=1)
    source: Identifier
    note: str | None = None


class TriagePolicy(Strict):
    """Numbers and words that turn probabilities and red flags into a triage level.

    `thresholds[level]` is the posterior probability above which a condition whose urgency is
    `level` pulls the triage up to that level.
    """

    schema_version: Literal[1]
    version: str
    thresholds: dict[TriageLevel, Probability]
    thresholds_source: Identifier
    pooled_thresholds: dict[TriageLevel, Probability] = Field(
        default_factory=dict,
        description="The probability, summed over every condition at least this urgent, that raises the level to it.",
    )
    leak: Sourced
    likelihood_floor: Sourced
    serious_share: SeriousShare | None = None
    levels: dict[TriageLevel, LevelText]
    disclaimer: PlainText
    emergency_services: PlainText
    incomplete: IncompletePolicy = IncompletePolicy()

    @model_validator(mode="after")
    def _all_levels_have_text(self) -> TriagePolicy:
        missing = [level.value for level in TriageLevel if level not in self.levels]
        if missing:
            raise ValueError(f"levels without text: {', '.join(missing)}")
        return self


class SourcesFile(Strict):
    schema_version: Literal[1]
    sources: list[Source]


# ---------------------------------------------------------------------------
# Clusters: signs whose published accuracy is known as a group (docs/adr/0009-correlated-findings.md)
# ---------------------------------------------------------------------------


class ClusterRatio(Strict):
    """A published likelihood ratio for a count of positive members.

    `positive_at_least: k` applies once k members are known to be positive; `positive_at_most: k`
    only when every member is answered and at most k are positive. The first that applies is used.
    """

    positive_at_least: int | None = Field(default=None, ge=1)
    positive_at_most: int | None = Field(default=None, ge=0)
    ratio: float = Field(gt=0)

    @model_validator(mode="after")
    def _one_bound(self) -> ClusterRatio:
        if (self.positive_at_least is None) == (self.positive_at_most is None):
            raise ValueError("give exactly one of positive_at_least and positive_at_most")
        return self


class Cluster(Strict):
    """Signs that are not independent given a condition, with the likelihood ratio of the group.

    When one of its ratios applies, the members' own answers stop counting for `condition` and the
    group's ratio (against back-pain presenters in general) counts once instead.
    """

    id: Identifier
    name: PlainText
    condition: Identifier
    members: list[Expression] = Field(min_length=2)
    ratios: list[ClusterRatio] = Field(min_length=1)
    source: Identifier
    note: str | None = None


class ClustersFile(Strict):
    schema_version: Literal[1]
    clusters: list[Cluster]

