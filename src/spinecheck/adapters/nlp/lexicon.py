"""The language lexicon: every word and rule the free-text reader uses, read from YAML and validated.

The reader itself knows no English. Extra phrases for findings, the ConText rules (negation,
uncertainty, history, hypotheticals, other people, scope terminators, pseudo-triggers), the
words for left and right, how durations and ages are written and which words carry no meaning
all live in `knowledge/lexicon/<language>.yaml`. A typo in that file is an error on load, with
the entry named, never a silently ignored rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from spinecheck.adapters.nlp.build_cache import BuildCache
from spinecheck.adapters.nlp.building import collector_paused
from spinecheck.core.kb.loader import DEFAULT_ROOT, KnowledgeBase

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Phrase = Annotated[str, Field(min_length=1, max_length=200)]
Side = Literal["left", "right", "both"]
ReadSide = Literal["left", "right", "both", "one"]
"""A side as the reader may take it: "one" is one side of two, not said which ("one of my legs")."""


def _no_yaml_booleans(value: Any, where: str = "pattern") -> None:
    """YAML reads bare yes/no/on/off as booleans; inside a word list that is always a mistake."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("IN", "NOT_IN") and any(isinstance(word, bool) for word in item):
                raise ValueError(f"{where}: a word list holds true/false; quote \"yes\", \"no\", \"on\" and \"off\"")
            _no_yaml_booleans(item, where)
    elif isinstance(value, list):
        for item in value:
            _no_yaml_booleans(item, where)


def _check_pattern(pattern: list[dict[str, Any]]) -> list[dict[str, Any]]:
    _no_yaml_booleans(pattern)
    return pattern


TokenPattern = Annotated[list[dict[str, Any]], AfterValidator(_check_pattern)]

CONTEXT_CATEGORIES = (
    "NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HISTORICAL", "HYPOTHETICAL", "FAMILY", "TERMINATE", "PSEUDO",
)


class LexiconError(ValueError):
    """The lexicon file cannot be used; the message names the file and the entry."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PhraseSet(Strict):
    """Extra ways people say that a finding is there (`present`) or is not (`absent`).

    `patterns` are spaCy token patterns (matched on the NORM attribute unless a token says
    otherwise) for wordings a fixed phrase cannot cover, such as "my back has hurt".
    """

    finding: Identifier
    present: list[Phrase] = Field(default_factory=list)
    absent: list[Phrase] = Field(default_factory=list)
    # Phrases of an event that brings the finding ("injured my back"): said, they read it; denied, they say
    # nothing of it ("I haven't injured my back" is no injury, not a back that does not hurt).
    affirm_only: list[Phrase] = Field(default_factory=list)
    patterns: list[TokenPattern] = Field(default_factory=list)
    # token patterns of wordings that say the finding is not there, as `absent` does for fixed phrases
    # ("plantar responses are flexor", "downgoing plantars")
    absent_patterns: list[TokenPattern] = Field(default_factory=list)


class NormalStatement(Strict):
    """A phrase saying that something works normally, which makes several findings absent."""

    phrases: list[Phrase] = Field(min_length=1)
    absent: list[Identifier] = Field(min_length=1)
    # spaCy token patterns for wordings that vary around the phrase ("neurological examination of the lower
    # limbs is normal"), read as the phrases are
    patterns: list[TokenPattern] = Field(default_factory=list)


class DeniedKind(Strict):
    """Words of a whole kind of thing ("injury", "medicines"): told, they say nothing, since they do not say which
    finding of the kind it is ("an injury" may be a fall or a road crash); denied, they deny every finding of the
    kind ("no history of injury", "takes no medicines"). Words that name one finding of the kind as there win."""

    phrases: list[Phrase] = Field(min_length=1)
    findings: list[Identifier] = Field(min_length=1)
    # a denial with an exception or an effect right after the words is no denial of the whole kind ("no medicines
    # except warfarin", "no tablets have helped"): one of these within three words after them
    exceptions: list[str] = Field(default_factory=list)
    # words of what the thing does ("control", "function"): right after the words they too keep the denial to that one
    # change ("no bladder control" is control lost), unless the denial is of a change in it, told by a word of
    # `PolicyWords.change_words` between the denial and the words ("no change in bladder or bowel control")
    functions: list[str] = Field(default_factory=list)
    # words of another place within two words before them keep the denial to that place ("no upper limb
    # weakness", "no facial weakness" say nothing of the legs)
    places_before: list[str] = Field(default_factory=list)


class ContextRuleSpec(Strict):
    """One ConText modifier rule, in medspaCy's own vocabulary.

    `direction` says which way the modifier reaches: FORWARD ("no fever"), BACKWARD ("fever:
    no"), BIDIRECTIONAL, TERMINATE (ends the reach of other modifiers: "no fever *but* leg
    pain") or PSEUDO (a phrase that looks like a trigger and is not: "not only").
    """

    literal: Phrase
    category: Literal[
        "NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HISTORICAL", "HYPOTHETICAL", "FAMILY", "TERMINATE", "PSEUDO",
        "CAUSED_BY_PAIN",
    ]
    direction: Literal["FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"]
    pattern: TokenPattern | None = None
    max_scope: int | None = Field(default=None, ge=1, le=50)
    # The findings the rule may modify, when not every one: "lost weight from dieting" explains the loss,
    # so it is no unexplained weight loss, while the loss itself still counts where a loss of any cause does.
    only_findings: list[Identifier] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="after")
    def _terminate_and_pseudo_agree(self) -> ContextRuleSpec:
        if (self.category == "TERMINATE") != (self.direction == "TERMINATE"):
            raise ValueError("a TERMINATE rule needs both category and direction TERMINATE")
        if (self.category == "PSEUDO") != (self.direction == "PSEUDO"):
            raise ValueError("a PSEUDO rule needs both category and direction PSEUDO")
        return self


class RecurrenceByComplaint(Strict):
    """Which finding a recurrence becomes when the text's complaint is of another kind (see `Policy`)."""

    recurrence: Identifier
    becomes: Identifier
    complaint: list[Identifier] = Field(min_length=1)
    not_with: list[Identifier] = Field(min_length=1)
    # words that name what came back ("had back pain before"): a recurrence told with one of them keeps its finding
    naming_words: list[str] = Field(default_factory=list)


class PolicyWords(Strict):
    """Small closed word classes the context policy reasons with."""

    list_words: list[str] = Field(min_length=1)  # "and", "or", "nor": they join a list
    denials: list[str] = Field(min_length=1)  # a "works normally" phrase opening with one denies what is listed after
    third_person: list[str] = Field(min_length=1)  # "he", "she"
    own_possessives: list[str] = Field(min_length=1)  # "my", "our"
    their_possessives: list[str] = Field(min_length=1)  # "his", "her", "their": a relative of someone else
    # words that only describe the relative after a possessive: "my 15-year-old son", "my elderly mother"
    relative_lead: list[str] = Field(default_factory=list)
    # Cues that are nouns ("history"): a predicate opening right after one is a new clause
    # ("a man with no past medical history has sudden weakness": the weakness is now).
    noun_cues: list[str] = Field(default_factory=list)
    # words of a change ("change", "problems"): a denial of a change in something denies every change in it ("no change
    # in bladder or bowel control", "no problems with his bowel function")
    change_words: list[str] = Field(default_factory=list)


class TooStrong(Strict):
    """Words that tell a pain too strong to do something through: a degree ("so", "too") and a strength ("bad")."""

    degree: list[str] = Field(min_length=1)
    strength: list[str] = Field(min_length=1)


class Together(Strict):
    """A finding told by two others said close together: `when` within `reach` words of one of `near_any`,
    in one sentence ("my left leg suddenly went weak" is a sudden one-sided weakness)."""

    when: Identifier
    near_any: list[Identifier] = Field(min_length=1)
    reach: int = Field(default=3, ge=0, le=10)
    # words that, when they are all that stands between the two, join them whatever their number: the other
    # symptoms of one list ("sudden numbness, pain and weakness of the right leg")
    listed: list[str] = Field(default_factory=list)


class ContextPolicy(Strict):
    """What each kind of context means for a finding's answer."""

    past_counts_for_categories: list[str] = Field(default_factory=list)
    past_counts_for: list[Identifier] = Field(default_factory=list)
    # Of `past_counts_for`, those whose past counts only while it is recent: a stroke sign that came and
    # went yesterday is a warning, one that came and went two years ago is history. A past cue holding
    # one of `distant_past_words` ("years ago", "last year", "as a child") is not recent.
    past_counts_only_recent: list[Identifier] = Field(default_factory=list)
    distant_past_words: list[str] = Field(default_factory=list)
    # A negation that reaches a finding of these categories only across a comma leaves it unknown:
    # "no fever, numb down there" must not rule the numbness out.
    comma_breaks_negation_for_categories: list[str] = Field(default_factory=list)
    # A description with no word of the writer's own ("I", "me", "my back") that talks about a relative
    # is someone describing the person being checked ("Dad is 74 and can't pass water"): the
    # relative's symptoms are then that person's. Cues of family history keep their meaning.
    first_person: list[str] = Field(default_factory=list)
    relatives: list[str] = Field(default_factory=list)
    # a relative told to have died is not the person being checked ("my mum died of a tumour when she was 53")
    departed: list[str] = Field(default_factory=list)
    family_history_cues: list[str] = Field(default_factory=list)
    # Words that open a new predicate: after the words a denial is about, they end its reach
    # ("no heart problems *has* had fevers").
    clause_openers: list[str] = Field(default_factory=list)
    words: PolicyWords
    family_redirect: dict[Identifier, Identifier] = Field(default_factory=dict)
    # A symptom told in the past is also a history finding of its own ("a history of low back pain",
    # "he had low back pain in high school": an earlier episode), while the symptom itself stays
    # unknown for now.
    past_redirect: dict[Identifier, Identifier] = Field(default_factory=dict)
    # An inability the text puts down to pain ("could not get out of bed because of the pain") is pain
    # that stops daily life, not a weak leg: a CAUSED_BY_PAIN cue sends these findings to their target.
    pain_caused_redirect: dict[Identifier, Identifier] = Field(default_factory=dict)
    pain_words: list[str] = Field(default_factory=list)
    # Things no weak muscle stops (sleeping, working): a cue of cause that names one of them with an
    # inability ("he cannot sleep or climb stairs") puts the inability down to the illness, as a pain word does.
    life_words: list[str] = Field(default_factory=list)
    # A cue of consequence ("until") puts the inability after it down to pain when a pain word comes
    # before it in its sentence, within `pain_before_reach` words and before any word of `weakness_words`
    # ("the pain got worse until she could not walk"; "the weakness spread until she could not walk" is weak).
    pain_before_reach: int = Field(default=8, ge=1, le=20)
    weakness_words: list[str] = Field(default_factory=list)
    # "can't walk without pain", "could not sit, stand or walk without severe pain": an inability (a word of
    # `inability_words` in its span or right before it) that one of these words ties to a pain word right
    # after it is what the pain stops, not a weak leg (`pain_caused_redirect`); "got weaker without any
    # pain" is no inability, and stays painless weakness.
    only_with_pain: list[str] = Field(default_factory=list)
    # "the pain was so bad he couldn't walk": an inability after a pain word and then a degree word with a
    # word of strength ("so bad", "too severe") in its sentence, with no word of weakness between, is what
    # the pain stops.
    too_strong: TooStrong | None = None
    # "I can't stand the pain": a verb of bearing with its object right after it is bearing something, not an
    # inability to stand; with a pain word after it, it is the finding `tolerated_pain` (pain too bad to bear).
    tolerate_verbs: list[str] = Field(default_factory=list)
    tolerate_objects: list[str] = Field(default_factory=list)
    tolerated_pain: Identifier | None = None
    # Words an open gap of a phrase pattern never crosses ("the joints are not swollen" is no "joints ... swollen").
    gap_denials: list[str] = Field(default_factory=list)
    # Verbs that link a subject to what is said of it: a reading by meaning that ends at one, with a denial
    # next, is denied ("the costovertebral angles are not tender").
    linking_verbs: list[str] = Field(default_factory=list)
    # A finding that is the graver form of others ("a fall from a height" of "a simple fall"): one
    # description tells of one injury, so when both are read the graver one stands and the lesser go.
    outranks: dict[Identifier, list[Identifier]] = Field(default_factory=dict)
    # the same, only where the lesser finding's words overlap the graver's ("down the back of the thigh and calf")
    outranks_in_its_words: dict[Identifier, list[Identifier]] = Field(default_factory=dict)
    # A recurrence told without naming what came back ("the same thing happened last year") is a return of the
    # complaint the text tells: `becomes` instead of `recurrence` when a `complaint` finding is read and no `not_with`
    # finding is (a weakness that came before, not an earlier bout of back pain).
    recurrence_by_complaint: RecurrenceByComplaint | None = None
    together: dict[Identifier, Together] = Field(default_factory=dict)
    # Findings that are the lack of something an examiner looks for, with the words of that thing:
    # a denial of the thing is the finding ("no pulses in the left foot" is absent foot pulses),
    # unless the words denied already say the lack (`lack_words`: "no reduced reflexes").
    lack_of: dict[Identifier, list[str]] = Field(default_factory=dict)
    lack_words: list[str] = Field(default_factory=list)
    normal_words: list[str] = Field(default_factory=list)  # "PR tone normal" names the thing as it should be
    # A test, sign or history read by meaning from words that say it came out as it should ("CRP was
    # normal", "pulse 70/min and regular") is not its abnormality, unless a denial, a word of lack, a
    # partial word or one of `abnormal_words` is among them too ("not normal", "raised").
    normal_result_words: list[str] = Field(default_factory=list)
    # A denial after its phrase does not reach back over a result told of another item in between: in
    # "FABER positive, hip rotation free and painless, SLR negative" only the SLR is negative.
    result_words: list[str] = Field(default_factory=list)
    normal_result_categories: list[str] = Field(default_factory=list)
    # ... the words read and those after them up to the end of their clause ("straight-leg raise and slump
    # tests are normal"), which one of these ends
    result_clause_ends: list[str] = Field(default_factory=list)
    abnormal_words: list[str] = Field(default_factory=list)
    # Findings that mean a total inability ("cannot walk at all"), and the words of a partial one:
    # "I can barely walk" is not read by meaning as "cannot walk".
    total_findings: list[Identifier] = Field(default_factory=list)
    partial_words: list[str] = Field(default_factory=list)
    # Words of being able ("I can still feel my bottom when I wipe"): a reading by meaning whose closest name is
    # a denial ("can not feel when I wipe") is the opposite of words that say the person can, with no denial,
    # lack or partial word beside them (static embeddings weigh "can" and "can not" alike).
    ability_words: list[str] = Field(default_factory=list)
    # A movement told as not done at all is its total inability too ("she cannot dorsiflex the right
    # ankle" is foot drop and a foot that cannot be lifted): each finding here, read with one of
    # `inability_words` in its words or just before them, then one of `inability_verbs` (a movement, not a
    # test of it such as walking on the heels), and no partial word, implies its total finding.
    # Findings that say when a symptom began or how it goes, not where it is: a body part paired with a symptom
    # inside one of their phrases ("immediate right anterior hip pain", "the weakness in his legs is getting
    # worse") is still read.
    when_findings: list[Identifier] = Field(default_factory=list)
    inability_implies: dict[Identifier, list[Identifier]] = Field(default_factory=dict)
    inability_words: list[str] = Field(default_factory=list)
    inability_verbs: list[str] = Field(default_factory=list)


class Laterality(Strict):
    """Side words, how far from a leg finding they may stand, and which findings a side implies."""

    words: dict[Side, list[Phrase]]
    window: int = Field(ge=1, le=20)
    not_a_side_before: list[str] = Field(default_factory=list)
    not_a_side_after: list[str] = Field(default_factory=list)
    # A side after one of these words is the side compared with, not the finding's own ("the right
    # pulses are weaker than on the left").
    compared_with: list[str] = Field(default_factory=list)
    # A word for both sides after one of these phrases ("one of my legs") is one side, not both; up to
    # `one_of_reach` words may stand between them.
    one_of: list[Phrase] = Field(default_factory=list)
    one_of_reach: int = Field(default=2, ge=0, le=5)
    # A limb named in the singular after a determiner ("a painful foot", "his leg was weak") is one
    # side, which one not said; a word that only qualifies another ("leg pain") is not.
    one_limb: list[Phrase] = Field(default_factory=list)
    one_limb_after: list[Phrase] = Field(default_factory=list)
    one_limb_reach: int = Field(default=2, ge=0, le=4)
    implies: dict[Identifier, dict[ReadSide, Identifier]] = Field(default_factory=dict)
    # Words of contrast a side does not reach across: "5/5 on both sides but dorsiflexion is 2/5".
    contrast_words: list[Phrase] = Field(default_factory=list)
    # A word for both sides that only joins two things is no side when a word of one side follows it, past the
    # small words of `determiners`: "both the right arm and the right leg" are of the right side.
    joining_both: list[str] = Field(default_factory=list)
    determiners: list[str] = Field(default_factory=list)
    # Findings that mean one side only: a reading of them on both sides is not them.
    one_side_only: list[Identifier] = Field(default_factory=list)
    # Findings that mean both sides: read by meaning from words that name one side ("the right ankle is
    # swollen" is close in meaning to "swollen ankles"), they are not these.
    both_sides_only: list[Identifier] = Field(default_factory=list)


class DurationBand(Strict):
    finding: Identifier
    below_days: float | None = Field(default=None, gt=0)


class CountedFrom(Strict):
    """A time phrase counted from another event: a word of `before` right before it (a word of `between`,
    such as "half", may stand in between) and a word of `after` ending it or right after it."""

    before: list[Phrase] = Field(min_length=1)
    between: list[Phrase] = Field(default_factory=list)
    after: list[Phrase] = Field(min_length=1)


class Durations(Strict):
    """How people write how long something has lasted, and the bands of the duration findings."""

    numbers: dict[str, float]
    units: dict[str, float]
    lead: list[Phrase]
    trail: list[Phrase]
    fixed: dict[Phrase, float]
    # Words joining two numbers of a range ("two or three weeks", "2-3 days"): the larger counts.
    ranges: list[Phrase] = Field(default_factory=list)
    # After these, a unit with no number is one of it ("over the past month", "for the last day").
    unit_alone_lead: list[Phrase] = Field(default_factory=list)
    # Units read only when the phrase dates the start ("twenty minutes ago"): "sitting for 30 minutes"
    # is how long an activity lasts, not the episode.
    onset_units: dict[str, float] = Field(default_factory=dict)
    onset_trail: list[Phrase] = Field(default_factory=list)
    # A person seen a time after the complaint began: a word of arriving or being seen, a few words, then
    # "<number> <unit>" and a word of `attended_after` ("arrives at the emergency department half an hour
    # after the pain began", "is seen one hour after the fall"): the time since it began, minutes included.
    attended: list[Phrase] = Field(default_factory=list)
    attended_after: list[Phrase] = Field(default_factory=list)
    # Words that open a sentence with a clause dating all it tells: a time inside that clause leads the sentence
    # as one that opens it does ("Since injuring his back while lifting at work one month ago, a man has had low
    # back pain").
    dating_openers: list[Phrase] = Field(default_factory=list)
    # Words after "<number> <unit>" that make it an age, not a duration ("54 years old").
    not_before: list[Phrase] = Field(min_length=1)
    # Regular expressions: a duration with one of these near it is not how long the pain has lasted
    # ("24 weeks pregnant").
    not_a_duration_near: list[str] = Field(default_factory=list)
    # History findings that tell the course of this episode ("2 months of worsening pain"): a time
    # phrase next to one is how long the episode has lasted, unlike one next to a past illness.
    episode_course: list[Identifier] = Field(default_factory=list)
    # Findings a time phrase next to which says how long they last each time, not how long the
    # episode has lasted ("morning stiffness over an hour").
    own_duration: list[Identifier] = Field(default_factory=list)
    # of those, the ones whose time follows their words ("sitting for a long time makes it worse"): a time told
    # before them ("pain for a year, made worse by exercise") is the episode's, not theirs
    own_duration_after: list[Identifier] = Field(default_factory=list)
    # Words for the complaint as a whole ("has had symptoms for 4 months"): a time phrase beside one is
    # how long the episode has lasted, however near a past illness stands.
    episode_words: list[str] = Field(default_factory=list)
    # Words that end a time phrase and tie it to the finding right after it, whatever follows in its clause:
    # "15 years of hypertension" is how long the hypertension has been, "3 days of pain" how long the pain.
    binds_next: list[str] = Field(default_factory=list)
    # After "for <time>", these make it a stretch that ended before the episode ("for several weeks
    # before this she had calf pain"), not how long the episode has lasted.
    earlier_after: list[Phrase] = Field(default_factory=list)
    # A time counted from another event ("within half an hour of taking aspirin", "within 2 days of the
    # fall"), not how long the episode has lasted.
    from_another_event: CountedFrom | None = None
    # Words of occasions counted: a time right after them is the stretch over which something came again and again
    # ("checked five times over the last four or five years", "three episodes in the past two years"), not how long
    # this episode has lasted.
    occasions: list[Phrase] = Field(default_factory=list)
    # Words that make a time phrase date an event ("four years ago") rather than measure a stretch:
    # such a phrase sets the episode's length only when no stretch is stated.
    dating: list[Phrase] = Field(default_factory=list)
    # Fixed phrases that name a lasting condition ("a woman with chronic back pain ... comes with 3 days of
    # low back pain"), not how long this episode has lasted: they count only when no other stretch is told.
    background: list[Phrase] = Field(default_factory=list)
    # Words that end the noun phrase a `background` word describes: "long-standing mild axial lumbar pain" runs on to
    # its pain, "long-standing asthma has back pain" ends at "has" before the pain.
    background_ends: list[str] = Field(default_factory=list)
    # Findings that only hold once the episode has lasted this many days: a treatment that has not
    # helped after two weeks is no "no improvement after a month".
    needs_at_least: dict[Identifier, float] = Field(default_factory=dict)
    bands: list[DurationBand] = Field(min_length=1)
    # An episode stated to have lasted less than this began within hours: also read as this finding
    # ("low back pain that started 1 hour earlier" is of sudden onset).
    started_within: DurationBand | None = None
    source: Identifier

    @model_validator(mode="after")
    def _last_band_is_open(self) -> Durations:
        if self.bands[-1].below_days is not None or any(b.below_days is None for b in self.bands[:-1]):
            raise ValueError("only the last duration band may (and must) be open-ended")
        limits = [b.below_days for b in self.bands[:-1]]
        if limits != sorted(limits):  # type: ignore[type-var]
            raise ValueError("duration bands must be in increasing order")
        return self


class Demographics(Strict):
    """Regular expressions for a stated age (named group `age`) and for the person's sex."""

    age: list[str]
    sex: dict[Literal["female", "male"], list[str]]
    # "in her sixties", "in his early 50s": a decade word or number and where in the decade.
    decades: dict[str, int] = Field(default_factory=dict)
    decade_parts: dict[str, int] = Field(default_factory=dict)
    decade_lead: list[str] = Field(default_factory=list)
    # Words that tell the sex of the person a third-person description is about ("a man with ...",
    # "Mrs Jones", "she"); a word right after a possessive ("his wife") is someone else.
    sex_words: dict[Literal["female", "male"], list[str]] = Field(default_factory=dict)
    possessives: list[str] = Field(default_factory=list)
    # Ages read only when a relative describes the person checked ("my husband is 87", "he is 87"):
    # `{relative}` stands for any of `policy.relatives`.
    relative_age: list[str] = Field(default_factory=list)

    @field_validator("age", "relative_age")
    @classmethod
    def _age_has_group(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            compiled = re.compile(pattern.replace("{relative}", "x"))
            if "age" not in compiled.groupindex:
                raise ValueError(f"age pattern needs a named group 'age': {pattern}")
        return patterns

    @field_validator("sex")
    @classmethod
    def _sex_compiles(cls, patterns: dict[str, list[str]]) -> dict[str, list[str]]:
        for items in patterns.values():
            for pattern in items:
                re.compile(pattern)
        return patterns


class UnitConversion(Strict):
    above: float
    offset: float = 0.0
    scale: float = Field(gt=0)


class MeasurementWords(Strict):
    """How one measured quantity is written: its names and units (the cut-off is the finding's own).

    A number within `max_gap` words after a name ("heart rate of 124/min", "CRP 84") is read; so
    is a number with a unit before a name when `name_may_follow` ("900 mL residual"). Names in
    capitals of up to `acronym_max_length` letters match in capitals only ("T 38.5").
    """

    names: list[Phrase] = Field(min_length=1)
    units: list[str] = Field(default_factory=list)
    # Values above `above` are in another unit: value -> (value + offset) * scale ("101 °F", "18,000/mm3").
    convert: list[UnitConversion] = Field(default_factory=list)
    # A value written in one of these units is multiplied into the cut-off's unit ("fell 6 feet": 6 x 0.3048 m).
    unit_scales: dict[str, float] = Field(default_factory=dict)
    name_may_follow: bool = False
    # Units no other quantity is written in: a number with one of them is read without a name ("over the last
    # two days it has risen to 38.5 °C").
    own_units: list[str] = Field(default_factory=list)
    max_gap: int = Field(default=3, ge=0, le=8)
    # Read only with a unit: "fell 15 feet" is a height, "fell 2 days ago" is not.
    unit_required: bool = False
    # Values below zero are written with a minus sign ("T-score -2.7"); a dash is then not a range.
    signed: bool = False
    # A value inside the cut-off rules the finding out, once every quantity the finding is measured by is
    # stated ("temperature 36.8 °C"; "BP 135/85, pulse 98"); not for a measure of an event, which other
    # events of the same finding are not measured by ("fell 2 feet" leaves a road crash open).
    rules_out: bool = True
    # The values a living person can have, in the cut-off's unit (after `convert`): a number outside them is not
    # this quantity ("high blood pressure and type 2 diabetes" gives no blood pressure of 2).
    plausible: tuple[float, float] | None = None

    @model_validator(mode="after")
    def _required_unit_is_listed(self) -> MeasurementWords:
        if self.unit_required and not self.units:
            raise ValueError("unit_required needs the units listed")
        if not set(self.own_units) <= set(self.units):
            raise ValueError("own_units must be among the units listed")
        if not set(self.unit_scales) <= set(self.units) or any(scale <= 0 for scale in self.unit_scales.values()):
            raise ValueError("unit_scales must name units listed, each with a scale above zero")
        if self.plausible is not None and not self.plausible[0] < self.plausible[1]:
            raise ValueError("plausible must be a range from its lowest value to a higher one")
        return self

    def could_be(self, value: float) -> bool:
        """Whether a living person could have `value` of this quantity (always, when no range is stated)."""
        return self.plausible is None or self.plausible[0] <= value <= self.plausible[1]


class NeedsWords(Strict):
    """A group of findings read by meaning only from a sentence holding one of `words` and none of `unless`
    (a finding in several groups needs a word of each)."""

    findings: list[Identifier] = Field(min_length=1)
    words: list[str] = Field(min_length=1)
    # words that take the reading back however close it is ("little relief", "barely helps")
    unless: list[str] = Field(default_factory=list)
    # a power grade out of 5 in the sentence ("every muscle group is 4-/5") counts as one of the words
    grades: bool = False
    # where the words must stand: anywhere in the sentence, anywhere in the description ("text": the setting a
    # finding belongs to, a pregnancy told in another sentence), in the piece read (its clause), for a finding
    # whose words are common elsewhere ("lying down eases it, and she cannot lie on her left side"), or in
    # the very words read, for a result that a test's name alone must not give ("dipstick testing of his
    # urine shows no blood": the window "dipstick testing of his urine shows" is no blood)
    within: Literal["sentence", "piece", "span", "text"] = "sentence"
    # words of the group that tell of the body only when said of it: before a word that is not a part of the
    # body, a side or a small word, they describe a thing ("heavy lifting", "a heavy object", "a heavy
    # smoker"), not a limb ("heavy legs", "my legs feel heavy and weak"); each is one of `words`
    said_of_the_body: list[str] = Field(default_factory=list)
    # words of the group that count only inside the piece read or before it: a denial ("can not lift", "he
    # cannot sleep or climb stairs") tells of an inability in what it leads, while one after the piece ("my bum
    # and my legs are | not numb") denies something else
    in_piece: list[str] = Field(default_factory=list)
    # words that, right before a word of the group, say the thing is as it should be: "he has full strength",
    # "normal power" tell of no weakness, so they never let a nearby piece be read as one
    said_normal_by: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _said_of_the_body_among_words(self) -> NeedsWords:
        stray = sorted(set(self.said_of_the_body) - set(self.words))
        if stray:
            raise ValueError(f"said_of_the_body names words the group does not hold: {', '.join(stray)}")
        return self


class Semantic(Strict):
    """How the semantic matcher reads meaning, and the thresholds tuned for it.

    A piece of text reads as a finding when its similarity to one of the finding's names is at
    least the finding's threshold (`thresholds`, else `default_threshold`) and within `margin` of
    the piece's best finding. A piece that phrases already cover for the most part
    (`exact_cover`), or with fewer than `min_content_words` words no phrase read, is left to
    them. `tuned_on` says which sentences chose the thresholds.
    """

    model: Literal["wordllama-l2_supercat-256"] = "wordllama-l2_supercat-256"
    default_threshold: float = Field(ge=0.0, le=1.0)
    # Warning signs (findings of the red_flag category) without a tuned threshold: lower, since
    # missing one costs more than asking about one (when unsure, escalate).
    red_flag_threshold: float = Field(ge=0.0, le=1.0)
    normal_threshold: float = Field(ge=0.0, le=1.0)
    margin: float = Field(ge=0.0, le=1.0)
    exact_cover: float = Field(gt=0.0, le=1.0)
    min_content_words: int = Field(default=1, ge=1)
    # Pieces longer than this many tokens are also read in windows of this size (one starting at every token).
    window: int = Field(default=6, ge=2, le=40)
    # A reading of a finding of `place_categories` must rest on more than the place named: it is
    # dropped when the piece's words for body parts alone come within `place_margin` of the whole
    # piece's similarity and the other words stay under `place_rest_floor` ("that began in the big
    # toe" is not an upgoing big toe).
    place_margin: float = Field(default=0.0, ge=0.0, le=1.0)
    place_rest_floor: float = Field(default=0.0, ge=0.0, le=1.0)
    place_categories: list[str] = Field(default_factory=list)
    thresholds: dict[Identifier, float] = Field(default_factory=dict)
    # Findings that meaning alone may not read unless the piece holds one of the group's words: a
    # weak muscle is told by a word of weakness, inability or difficulty, never by the place alone
    # ("pain in my big toe when my foot is raised" is not weak big-toe extension).
    needs_words: list[NeedsWords] = Field(default_factory=list)
    # Findings that say the contrary of each other ("eased by rest" against "not eased by lying down"): meaning
    # reads none of a group where another of it is at least as close, since embeddings weigh a "not" lightly.
    opposites: list[list[Identifier]] = Field(default_factory=list)
    # Words that deny: a name of a finding of `opposites` holding one ("not relieved by rest") is matched only
    # by a piece holding one too.
    denials: list[str] = Field(default_factory=list)
    # Words that open a finding's question and are left out when it is compared ("do", "you", "have").
    question_lead: list[str] = Field(default_factory=list)
    tuned_on: list[str] = Field(default_factory=list)


class NotAPart(Strict):
    """Words next to a part's word that make it something else: another place ("upper back"), a
    direction ("the back of the leg") or an adverb ("went back to work")."""

    before: list[Phrase] = Field(default_factory=list)
    after: list[Phrase] = Field(default_factory=list)
    # Words right after it that make it a place on another part ("the back *of* his thigh"): these
    # hold for phrases and readings by meaning too, not only for pairs.
    of_another: list[Phrase] = Field(default_factory=list)
    # Other places of a part that may stand listed with it before a word of `of_another` ("the back *and side* of
    # the right hip", "the back *and front* of the knee"): the list is a place on that other part too.
    listed_with: list[Phrase] = Field(default_factory=list)
    # Words right before it that make it the part whatever follows, other than a word of `of_another`:
    # a possessive names the body part ("he jarred *his* back when he slipped", where "back when" alone
    # is a time gone by).
    owned: list[Phrase] = Field(default_factory=list)
    # Words before it that make it something else only when no possessive stands right before it: "went back
    # to work" is an adverb, "the pain goes through to *my* back" the body
    before_unless_owned: list[Phrase] = Field(default_factory=list)


class Region(Strict):
    """An area of a part told by a word before the part's word ("the outer side of her thigh", "the
    front of his thigh", "the top of my foot"): a symptom there follows one nerve or root."""

    part: Identifier
    qualifiers: list[Phrase] = Field(min_length=1)
    # The part's words the area belongs to, when not all of them ("outer" calf, not "outer" toe); all by default.
    words: list[Phrase] = Field(default_factory=list)


class MuscleGrades(Strict):
    """Muscle actions told with a power grade on the 0-5 scale: "on the right, hip abduction, ankle
    dorsiflexion and foot eversion are 4/5 and toe extension is 3/5", "eversion 4+/5", "knee extension
    strength is 1/5 on the right and 2/5 on the left".

    Actions (`actions`, phrases of a few words) listed with only `joiners` between them share the
    grade told after them, up to `reach` words on and before a word of `stops` or another action: a
    grade below 5 reads each action's `findings`, a grade of 5 denies them (but `not_denied_by_full_power`).
    A further grade before the next action says the same of them (on another side). The span runs from
    the first action to the grade, so the side and ConText read it as any finding's. A word of
    `weak_words` in place of the grade ("ankle dorsiflexion is slightly weak") is a grade below 5.
    """

    actions: dict[Identifier, list[Phrase]] = Field(min_length=1)
    findings: dict[Identifier, list[Identifier]] = Field(min_length=1)
    joiners: list[Phrase] = Field(default_factory=list)
    reach: int = Field(default=6, ge=1, le=12)
    stops: list[Phrase] = Field(default_factory=list)
    weak_words: list[str] = Field(default_factory=list)
    # words that hand a grade on to the actions after it: "strength is 3/5 for hip abduction", "4/5 in ankle
    # dorsiflexion on the left" (the grade is then theirs, never the actions' before it)
    grade_links: list[str] = Field(default_factory=list)
    # findings a grade reads but a word of weakness does not (a word names the weak movement, not how it was examined)
    not_from_weak_words: list[Identifier] = Field(default_factory=list)
    # A grade of 5 (full power) denies each action's findings but these: one strong muscle says nothing of
    # the others ("hip flexion is 5/5" is no weak hip flexion, and no sign that no muscle is weak).
    not_denied_by_full_power: list[Identifier] = Field(default_factory=list)

    @model_validator(mode="after")
    def _actions_have_findings(self) -> MuscleGrades:
        for action in self.actions:
            if action not in self.findings:
                raise ValueError(f"muscle_grades: action '{action}' has no findings")
        for action in self.findings:
            if action not in self.actions:
                raise ValueError(f"muscle_grades: findings name an unknown action '{action}'")
        return self


class MeasuredKind(Strict):
    """A quantity whose value below the scale's normal is a kind of symptom of the part it is said of
    (a power grade under 5 of 5 is weakness): the scale's own definition, not a clinical cut-off."""

    kind: Identifier
    below: float


class BodyParts(Strict):
    """A part of the body and a kind of symptom a few words apart, read as one finding.

    "My right calf started to hurt", "his feet have gone numb", "all my muscles were weak,
    especially my legs": a word of a part (`parts`) and a word of a kind of symptom (`kinds`)
    read as `findings[part][kind]`. After the part, up to `max_gap` words may stand before the
    kind, none of them in `gap_stops` (a denial, "but", another part: those end the pairing);
    after the kind, only words of `lead_in` ("in", "my", "both", "especially") may stand before
    the part. Parts are single words, so a side ("right", "both") stays for the side reader; a
    kind may be a few words read in order ("reduced sensation", "sensation is reduced").
    """

    parts: dict[Identifier, list[Phrase]] = Field(min_length=1)
    kinds: dict[Identifier, list[Phrase]] = Field(min_length=1)
    # Kinds written with words that vary in order and form ("vibration sense is absent", "pinprick
    # and light touch are reduced"): spaCy token patterns, used like a phrase of the kind.
    kind_patterns: dict[Identifier, list[TokenPattern]] = Field(default_factory=dict)
    # One finding per pair, or several where a part spans more than one ("all four limbs" are legs and arms).
    findings: dict[Identifier, dict[Identifier, Identifier | list[Identifier]]] = Field(min_length=1)
    max_gap: int = Field(default=4, ge=0, le=8)
    lead_in_max: int = Field(default=3, ge=0, le=8)
    gap_stops: list[Phrase] = Field(default_factory=list)
    lead_in: list[Phrase] = Field(default_factory=list)
    # Words that may stand with a kind listed between two others ("tingling, numbness and a mild burning
    # feeling in both lower legs"): an article, how strong or how often, and the word "feeling".
    listed_kind_words: list[Phrase] = Field(default_factory=list)
    # Words that may stand, besides list words, between parts listed together ("4/5 in both arms and the legs"):
    # articles, possessives and sides.
    listed_part_words: list[Phrase] = Field(default_factory=list)
    not_a_part: dict[Identifier, NotAPart] = Field(default_factory=dict)
    # A word right before a part's word that makes it another part: part -> word -> the other part
    # ("lower limbs" are the legs, "upper limbs" the arms).
    part_after: dict[Identifier, dict[str, Identifier]] = Field(default_factory=dict)
    # A part listed next to a word of another part is read as that part: "the calf, ankle and foot" are the
    # lower leg, while "swelling around the ankle" is of the joint.
    part_in_list: dict[Identifier, Identifier] = Field(default_factory=dict)
    # A part that lies within the wider parts listed: named after a symptom of one of them, it says where in
    # that part the symptom is, not another place ("back pain in the thoracolumbar region").
    within: dict[Identifier, list[Identifier]] = Field(default_factory=dict)
    # Areas of a part told by a word among those leading to it (`lead_in_max` words back, the nearest
    # first): each is a part of its own in `findings` ("numb on the outer side of the thigh").
    regions: dict[Identifier, Region] = Field(default_factory=dict)
    # A symptom that travels: "pain from my buttock down the back of my leg to my ankle" reaches each
    # part named after a word of `path_words`, up to `path_max_gap` words on, unless one of
    # `path_stops` (a denial, "but") stands between.
    path_words: list[Phrase] = Field(default_factory=list)
    path_max_gap: int = Field(default=10, ge=0, le=16)
    path_stops: list[Phrase] = Field(default_factory=list)
    # What a symptom travelling to a part says beyond the pair ("pain from my buttock down the back
    # of my leg into my foot" follows a nerve): part -> kind -> finding.
    path_findings: dict[Identifier, dict[Identifier, Identifier]] = Field(default_factory=dict)
    # Where the symptom must start for a part's path finding, when it matters: pain that moves from the
    # side or back down to the groin is the colic of a stone, pain from the hip to the groin is not.
    path_from: dict[Identifier, list[Identifier]] = Field(default_factory=dict)
    # Parts that only mark how far a travelling symptom goes, not a place it is felt in its own right:
    # "thigh pain down to the knee" is not knee pain.
    path_bounds: list[Identifier] = Field(default_factory=list)
    # parts that stand for several others at once ("all four limbs"): a symptom of one is no sign of a
    # place other than the legs or the arms
    several_parts: list[Identifier] = Field(default_factory=list)
    # Quantities whose stated value is a kind of symptom of the part named beside it: a power grade
    # below normal in "strength is 4/5 in both legs" is weakness of both legs. Read within
    # `measured_reach` words of the value, in its sentence.
    measured_kinds: dict[Identifier, MeasuredKind] = Field(default_factory=dict)
    measured_reach: int = Field(default=8, ge=1, le=20)
    # What a kind says wherever it is paired, beyond the part's finding ("my back locked" came on all at once).
    kind_findings: dict[Identifier, list[Identifier]] = Field(default_factory=dict)
    # A pair rules nothing out ("no pain in my feet at rest" denies only part of the pain below the knee),
    # except a kind denied of a whole limb or of all limbs with no one side named ("no limb weakness",
    # "no weakness in any limb"): part -> the kinds whose denial there is the finding's.
    denied_whole: dict[Identifier, list[Identifier]] = Field(default_factory=dict)
    # Parts whose naming anywhere mentions findings, whatever is said of them ("off work with my back",
    # "my back went"): a description that names the back has not left out back pain, even where
    # nothing about it is read (`ParseResult.mentioned`, the silence findings of the knowledge base).
    mentions: dict[Identifier, list[Identifier]] = Field(default_factory=dict)
    # Findings whose longer phrase keeps the pairs inside it: a pair gives way to a longer phrase of another finding
    # ("pain in my feet" in "no pain in my feet at rest"), but "weakness of the right arm and leg", a one-sided
    # weakness, is weakness of the arm as well.
    pairs_kept_inside: list[Identifier] = Field(default_factory=list)

    def words_of(self, part: str) -> list[str]:
        """The words that name a part or, for an area of one (`regions`), its part's words it applies to."""
        if part in self.regions:
            area = self.regions[part]
            return list(area.words) or list(self.parts[area.part])
        return list(self.parts.get(part, ()))

    def pair(self, part: str, kind: str) -> list[str]:
        """The findings a part paired with a kind reads (none when the pair has no finding)."""
        found = self.findings.get(part, {}).get(kind)
        return [] if found is None else [found] if isinstance(found, str) else list(found)

    @model_validator(mode="after")
    def _pairs_are_known(self) -> BodyParts:
        for part in (*self.not_a_part, *self.mentions):
            if part not in self.parts:
                raise ValueError(f"not_a_part or mentions names an unknown part '{part}'")
        for part, kinds in self.denied_whole.items():
            if part not in self.parts or any(kind not in self.kinds for kind in kinds):
                raise ValueError(f"denied_whole names an unknown part or kind: '{part}': {kinds}")
        for measured in self.measured_kinds.values():
            if measured.kind not in self.kinds:
                raise ValueError(f"measured_kinds names an unknown kind '{measured.kind}'")
        for part, renamed in self.part_after.items():
            for other in (part, *renamed.values()):
                if other not in self.parts:
                    raise ValueError(f"part_after names an unknown part '{other}'")
        for part, whole in self.part_in_list.items():
            for other in (part, whole):
                if other not in self.parts:
                    raise ValueError(f"part_in_list names an unknown part '{other}'")
        for part, wider in self.within.items():
            for other in (part, *wider):
                if other not in self.parts:
                    raise ValueError(f"within names an unknown part '{other}'")
        for region, spec in self.regions.items():
            if spec.part not in self.parts:
                raise ValueError(f"region '{region}' names an unknown part '{spec.part}'")
            if region in self.parts:
                raise ValueError(f"region '{region}' has the name of a part")
            # its part's words, and those of parts that a word before them makes it ("lower leg")
            words_into = {w.lower() for other, into in self.part_after.items() if spec.part in into.values()
                          for w in self.parts[other]}
            strays = {w.lower() for w in spec.words} - {w.lower() for w in self.parts[spec.part]} - words_into
            if strays:
                raise ValueError(f"region '{region}' names words that are not its part's: {sorted(strays)}")
        for part in self.path_bounds:
            if part not in self.parts:
                raise ValueError(f"path_bounds names an unknown part '{part}'")
        for part, origins in self.path_from.items():
            if part not in self.path_findings:
                raise ValueError(f"path_from names '{part}', which has no path_findings")
            for origin in origins:
                if origin not in self.parts:
                    raise ValueError(f"path_from of '{part}' names an unknown part '{origin}'")
        for group, words in self.parts.items():
            if any(" " in word.strip() for word in words):
                raise ValueError(f"'{group}': body-part words are single words")
        for name, table in (("findings", self.findings), ("path_findings", self.path_findings)):
            for part, by_kind in table.items():
                if part not in self.parts and part not in self.regions:
                    raise ValueError(f"{name} names an unknown part '{part}'")
                for kind in by_kind:
                    if kind not in self.kinds:
                        raise ValueError(f"{name} of '{part}' names an unknown kind '{kind}'")
        kinds_named: tuple[tuple[str, Iterable[str]], ...] = (
            ("kind_patterns", self.kind_patterns), ("kind_findings", self.kind_findings)
        )
        for name, named in kinds_named:
            for kind in named:
                if kind not in self.kinds:
                    raise ValueError(f"{name} names an unknown kind '{kind}'")
        return self


class NegatedModals(Strict):
    """"couldn't walk" says what "can't walk" says: a past modal before the negation word takes the
    present's NORM, so a phrase is written once."""

    negation: str
    present_of: dict[str, str] = Field(min_length=1)
    # "could neither move nor feel his legs" says "can't move or feel his legs": after a modal, the
    # first word of the pair reads as the negation and its partner (within `pair_reach` words) as `alternative`
    pairs: dict[str, str] = Field(default_factory=dict)
    alternative: str = "or"
    pair_reach: int = Field(default=6, ge=1, le=20)


class LimbPronouns(Strict):
    """"my left leg went dead - I can't move it": a pronoun read as the limb it stands for.

    `stands_for` maps each pronoun to the part words it can take the place of (by number: "it" a
    leg, "them" the legs). The nearest part word before the pronoun decides: it must be one of
    these, in the pronoun's sentence or, when that has none before it, the sentence before. A pronoun
    in `only_after` is read so only right after one of its words (the verb it is the object of).
    """

    stands_for: dict[str, list[str]] = Field(min_length=1)
    only_after: dict[str, list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _only_after_known_pronouns(self) -> LimbPronouns:
        for pronoun in self.only_after:
            if pronoun not in self.stands_for:
                raise ValueError(f"only_after names '{pronoun}', which stands_for does not")
        return self


class Aggravation(Strict):
    """What makes the pain worse, told as a list of things done: "walking and standing make it worse",
    "worse with prolonged standing, sitting and climbing stairs", "it hurts when I sit for a long time,
    get dressed or lift weights", "difficulty bending forwards and backwards".

    Each word of `activities` in such a list reads as its finding; `neutral` words (walking, lying)
    may stand in the list and read nothing. The list is told after a word of `worse_before`
    (directly or after `links`), after a word of `pain_before` (only after `links`: "pain on
    sitting", never "pain, sitting"), or before a word of `after_words`, with at most a few
    `fillers` between ("make it worse", "are all hard"). Inside the list only activities, neutral
    words, `joiners` and numbers stand, at most `gap` of them after the first. An activity next to a
    word of `not_before` (just before it or within two words after) is a limb's movement, not the
    back's ("bending her knee", "a prone knee bend").
    """

    activities: dict[Identifier, list[str]] = Field(min_length=1)
    neutral: list[str] = Field(default_factory=list)
    joiners: list[str] = Field(min_length=1)
    gap: int = Field(default=8, ge=0, le=15)
    worse_before: list[str] = Field(min_length=1)
    pain_before: list[str] = Field(default_factory=list)
    links: list[str] = Field(min_length=1)
    after_words: list[str] = Field(min_length=1)
    fillers: list[str] = Field(default_factory=list)
    # how many fillers may stand between the list and a word of `after_words`: "coughing makes | the back pain
    # | worse" needs four
    most_fillers: int = Field(default=3, ge=0, le=6)
    not_before: list[str] = Field(default_factory=list)
    # A list told in a sentence of weakness with no word of pain is what the weakness makes hard
    # ("his legs became weak, so that climbing stairs is difficult"), not what makes pain worse.
    weakness_words: list[str] = Field(default_factory=list)
    pain_words: list[str] = Field(default_factory=list)
    # a list told as hard to do ("standing, sitting and stairs are all hard", "struggling to walk or
    # bend") also says that the pain limits daily life: `limits_finding`, read where a word of
    # `limits_words` tells the list
    limits_finding: Identifier | None = None
    limits_words: list[str] = Field(default_factory=list)
    # a list just after a word of easing is what helps: "better once I'm moving and worse if I rest"
    easing_words: list[str] = Field(default_factory=list)
    easing_reach: int = Field(default=5, ge=0, le=10)

    @model_validator(mode="after")
    def _single_words(self) -> Aggravation:
        """Every word is one token of a pattern."""
        lists = [*self.activities.values(), self.neutral, self.joiners, self.worse_before, self.pain_before,
                 self.links, self.after_words, self.fillers, self.not_before, self.weakness_words, self.pain_words,
                 self.limits_words, self.easing_words]
        spaced = sorted({word for words in lists for word in words if not word.strip() or " " in word.strip()})
        if spaced:
            raise ValueError(f"aggravation words are single words: {', '.join(repr(w) for w in spaced)}")
        return self


class Reflexes(Strict):
    """Tendon reflexes told with their grade: "the right Achilles and knee reflexes are 1+", "reflexes
    of 1+ on both sides", "knee reflexes are 3+; the Achilles reflex is 1+ on the right and 3+ on the
    left", "the right S1 reflex is reduced", "brisk reflexes".

    After a word of `words` ("reflexes", "jerks"), up to `reach` words on, each grade read (a word
    of `grade_words`, or a number of `numbers` followed by "+") says of the reflexes named just
    before it (`named`, within `name_reach` words, only `name_joiners` between): `findings[name][grade]`.
    Reflexes not named are those of the legs as a whole (`unnamed`). A grade word may also stand
    just before the names ("reduced knee and ankle jerks", "brisk reflexes"). The reach ends at a
    word of `stops` (among them the other things an examiner grades: "reflexes are normal and power is
    reduced") or another reflex word. The normal grade (`normal_grade`, "2+") rules out the findings
    `ruled_out` names for the reflexes told of.
    """

    words: list[str] = Field(min_length=1)
    named: dict[Identifier, list[str]] = Field(min_length=1)
    unnamed: list[Identifier] = Field(min_length=1)
    # reflexes not named are those of the nearest place told within `place_reach` words either side:
    # a name's place ("depressed reflexes in the arms") or the legs' (`unnamed_places`, the default)
    places: dict[Identifier, list[str]] = Field(default_factory=dict)
    unnamed_places: list[str] = Field(default_factory=list)
    place_reach: int = Field(default=6, ge=1, le=20)
    clause_ends: list[str] = Field(default_factory=list)
    name_joiners: list[str] = Field(default_factory=list)
    # the joiners that join items of a list: they join names, but never a grade to the names after them
    # ("normal and his reflexes"), whereas the others may ("absent leg reflexes")
    list_joiners: list[str] = Field(default_factory=list)
    name_reach: int = Field(default=5, ge=1, le=10)
    grade_words: dict[str, Identifier] = Field(min_length=1)
    # a reflex that could not be drawn out is absent: a word of `elicit_words` with a word of `denials`
    # up to three words before it ("could not be elicited") or before the names ("neither knee nor
    # ankle jerks can be elicited", "no reflexes were obtained")
    elicit_words: list[str] = Field(default_factory=list)
    # named reflexes that together are the legs' reflexes as a whole: told together, they are also
    # that whole ("neither knee nor ankle jerks" are absent reflexes of the legs)
    together: dict[Identifier, list[Identifier]] = Field(default_factory=dict)
    denials: list[str] = Field(default_factory=list)
    numbers: dict[str, Identifier] = Field(default_factory=dict)
    reach: int = Field(default=10, ge=1, le=20)
    stops: list[str] = Field(default_factory=list)
    # words right after the reflex word that open the grades told of it, never a stop there ("reflexes: 3+")
    openers: list[str] = Field(default_factory=list)
    findings: dict[Identifier, dict[Identifier, Identifier | list[Identifier]]] = Field(min_length=1)
    # The grade of a reflex as it should be ("2+", "normal"): it rules out the findings `ruled_out` names for
    # the reflexes it is told of ("knee reflexes are 2+ and symmetrical"; "normal in the arms and brisk in the
    # legs" reads on to the legs).
    normal_grade: Identifier | None = None
    ruled_out: dict[Identifier, list[Identifier]] = Field(default_factory=dict)
    # Grades above the normal one ("3+", "brisk") and what they rule out for the reflexes told of
    # ("knee reflexes are 3+" are no reduced knee reflexes).
    above_normal: list[Identifier] = Field(default_factory=list)
    ruled_out_above_normal: dict[Identifier, list[Identifier]] = Field(default_factory=dict)

    def read(self, name: str, grade: str) -> list[str]:
        """The findings a grade of the named reflexes reads."""
        found = self.findings.get(name, {}).get(grade, [])
        return [found] if isinstance(found, str) else list(found)

    @model_validator(mode="after")
    def _names_are_known(self) -> Reflexes:
        grades = set(self.grade_words.values()) | set(self.numbers.values())
        for name in [*self.unnamed, *self.findings, *self.places, *self.together, *self.ruled_out,
                     *self.ruled_out_above_normal,
                     *(part for parts in self.together.values() for part in parts)]:
            if name not in self.named:
                raise ValueError(f"reflexes: '{name}' is not one of the named reflexes")
        for name, by_grade in self.findings.items():
            unknown = sorted(set(by_grade) - grades)
            if unknown:
                raise ValueError(f"reflexes: findings of '{name}' name unknown grades {unknown}")
        if self.normal_grade is not None and self.normal_grade not in grades:
            raise ValueError(f"reflexes: the normal grade '{self.normal_grade}' is no grade of the words or numbers")
        unknown_above = sorted(set(self.above_normal) - grades)
        if unknown_above:
            raise ValueError(f"reflexes: grades above normal {unknown_above} are no grades of the words or numbers")
        return self


class ListedNormal(Strict):
    """Examined things listed before or after one result that says they are as they should be: "power,
    sensation and reflexes in the legs are normal", "normal tone, power and reflexes". Each item named
    reads as its findings absent; a word that is neither an item nor a joiner ends the list."""

    results: list[str] = Field(min_length=1)
    verbs: list[str] = Field(default_factory=list)
    joiners: list[str] = Field(default_factory=list)
    items: dict[str, list[Identifier]] = Field(min_length=1)


class NormalExceptions(Strict):
    """A statement that something is normal with an exception right after it ("examination is normal apart from
    reduced sensation below both knees"): the findings of each kind the exception names are left to what the
    exception says, not read as ruled out with the rest. `cues` open the exception within the first words after
    the statement; `kinds` maps a word of the exception to the findings it keeps from being read absent."""

    cues: list[Phrase] = Field(min_length=1)
    kinds: dict[str, list[Identifier]] = Field(min_length=1)


class StatedRanges(Strict):
    """How a laboratory's normal range is told beside a value: an opening word ("normal", "reference"), then a
    limit after a word of `below` or `above` ("below 5", "< 4") or two ends joined by a word of `between`
    ("10-70", "8.4 to 10.2")."""

    openers: list[str] = Field(min_length=1)
    below: list[str] = Field(min_length=1)
    above: list[str] = Field(min_length=1)
    between: list[str] = Field(min_length=1)


class Lexicon(Strict):
    """Everything the free-text reader knows about one language."""

    schema_version: Literal[1]
    language: str = Field(pattern=r"^[a-z]{2}$")
    max_chars: int = Field(ge=100, le=50_000)
    answer_words: list[Phrase]
    spelling: dict[str, str] = Field(default_factory=dict)
    negated_modals: NegatedModals | None = None
    limb_pronouns: LimbPronouns | None = None
    fuzzy_min_length: int = Field(default=6, ge=4)
    # Words of their own that are one letter from a word the reader knows: never corrected ("nitrates", a
    # medicine, is not a slip for "nitrites" in the urine).
    not_slips: list[str] = Field(default_factory=list)
    ignore_synonyms: list[Phrase] = Field(default_factory=list)
    acronym_max_length: int = Field(default=4, ge=1)
    yield_to_longer: list[Phrase] = Field(default_factory=list)
    # Names of other things that hold a broad word of a finding: read, they read nothing, and the broad word
    # inside gives way to them ("hay fever" is no fever, "up at night to pee" no pain at night).
    other_things: list[Phrase] = Field(default_factory=list)
    # ... and token patterns for such names told in many ways ("up several times in the night to pass urine")
    other_patterns: list[TokenPattern] = Field(default_factory=list)
    phrases: list[PhraseSet] = Field(default_factory=list)
    normal: list[NormalStatement] = Field(default_factory=list)
    denied_kinds: list[DeniedKind] = Field(default_factory=list)
    context: list[ContextRuleSpec] = Field(min_length=1)
    policy: ContextPolicy
    laterality: Laterality
    durations: Durations
    demographics: Demographics
    filler: list[str] = Field(default_factory=list)
    clause_words: list[str] = Field(default_factory=list)
    semantic: Semantic
    # "about 3 weeks", "CRP around 80": words of approximation before a number.
    approximately: list[str] = Field(default_factory=list)
    # "blood pressure differs by 30 mmHg between the arms", "the temperature rose by 2 degrees": a number after one
    # of these words, between a quantity's name and the number, is a difference or a change, not the value
    differences: list[str] = Field(default_factory=list)
    # A normal range told right after a value, in brackets: "(normal below 5)", "(ref 20-170)"
    stated_ranges: StatedRanges | None = None
    measurements: dict[Identifier, MeasurementWords] = Field(default_factory=dict)
    body_parts: BodyParts | None = None
    aggravation: Aggravation | None = None
    listed_normal: ListedNormal | None = None
    normal_exceptions: NormalExceptions | None = None
    reflexes: Reflexes | None = None
    muscle_grades: MuscleGrades | None = None

    def finding_ids(self) -> set[str]:
        """Every finding id the lexicon names, to check against a knowledge base."""
        ids = {item.finding for item in self.phrases}
        ids.update(f for statement in self.normal for f in statement.absent)
        ids.update(f for kind in self.denied_kinds for f in kind.findings)
        ids.update(self.policy.past_counts_for)
        ids.update(self.policy.past_counts_only_recent)
        ids.update(self.durations.needs_at_least)
        ids.update(f for group in self.semantic.opposites for f in group)
        ids.update(f for rule in self.context for f in rule.only_findings)
        if self.policy.tolerated_pain is not None:
            ids.add(self.policy.tolerated_pain)
        if self.aggravation is not None:
            ids.update(self.aggravation.activities)
            if self.aggravation.limits_finding is not None:
                ids.add(self.aggravation.limits_finding)
        if self.listed_normal is not None:
            ids.update(f for found in self.listed_normal.items.values() for f in found)
        if self.normal_exceptions is not None:
            ids.update(f for found in self.normal_exceptions.kinds.values() for f in found)
        if self.reflexes is not None:
            ids.update(f for name, by_grade in self.reflexes.findings.items() for grade in by_grade
                       for f in self.reflexes.read(name, grade))
            ids.update(f for found in self.reflexes.ruled_out.values() for f in found)
        if self.muscle_grades is not None:
            ids.update(f for found in self.muscle_grades.findings.values() for f in found)
            ids.update(self.muscle_grades.not_from_weak_words)
        ids.update(self.policy.family_redirect)
        ids.update(self.policy.family_redirect.values())
        ids.update(self.policy.past_redirect)
        ids.update(self.policy.past_redirect.values())
        recurrence = self.policy.recurrence_by_complaint
        if recurrence is not None:
            ids.update((recurrence.recurrence, recurrence.becomes, *recurrence.complaint, *recurrence.not_with))
        ids.update(f for group in self.semantic.needs_words for f in group.findings)
        ids.update(self.policy.pain_caused_redirect)
        ids.update(self.policy.pain_caused_redirect.values())
        for outranks in (self.policy.outranks, self.policy.outranks_in_its_words):
            ids.update(outranks)
            ids.update(f for lesser in outranks.values() for f in lesser)
        ids.update(self.policy.together)
        ids.update(f for rule in self.policy.together.values() for f in (rule.when, *rule.near_any))
        ids.update(self.policy.lack_of)
        ids.update(self.policy.total_findings)
        ids.update(self.policy.inability_implies)
        ids.update(self.policy.when_findings)
        ids.update(f for sources in self.policy.inability_implies.values() for f in sources)
        for finding, sides in self.laterality.implies.items():
            ids.add(finding)
            ids.update(sides.values())
        ids.update(self.laterality.one_side_only)
        ids.update(self.laterality.both_sides_only)
        ids.update(band.finding for band in self.durations.bands)
        ids.update(self.durations.episode_course)
        ids.update(self.durations.own_duration)
        ids.update(self.durations.own_duration_after)
        if self.durations.started_within is not None:
            ids.add(self.durations.started_within.finding)
        ids.update(self.semantic.thresholds)
        if self.body_parts is not None:
            ids.update(f for part, by_kind in self.body_parts.findings.items() for kind in by_kind
                       for f in self.body_parts.pair(part, kind))
            ids.update(f for by_kind in self.body_parts.path_findings.values() for f in by_kind.values())
            ids.update(f for found in self.body_parts.kind_findings.values() for f in found)
            ids.update(f for found in self.body_parts.mentions.values() for f in found)
        return ids


def lexicon_path(language: str = "en", root: Path | None = None) -> Path:
    """The lexicon of a knowledge-base folder, falling back to the packaged one."""
    for base in (root, DEFAULT_ROOT):
        if base is not None and (path := base / "lexicon" / f"{language}.yaml").exists():
            return path
    return DEFAULT_ROOT / "lexicon" / f"{language}.yaml"


@lru_cache(maxsize=4)
@collector_paused
def load_lexicon(path: Path) -> Lexicon:
    """Read and validate a lexicon file; any problem becomes one LexiconError naming the entry."""
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        raw = BuildCache.default().parsed_yaml(path.read_text(encoding="utf-8"), lambda text: yaml.load(text, loader),
                                               parser=f"PyYAML {yaml.__version__} {loader.__name__}")
    except FileNotFoundError:
        raise LexiconError(f"no lexicon file at {path}") from None
    except yaml.YAMLError as error:
        raise LexiconError(f"{path.name} is not valid YAML: {error}") from None
    try:
        return Lexicon.model_validate(raw)
    except ValidationError as error:
        lines = []
        for problem in error.errors()[:10]:
            where = ".".join(str(part) for part in problem["loc"])
            lines.append(f"{path.name}: {where}: {problem['msg']}")
        raise LexiconError("\n".join(lines)) from None


def _pattern_problems(lexicon: Lexicon) -> list[str]:
    """Every token pattern checked against spaCy's pattern schema (the reader trusts them on load)."""
    from spacy.schemas import validate_token_pattern

    named: list[tuple[str, list[dict[str, Any]]]] = [
        (f"phrases of {item.finding}, {name} {number}", pattern)
        for item in lexicon.phrases
        for name, patterns in (("pattern", item.patterns), ("absent pattern", item.absent_patterns))
        for number, pattern in enumerate(patterns)
    ]
    named += [
        (f"normal statement {number}, pattern {k}", pattern)
        for number, statement in enumerate(lexicon.normal) for k, pattern in enumerate(statement.patterns)
    ]
    named += [(f"context rule '{rule.literal}'", rule.pattern) for rule in lexicon.context if rule.pattern]
    if lexicon.body_parts is not None:
        named += [
            (f"body_parts kind '{kind}', pattern {number}", pattern)
            for kind, patterns in lexicon.body_parts.kind_patterns.items() for number, pattern in enumerate(patterns)
        ]
    return [
        f"{where}: {'; '.join(errors)}" for where, pattern in named if (errors := validate_token_pattern(pattern))
    ]


def check_lexicon(lexicon: Lexicon, kb: KnowledgeBase) -> list[str]:
    """Problems between the lexicon and a knowledge base: unknown finding or source ids."""
    problems = [
        f"the lexicon names an unknown finding '{finding}'"
        for finding in sorted(lexicon.finding_ids() - kb.findings.keys())
    ]
    if lexicon.durations.source not in kb.sources:
        problems.append(f"the duration bands cite an unknown source '{lexicon.durations.source}'")
    entries: dict[str, int] = {}
    seen: dict[str, str] = {}
    for item in lexicon.phrases:
        entries[item.finding] = entries.get(item.finding, 0) + 1
        for phrase in [*item.present, *item.absent, *item.affirm_only]:
            key = " ".join(phrase.lower().split())
            if key in seen:
                problems.append(f"the phrase '{phrase}' is listed twice ({seen[key]} and {item.finding})")
            seen[key] = item.finding
    problems += [f"the finding '{finding}' has {count} phrase entries; give it one" for finding, count in
                 sorted(entries.items()) if count > 1]
    for kind in lexicon.denied_kinds:
        for phrase in kind.phrases:
            key = " ".join(phrase.lower().split())
            if key in seen:
                problems.append(f"the phrase '{phrase}' of a denied kind is also listed for {seen[key]}")
            seen[key] = "a denied kind"
    measured: dict[str, list[str]] = {}
    for finding in kb.findings.values():
        for cutoff in finding.cutoffs:
            measured.setdefault(cutoff.quantity, []).append(finding.id)
    for quantity, owners in sorted(measured.items()):
        if len(owners) > 1:
            problems.append(f"the quantity '{quantity}' has cut-offs in several findings: {', '.join(owners)}")
        if quantity not in lexicon.measurements:
            problems.append(f"the quantity '{quantity}' has a cut-off but the lexicon does not say how it is written")
    for quantity in sorted(lexicon.measurements.keys() - measured.keys()):
        problems.append(f"the lexicon describes the quantity '{quantity}', which no finding's cut-off uses")
    problems += _pattern_problems(lexicon)
    known_categories = {finding.category.value for finding in kb.findings.values()}
    for category in lexicon.policy.past_counts_for_categories:
        if category not in known_categories:
            problems.append(f"past_counts_for_categories names an unknown category '{category}'")
    for category in lexicon.policy.comma_breaks_negation_for_categories:
        if category not in known_categories:
            problems.append(f"comma_breaks_negation_for_categories names an unknown category '{category}'")
    return problems
