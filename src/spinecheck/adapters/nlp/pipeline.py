"""Free text to findings on medspaCy: target rules from the knowledge base, ConText from the lexicon.

How a description is read (docs/nlp.md explains it with examples):

1. Markup is blanked out (offsets are kept) and over-long text is refused with a clear message.
2. The blank English tokenizer splits the text (a hyphen inside a compound read as a space, as in
   the phrases); known misspellings get a corrected NORM.
3. Sentences end at . ! ? ; and line breaks, except that a bare answer ("Fever? no.") stays
   with its question.
4. The target matcher finds every phrase of every finding (label, synonyms and the lexicon's
   extra phrases), overlaps allowed, so "chronic back pain" is both a duration and back pain.
5. ConText, with only the lexicon's rules, marks each phrase negated, uncertain, past,
   hypothetical or about another person.
6. Plain Python then turns mentions into answers, adds the side of leg findings, the duration
   band, age and sex, and lists the clauses it could not map.

No spaCy object leaves this module: `NarrativeParser.parse` returns a `ParseResult`.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Mapping, Sequence, Set
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, NamedTuple, cast

from spinecheck.adapters.nlp.build_cache import BuildCache
from spinecheck.adapters.nlp.building import collector_paused
from spinecheck.adapters.nlp.clinical import clinical_pipeline, load_medspacy
from spinecheck.adapters.nlp.lexicon import Lexicon, MeasuredKind, ReadSide
from spinecheck.adapters.nlp.matching import AnchoredMatcher
from spinecheck.adapters.nlp.measurements import Measurement, MeasurementReader
from spinecheck.adapters.nlp.semantic import (
    Embedder,
    SemanticHit,
    SemanticMatcher,
    WordLlamaEmbedder,
    question_phrase,
)
from spinecheck.adapters.nlp.spelling import EnglishWords
from spinecheck.core.kb.loader import implied_by
from spinecheck.core.kb.schema import Finding, FindingCategory
from spinecheck.core.text import Context, ParsedFinding, ParseResult, Status, TextSpan, TextTooLongError

SPAN_GROUP = "medspacy_spans"
# The label of a span that names another thing holding a broad word of a finding (lexicon `other_things`).
OTHER_THING = "other"
SENTENCE_END = frozenset({".", "!", "?", ";", "…"})
CLAUSE_PUNCT = frozenset({",", ".", "!", "?", ";", ":", "(", ")", "…", "-", "—", "–", "/"})
COMPOUND_HYPHEN = re.compile(r"(?<=[A-Za-z])-(?=[A-Za-z])")
# Punctuation that ends the clause a leading time phrase governs ("For three months I've been tired, and ...").
CLAUSE_BREAK = re.compile(r"[,;:()\u2014\u2013]")
SENTENCE_PART_BREAK = re.compile(r"[;:()\u2014\u2013]")
PHRASE_BREAK = re.compile(r"[,;:()\u2014\u2013.!?]")
MARKUP = re.compile(r"<[^<>]{0,500}>|&[a-zA-Z]{2,8};|&#\d{1,6};")
KINDS = ("present", "absent", "normal")
# Pieces for the semantic matcher break at clause punctuation, but not inside "ex-smoker" or "L4/5".
PIECE_BREAKS = CLAUSE_PUNCT - {"-", "/"}
# Where a parsed doc keeps the spans it read by pairing a body part with a kind of symptom.
BODY_PART_RULE = "body part:"
PAIRS_READ = "body part pairs:"
NORMAL_VALUES = "values at normal:"
MEASURED = "measured values:"




BOUND_WORDS_BETWEEN = 2
"""How many words may stand between "of" after a time phrase and the finding it is the time of ("6 months of
poorly controlled diabetes")."""


def _ends_a_hyphened_word(token: Any) -> bool:
    """Whether a token is the part after the hyphen of a word written with one ("standing" of "long-standing")."""
    doc, at = token.doc, token.i
    return at >= 2 and doc[at - 1].text == "-" and not doc[at - 1].whitespace_ and not doc[at - 2].whitespace_


class DurationAnchor(NamedTuple):
    """A finding read, as the duration reader sees it: where it stands and whether a time phrase
    beside it can be how long the episode has lasted."""

    sentence: int
    start: int
    end: int
    about_the_episode: bool
    present: bool
    past: bool = False
    # a finding whose own time follows its words ("sitting for a long time"): a time before it is not its own
    time_after_only: bool = False


@dataclass
class Target:
    """A piece of text read as a finding (by a phrase, or by meaning) and the context cues that reach it."""

    span: Any
    label: str
    modifiers: list[Any]
    via: str | None


MUSCLE_GRADE = re.compile(r"\b[0-5][+-]?\s*/\s*5\b")
"""A muscle power grade on the MRC scale ("4/5", "4-/5"), which says how strong a muscle is."""


class _AggravationWords(NamedTuple):
    """The lexicon's `aggravation` words as lower-case sets, made once per reader."""

    finding_of: dict[str, str]
    acts: frozenset[str]
    not_before: frozenset[str]
    weakness: frozenset[str]
    pain: frozenset[str]
    limits: frozenset[str]
    easing: frozenset[str]


class _ReflexWords(NamedTuple):
    """The lexicon's `reflexes` words as lower-case lookups, made once per reader."""

    words: frozenset[str]
    name_of: dict[str, str]
    joiners: frozenset[str]
    grade_of: dict[str, str]
    stops: frozenset[str]
    place_of: dict[str, frozenset[str]]
    clause_ends: frozenset[str]
    elicit: frozenset[str]
    denials: frozenset[str]
    list_joiners: frozenset[str]
    openers: frozenset[str]


def _lower(words: Iterable[str]) -> frozenset[str]:
    return frozenset(word.lower() for word in words)


def _span_of(doc: Any, mention: Mention) -> Any:
    """The tokens a mention's characters cover (widened to whole tokens), or None."""
    return doc.char_span(mention.start, mention.end, alignment_mode="expand")


class _MuscleGradeWords(NamedTuple):
    """The lexicon's `muscle_grades` as a phrase matcher of the actions and lower-case sets, made once per reader."""

    actions: Any
    joiners: frozenset[str]
    stops: frozenset[str]
    weak: frozenset[str]
    links: frozenset[str]


class _NeededWords(NamedTuple):
    """One `semantic.needs_words` group, lower-cased: what a sentence must hold for a finding of the
    group to be read there by meaning."""

    words: frozenset[str]
    unless: frozenset[str]
    grades: bool
    within: str = "sentence"  # where the words must stand: the sentence, the piece read, or the words read
    said_of_the_body: frozenset[str] = frozenset()
    body_words: frozenset[str] = frozenset()  # parts of the body and sides, which such a word may stand before
    in_piece: frozenset[str] = frozenset()  # words of the group that count only before the piece read ends
    said_normal_by: frozenset[str] = frozenset()  # words that, just before one of the group's, say it is normal

    def told_in(self, sentence: Any, piece: Any = None) -> bool:
        """True when the sentence holds one of the words (or, where the group allows it, a power
        grade) and none of the words that take the reading back; a word of `in_piece` counts only inside
        `piece` or before it, when one is given, never after it; a word said to be normal ("full strength")
        does not count."""
        graded = self.grades and MUSCLE_GRADE.search(sentence.text) is not None
        said = graded or any(
            t.norm_ in self.words and not self._said_of_a_thing(t, sentence)
            and (piece is None or t.norm_ not in self.in_piece or t.i < piece.end)
            and not (t.i > 0 and t.doc[t.i - 1].norm_ in self.said_normal_by)
            for t in sentence
        )
        return said and not any(t.norm_ in self.unless for t in sentence)

    def _said_of_a_thing(self, token: Any, scope: Any) -> bool:
        """A word that tells of the body only when said of it, put before a word that is none of a part,
        a side or a small word: "heavy lifting", "a heavy object"."""
        if token.norm_ not in self.said_of_the_body or token.i + 1 >= scope.end:
            return False
        following = token.doc[token.i + 1]
        return bool(following.is_alpha and not following.is_stop and following.norm_ not in self.body_words)


@dataclass
class Mention:
    """One phrase found in the text and what its context makes of it (internal to the adapter)."""

    finding: str
    status: Status
    start: int
    end: int
    text: str
    explicit: bool
    context: list[Context] = field(default_factory=list)
    cue: str | None = None
    side: str | None = None
    via: str | None = None


def _quiet_dependencies() -> None:
    """PyRuSH (pulled in by medspaCy) logs every sentence at DEBUG level through loguru."""
    try:
        from loguru import logger

        logger.disable("PyRuSH")
    except ImportError:  # pragma: no cover - loguru comes with medspaCy
        pass
    logging.getLogger("medspacy").setLevel(logging.WARNING)


def _anchor_patterns(component: Any, vocab: Any, depth: int = 2) -> None:
    """Give a component's token-pattern matchers the anchored matcher (`matching.py`), before it takes its rules.

    Each empty spaCy `Matcher` found inside the component is replaced by an `AnchoredMatcher`,
    which finds the same matches in the same order but runs on each description only the
    patterns whose words are in it. It also skips spaCy's schema check of each pattern: the
    lexicon's patterns are checked once, by `check_lexicon` (`kb validate` and the tests). A
    component whose matchers cannot be found keeps spaCy's, which is only slower.
    """
    from spacy.matcher import Matcher

    for name, value in list(vars(component).items()):
        if isinstance(value, Matcher):
            if len(value) == 0:
                setattr(component, name, AnchoredMatcher(vocab, validate=False))
            else:
                value.validate = False  # type: ignore[attr-defined]  # public, but not in spaCy's stubs
        elif depth > 0 and hasattr(value, "__dict__") and not isinstance(value, type):
            _anchor_patterns(value, vocab, depth - 1)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _words_in(value: Any, words: set[str]) -> None:
    """Collect the lower-cased words of every string inside a pattern or literal."""
    if isinstance(value, str):
        words.update(value.lower().split())
    elif isinstance(value, dict):
        for item in value.values():
            _words_in(item, words)
    elif isinstance(value, list):
        for item in value:
            _words_in(item, words)


def _context_words(lexicon: Lexicon) -> set[str]:
    """Words the ConText rules and the token patterns look for ("mother", "reproduced", "arches").

    They are never 'corrected' into a target word: a word a pattern reads is a real word.
    """
    words: set[str] = set()
    for rule in lexicon.context:
        _words_in(rule.literal, words)
        _words_in(rule.pattern or [], words)
    for phrase in lexicon.phrases:
        _words_in(phrase.patterns, words)
    if lexicon.body_parts is not None:
        _words_in([*lexicon.body_parts.parts.values(), *lexicon.body_parts.kinds.values()], words)
    if lexicon.reflexes is not None:
        _words_in([lexicon.reflexes.words, *lexicon.reflexes.named.values(), list(lexicon.reflexes.grade_words)], words)
    if lexicon.muscle_grades is not None:
        _words_in(list(lexicon.muscle_grades.actions.values()), words)
    if lexicon.aggravation is not None:
        spec = lexicon.aggravation
        _words_in([*spec.activities.values(), spec.neutral, spec.worse_before, spec.pain_before, spec.after_words],
                  words)
    return words


class NarrativeParser:
    """A loaded pipeline: build once per process (it takes a fraction of a second), parse many."""

    @collector_paused
    def __init__(
        self, findings: Mapping[str, Finding], lexicon: Lexicon, embedder: Embedder | None = None,
        english: Container[str] | None = None,
    ) -> None:
        if embedder is not None:
            self._build(findings, lexicon, english, lambda: embedder)
            return
        # The embedding model loads on a second thread while spaCy's rules are built: most of its
        # load (widening 128,000 vectors to float32, reading its tokenizer) runs outside the GIL.
        with ThreadPoolExecutor(max_workers=1) as loading:
            embedding_model = loading.submit(WordLlamaEmbedder)
            self._build(findings, lexicon, english, embedding_model.result)

    def _build(
        self, findings: Mapping[str, Finding], lexicon: Lexicon, english: Container[str] | None,
        embedder_when_needed: Callable[[], Embedder],
    ) -> None:
        load_medspacy()
        _quiet_dependencies()
        from medspacy.context import ConTextRule
        from medspacy.target_matcher import TargetRule

        self.lexicon = lexicon
        self.findings: dict[str, Finding] = dict(findings)
        # words that are English as written are never slips for another ("spoiling" is not "soiling")
        self._english: Container[str] = EnglishWords() if english is None else english
        self.nlp: Any = clinical_pipeline()
        self._answers = {word.lower() for word in lexicon.answer_words}
        self._filler = {word.lower() for word in lexicon.filler}
        self._clause_words = {word.lower() for word in lexicon.clause_words}
        # Each phrase of the rules tokenized once while the reader is built (`_tokenized`).
        self._phrase_docs: dict[str, Any] = {}
        self._affirm_only: dict[str, frozenset[str]] = {
            item.finding: frozenset(
                self._norms(self._tokenized(COMPOUND_HYPHEN.sub(" ", phrase))) for phrase in item.affirm_only
            )
            for item in lexicon.phrases if item.affirm_only
        }
        # possessives of one's own ("my") and of another ("his"): a phrase written with the first is read with both
        self._own_possessives = frozenset(w.lower() for w in lexicon.policy.words.own_possessives)
        self._their_possessives = sorted(w.lower() for w in lexicon.policy.words.their_possessives)
        self._yielding = {self._norms(self._tokenized(said)) for phrase in lexicon.yield_to_longer
                          for said in self._said_of_anyone(phrase)}
        self._spelling = {typo.lower(): right.lower() for typo, right in lexicon.spelling.items()}
        self._pain_words = {word.lower() for word in lexicon.policy.pain_words}
        self._life_words = {word.lower() for word in lexicon.policy.life_words}
        self._only_with_pain_words = frozenset(word.lower() for word in lexicon.policy.only_with_pain)
        too_strong = lexicon.policy.too_strong
        self._degree_words = frozenset(w.lower() for w in too_strong.degree) if too_strong else frozenset()
        self._strength_words = frozenset(w.lower() for w in too_strong.strength) if too_strong else frozenset()
        self._weakness_words = {word.lower() for word in lexicon.policy.weakness_words}
        self._linking_verbs = frozenset(word.lower() for word in lexicon.policy.linking_verbs)
        # per denied kind (lexicon `denied_kinds`), the words after it that keep its denial to itself
        self._kind_exceptions = [_lower(kind.exceptions) for kind in lexicon.denied_kinds]
        # and the words of what the thing does, which keep it to itself unless a change in it is denied
        self._kind_functions = [_lower(kind.functions) for kind in lexicon.denied_kinds]
        # and the words of another place before it, which keep it to that place
        self._kind_places_before = [_lower(kind.places_before) for kind in lexicon.denied_kinds]
        self._change_words = frozenset(word.lower() for word in lexicon.policy.words.change_words)
        self._tolerate_verbs = frozenset(word.lower() for word in lexicon.policy.tolerate_verbs)
        self._tolerate_objects = frozenset(word.lower() for word in lexicon.policy.tolerate_objects)
        modals = lexicon.negated_modals
        self._modal_negation = modals.negation.lower() if modals else ""
        self._negated_modals = {past.lower(): now.lower() for past, now in modals.present_of.items()} if modals else {}
        self._modals = set(self._negated_modals) | set(self._negated_modals.values())
        self._modal_pairs = {first.lower(): second.lower() for first, second in modals.pairs.items()} if modals else {}
        pronouns = lexicon.limb_pronouns
        self._limb_pronouns = {
            pronoun.lower(): frozenset(word.lower() for word in words) for pronoun, words in pronouns.stands_for.items()
        } if pronouns else {}
        self._pronoun_after = {
            pronoun.lower(): frozenset(word.lower() for word in words) for pronoun, words in pronouns.only_after.items()
        } if pronouns else {}

        targets = list(self._targets())
        target_rules = [TargetRule(literal, label, pattern=pattern) for literal, label, pattern in targets]
        matcher = self.nlp.add_pipe(
            "medspacy_target_matcher",
            config={"result_type": "group", "span_group_name": SPAN_GROUP, "phrase_matcher_attr": "NORM",
                    "prune": False},
        )
        _anchor_patterns(matcher, self.nlp.vocab)
        with self.nlp.select_pipes(enable=[]):  # medspaCy makes each phrase a Doc: the tokenizer is enough
            matcher.add(target_rules)
        context = self.nlp.add_pipe(
            "medspacy_context",
            config={"rules": None, "input_span_type": "group", "span_group_name": SPAN_GROUP,
                    "phrase_matcher_attr": "NORM", "prune_on_target_overlap": True},
        )
        _anchor_patterns(context, self.nlp.vocab)
        context.add([
            ConTextRule(rule.literal, rule.category, direction=rule.direction, pattern=rule.pattern,
                        max_scope=rule.max_scope,
                        allowed_types={f"present|{finding}" for finding in rule.only_findings} or None)
            for rule in lexicon.context
        ])
        self._vocabulary = self._target_vocabulary(targets)
        # words the reader's rules look for are spelt as meant: "pushes" is not a slip for "pulses"; so are the
        # words the knowledge base itself writes (a dancer is no slip for cancer)
        self._rule_words = frozenset(
            word.lower() for group in lexicon.semantic.needs_words for word in (*group.words, *group.unless)
        ) | frozenset(word.lower() for word in (*lexicon.policy.pain_words, *lexicon.not_slips))
        written = [*lexicon.ignore_synonyms, *(
            text for finding in self.findings.values() for text in (finding.label, finding.question, *finding.synonyms)
        )]
        self._rule_words |= frozenset(word for text in written for word in re.findall(r"[a-z]+", text.lower()))
        self._context_words = _context_words(lexicon)
        self._fuzzy_index: dict[str, set[str]] = defaultdict(set)
        for word in self._vocabulary:
            if len(word) >= lexicon.fuzzy_min_length - 1:
                for variant in _deletes(word) | {word}:
                    self._fuzzy_index[variant].add(word)
        self._side_words: dict[str, ReadSide] = {
            word.lower(): side for side, words in lexicon.laterality.words.items() for word in words
        }
        self._one_of = tuple(tuple(phrase.lower().split()) for phrase in lexicon.laterality.one_of)
        self._one_limb = frozenset(word.lower() for word in lexicon.laterality.one_limb)
        self._one_limb_after = frozenset(word.lower() for word in lexicon.laterality.one_limb_after)
        self._first_person = frozenset(lexicon.policy.first_person)
        self._departed = frozenset(word.lower() for word in lexicon.policy.departed)
        self._compared_with = frozenset(word.lower() for word in lexicon.laterality.compared_with)
        self._joining_both = frozenset(word.lower() for word in lexicon.laterality.joining_both)
        self._side_determiners = frozenset(word.lower() for word in lexicon.laterality.determiners)
        self._episode_words = frozenset(word.lower() for word in lexicon.durations.episode_words)
        # the duration reader's findings tied to this episode, with a time of their own, and of those the ones
        # whose time follows their words (`_duration_anchors`)
        self._duration_roles = (
            frozenset(lexicon.durations.episode_course), frozenset(lexicon.durations.own_duration),
            frozenset(lexicon.durations.own_duration_after),
        )
        self._when_findings = frozenset(lexicon.policy.when_findings)
        self._clause_openers = frozenset(word.lower() for word in lexicon.policy.clause_openers)
        words = lexicon.policy.words
        self._list_words, self._denials = frozenset(words.list_words), frozenset(words.denials)
        recurrence = lexicon.policy.recurrence_by_complaint
        self._recurrence_naming = frozenset(w.lower() for w in (recurrence.naming_words if recurrence else ()))
        self._list_joiners = list_joiners(lexicon)
        self._noun_cues = frozenset(word.lower() for word in words.noun_cues)
        self._third_person, self._own, self._their = (
            frozenset(words.third_person), frozenset(words.own_possessives), frozenset(words.their_possessives)
        )
        self._persons = self._third_person | self._first_person  # a subject, not the verb that opens a clause
        demographics = lexicon.demographics
        self._sex_words = {word.lower(): sex for sex, words in demographics.sex_words.items() for word in words}
        self._possessives = frozenset(word.lower() for word in demographics.possessives)
        self._decade: re.Pattern[str] | None = None
        if demographics.decades and demographics.decade_lead:
            def either(words: Iterable[str]) -> str:
                return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))

            self._decade = re.compile(
                rf"\b(?:{either(demographics.decade_lead)})\s+(?:(?P<part>{either(demographics.decade_parts)})[\s-]+)?"
                rf"(?P<decade>{either(demographics.decades)})(?!\w)",
                re.IGNORECASE,
            )
        self._relatives = frozenset(lexicon.policy.relatives)
        self._relative_lead = frozenset(word.lower() for word in lexicon.policy.words.relative_lead)
        self._durations = _DurationReader(lexicon)
        self._measurements = MeasurementReader(self.findings, lexicon)
        self._by_value = frozenset(
            f.id for f in self.findings.values()
            if f.cutoffs or f.category in (FindingCategory.SIGN, FindingCategory.TEST)
        )
        # what a measured value says beyond its own finding ("38.5 °C" is a fever): never read by
        # meaning from the words of a measurement, whatever the value ("temperature 36.8 °C")
        self._said_by_values = frozenset(
            implied for f in self.findings.values() if f.cutoffs for implied in f.implies
        )
        self._age = [re.compile(p, re.IGNORECASE) for p in lexicon.demographics.age]
        relative = "|".join(re.escape(word) for word in sorted(lexicon.policy.relatives, key=len, reverse=True))
        self._relative_age = [
            re.compile(pattern.replace("{relative}", f"(?:{relative})"), re.IGNORECASE)
            for pattern in lexicon.demographics.relative_age
        ]
        self._sex = [
            (sex, re.compile(p, re.IGNORECASE)) for sex, patterns in lexicon.demographics.sex.items() for p in patterns
        ]
        self.semantic = self._semantic_matcher(embedder_when_needed())
        spec = lexicon.body_parts
        # The single words of every kind of symptom, and the words that name a place or end a pairing.
        self._kind_words = {w.lower() for words in (spec.kinds.values() if spec else ()) for w in words if " " not in w}
        self._site_words = {w.lower() for words in (spec.parts.values() if spec else ()) for w in words} | {
            w.lower() for w in (spec.gap_stops if spec else ())
        }
        # Which part each part word names, and the neighbouring words that make it not that part.
        self._part_of_word = {w.lower(): part for part, words in (spec.parts.items() if spec else ()) for w in words}
        self._part_after = {
            part: {word.lower(): other for word, other in words.items()}
            for part, words in (spec.part_after.items() if spec else ())
        }
        self._both_sides_only = frozenset(lexicon.laterality.both_sides_only)
        self._one_side_only = frozenset(lexicon.laterality.one_side_only)
        self._contrast_words = _lower(lexicon.laterality.contrast_words)
        self._one_side_words = frozenset(w for w, side in self._side_words.items() if side in ("left", "right"))
        self._both_side_words = frozenset(w for w, side in self._side_words.items() if side == "both")
        self._part_in_list = dict(spec.part_in_list) if spec else {}
        # part -> [(the words before it that name an area, the part's words it applies to or None, the area)]
        self._regions: dict[str, list[tuple[frozenset[str], frozenset[str] | None, str]]] = {}
        for region, area in (spec.regions.items() if spec else ()):
            qualifiers = frozenset(w.lower() for w in area.qualifiers)
            area_words = frozenset(w.lower() for w in area.words) or None
            # an area is found from its own part's words and from any word it lists of another part:
            # "the outer leg" is the outer side of the leg below the knee, as "the outer lower leg" is
            for part in {area.part} | {self._part_of_word[w] for w in area_words or () if w in self._part_of_word}:
                self._regions.setdefault(part, []).append((qualifiers, area_words, region))
        self._not_a_part = {
            part: ({w.lower() for w in rule.before}, {w.lower() for w in rule.after}, {w.lower() for w in rule.owned})
            for part, rule in (spec.not_a_part.items() if spec else ())
        }
        self._not_a_part_unless_owned = {
            part: frozenset(w.lower() for w in rule.before_unless_owned)
            for part, rule in (spec.not_a_part.items() if spec else ()) if rule.before_unless_owned
        }
        self._of_another = {
            part: {w.lower() for w in rule.of_another}
            for part, rule in (spec.not_a_part.items() if spec else ()) if rule.of_another
        }
        self._places_listed_with = {
            part: frozenset(w.lower() for w in rule.listed_with) | self._list_joiners
            for part, rule in (spec.not_a_part.items() if spec else ()) if rule.listed_with
        }
        self._lead_words = {w.lower() for w in (spec.lead_in if spec else ())}
        self._lead_in_max = spec.lead_in_max if spec else 0
        self._implied = implied_by(self.findings)
        self._pair_family = self._pairs_behind_findings()
        self._stopped_by_pain = self._pain_caused_targets()
        self._whole_body_parts = frozenset(self.lexicon.body_parts.several_parts if self.lexicon.body_parts else ())
        self._pairs_kept_inside = frozenset(spec.pairs_kept_inside if spec else ())
        self._part_list_links = self._list_joiners | {w.lower() for w in (spec.listed_part_words if spec else ())}
        self._paired_kinds = {(part, kind) for part, kinds in (spec.findings.items() if spec else ()) for kind in kinds}
        self._path_bounds = frozenset(spec.path_bounds if spec else ())
        self._lack_of = {finding: {w.lower() for w in words} for finding, words in lexicon.policy.lack_of.items()}
        self._lack_words = {w.lower() for w in lexicon.policy.lack_words}
        self._total = frozenset(lexicon.policy.total_findings)
        self._inability_words = frozenset(word.lower() for word in lexicon.policy.inability_words)
        self._inability_verbs = frozenset(word.lower() for word in lexicon.policy.inability_verbs)
        # words that say a thing is not there or not managed: a denial, a lack or an inability
        self._words_of_denial = frozenset(self._denials | self._lack_words | self._inability_words)
        self._inability_implies: dict[str, list[str]] = defaultdict(list)
        for total, movements in lexicon.policy.inability_implies.items():
            for movement in movements:
                self._inability_implies[movement].append(total)
        self._partial = frozenset(w.lower() for w in lexicon.policy.partial_words)
        exceptions = lexicon.normal_exceptions
        self._exception_cues = [tuple(cue.lower().split()) for cue in exceptions.cues] if exceptions else []
        self._exception_kinds = {
            word.lower(): set(found) for word, found in exceptions.kinds.items()
        } if exceptions else {}
        self._ability = frozenset(w.lower() for w in lexicon.policy.ability_words)
        self._together_listed = {
            target: frozenset(w.lower() for w in rule.listed) for target, rule in lexicon.policy.together.items()
        }
        self._not_now = frozenset({"past", "hypothetical", "other_person"})  # contexts of a mention not of now
        self._normal_words = {w.lower() for w in lexicon.policy.normal_words}
        self._normal_result_words = frozenset(w.lower() for w in lexicon.policy.normal_result_words)
        self._normal_result_categories = frozenset(lexicon.policy.normal_result_categories)
        self._result_words = frozenset(w.lower() for w in lexicon.policy.result_words)
        self._clause_ends_for_results = frozenset(w.lower() for w in lexicon.policy.result_clause_ends)
        # what takes back a result told normal: a word of abnormality, lack or partial inability, or a denial
        self._not_normal_words = frozenset(w.lower() for w in (
            *lexicon.policy.abnormal_words, *lexicon.policy.lack_words, *lexicon.policy.partial_words,
            *lexicon.policy.words.denials,
        ))
        # ... and what says the other side of a contrast is not as the first was: those, or a denial that opens a gap
        self._said_otherwise = self._not_normal_words | {word.lower() for word in lexicon.policy.gap_denials}
        self._state_words = self._lack_words | self._normal_words  # words that already say how the thing is
        self._words_of_kind = {kind: {w.lower() for w in words} for kind, words in (spec.kinds.items() if spec else ())}
        # a finding in several groups needs a word of each ("a urine infection" names urine, but no
        # trouble passing it)
        self._needed_words: dict[str, list[_NeededWords]] = defaultdict(list)
        body_words = frozenset(self._part_of_word) | {w.lower() for words in lexicon.laterality.words.values()
                                                      for w in words}
        for group in lexicon.semantic.needs_words:
            needed = _NeededWords(
                frozenset(w.lower() for w in group.words), frozenset(w.lower() for w in group.unless), group.grades,
                group.within, frozenset(w.lower() for w in group.said_of_the_body), body_words,
                frozenset(w.lower() for w in group.in_piece), frozenset(w.lower() for w in group.said_normal_by),
            )
            for finding in group.findings:
                self._needed_words[finding].append(needed)
        self._body_parts = self._body_part_matcher()
        self._aggravation = self._aggravation_matcher()
        self._aggravation_words = self._aggravation_lookup()
        self._reflex_words = self._reflex_lookup()
        self._muscle_grade_words = self._muscle_grade_lookup()
        self._phrase_docs.clear()

    def _semantic_matcher(self, embedder: Embedder) -> SemanticMatcher:
        """Every name of every finding: label, question, synonyms, the lexicon's paraphrases; and normal statements."""
        spec = self.lexicon.semantic
        ignored = {phrase.lower() for phrase in self.lexicon.ignore_synonyms}
        names: dict[str, list[str]] = defaultdict(list)
        thresholds: dict[str, float] = {}
        # How long the episode has lasted is read from its numbers by the duration reader, never by meaning.
        by_days = {band.finding for band in self.lexicon.durations.bands}
        for finding in self.findings.values():
            if finding.id in by_days:
                continue
            key = f"present|{finding.id}"
            own = [finding.label, question_phrase(finding.question, spec.question_lead), *finding.synonyms]
            names[key].extend(name for name in own if name.lower() not in ignored)
            red_flag = finding.category == FindingCategory.RED_FLAG
            fallback = spec.red_flag_threshold if red_flag else spec.default_threshold
            threshold = spec.thresholds.get(finding.id, fallback)
            thresholds[key] = thresholds[f"absent|{finding.id}"] = threshold
        for item in self.lexicon.phrases:
            if item.finding in self.findings and item.finding not in by_days:
                names[f"present|{item.finding}"].extend(item.present)
                names[f"absent|{item.finding}"].extend(item.absent)
        for number, statement in enumerate(self.lexicon.normal):
            if any(finding in self.findings for finding in statement.absent):
                names[f"normal|{number}"].extend(statement.phrases)
                thresholds[f"normal|{number}"] = spec.normal_threshold
        normalised = {key: [self._piece_text(list(self._tokenized(name))) for name in items]
                      for key, items in names.items()}
        rivals: dict[str, list[str]] = defaultdict(list)
        for finding_id in self.findings.keys() - by_days:
            rivals[f"present|{finding_id}"].append(f"absent|{finding_id}")
            rivals[f"absent|{finding_id}"].append(f"present|{finding_id}")
        for number, statement in enumerate(self.lexicon.normal):
            for finding_id in statement.absent:
                rivals[f"present|{finding_id}"].append(f"normal|{number}")
        for group in spec.opposites:
            for finding_id in group:
                rivals[f"present|{finding_id}"].extend(f"present|{other}" for other in group if other != finding_id)
        identity = getattr(embedder, "identity", None)
        cache = BuildCache.default()
        return SemanticMatcher(embedder, normalised, thresholds, spec.default_threshold, spec.margin, rivals,
                               denials=[word.lower() for word in spec.denials],
                               polar=[f"present|{finding}" for group in spec.opposites for finding in group],
                               embed_names=(lambda texts: cache.vectors(identity, texts, embedder.embed))
                               if identity else None)

    @staticmethod
    def _piece_text(tokens: Sequence[Any]) -> str:
        """What the semantic matcher compares: the words as normalised ("can't" -> "can not").

        Fillers stay: leaving them out was measured to lower precision more than it raised recall
        (docs/adr/0008-semantic-reader.md).
        """
        return " ".join(t.norm_ for t in tokens if not t.is_space and not t.is_punct)

    # ------------------------------------------------------------------ building the rules

    def _targets(self) -> Iterable[tuple[str, str, list[dict[str, Any]] | None]]:
        """(literal, category, token pattern) for every phrase; the category is 'kind|finding'."""
        ignored = {phrase.lower() for phrase in self.lexicon.ignore_synonyms}
        denials = sorted({word.lower() for word in self.lexicon.policy.gap_denials})
        possessives = sorted({*self._own_possessives, *self._their_possessives})
        seen: set[tuple[str, str]] = set()

        def emit(phrase: str, category: str) -> Iterable[tuple[str, str, list[dict[str, Any]] | None]]:
            phrase = COMPOUND_HYPHEN.sub(" ", phrase)
            for said in self._said_of_anyone(phrase):
                key = (said.lower(), category)
                if key in seen or said.lower() in ignored:
                    continue
                seen.add(key)
                yield said, category, self._phrase_pattern(said)

        for finding in self.findings.values():
            phrases = list(finding.synonyms)
            if not re.search(r"[()0-9/]", finding.label):
                phrases.append(finding.label)
            for phrase in phrases:
                yield from emit(phrase, f"present|{finding.id}")
        for item in self.lexicon.phrases:
            if item.finding not in self.findings:
                continue
            for phrase in [*item.present, *item.affirm_only]:
                yield from emit(phrase, f"present|{item.finding}")
            for phrase in item.absent:
                yield from emit(phrase, f"absent|{item.finding}")
            for kind, name, patterns in (("present", "pattern", item.patterns),
                                         ("absent", "absent pattern", item.absent_patterns)):
                for number, pattern in enumerate(patterns):
                    pattern = self._every_possessive(possessives, self._gaps_stop_at(denials, pattern))
                    yield f"{item.finding} {name} {number}", f"{kind}|{item.finding}", pattern
        for number, statement in enumerate(self.lexicon.normal):
            for phrase in statement.phrases:
                yield from emit(phrase, f"normal|{number}")
            for k, pattern in enumerate(statement.patterns):
                pattern = self._every_possessive(possessives, self._gaps_stop_at(denials, pattern))
                yield f"normal statement {number} pattern {k}", f"normal|{number}", pattern
        for number, denied in enumerate(self.lexicon.denied_kinds):
            for phrase in denied.phrases:
                for said in self._one_or_many(phrase):
                    yield from emit(said, f"denied|{number}")
        for phrase in self.lexicon.other_things:
            yield from emit(phrase, f"{OTHER_THING}|{phrase}")
        for number, pattern in enumerate(self.lexicon.other_patterns):
            pattern = self._every_possessive(possessives, self._gaps_stop_at(denials, pattern))
            yield f"other thing pattern {number}", f"{OTHER_THING}|pattern {number}", pattern

    @staticmethod
    def _one_or_many(phrase: str) -> list[str]:
        """A kind named in the plural in more than one word ("past illnesses", "medical problems"), and in the
        singular as well: "no significant past illness" denies the kind as "no past illnesses" does. A
        single word keeps its plural ("no recent illness" is no denial of lasting ones). Endings that make
        no word ("illnesse") match nothing."""
        if " " not in phrase or not phrase.endswith("s") or phrase.endswith("ss"):
            return [phrase]
        if phrase.endswith("ies"):
            return [phrase, phrase[:-3] + "y"]
        return list(dict.fromkeys([phrase, phrase[:-1], *([phrase[:-2]] if phrase.endswith("es") else [])]))

    def _said_of_anyone(self, phrase: str) -> list[str]:
        """A phrase, and where it holds a possessive of one's own ("between my shoulder blades"), the same
        phrase with each possessive of another (`policy.words.their_possessives`): a clinician writes "his"
        of the person a patient calls "my"."""
        own = self._own_possessives
        words = phrase.split(" ")
        if not own.intersection(word.lower() for word in words):
            return [phrase]
        return [phrase, *(" ".join(other if word.lower() in own else word for word in words)
                          for other in self._their_possessives)]

    @staticmethod
    def _every_possessive(possessives: list[str], pattern: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The pattern with every slot that takes a possessive taking them all (`policy.words`' own and
        their possessives): a clinician's "no weakness in his legs" is the person's own, as "in my legs" is."""
        if not possessives:
            return pattern
        wanted = set(possessives)
        changed: list[dict[str, Any]] = []
        for token in pattern:
            for attr in ("NORM", "LOWER"):
                spec = token.get(attr)
                if isinstance(spec, dict) and isinstance(spec.get("IN"), list) and wanted & set(spec["IN"]):
                    token = {**token, attr: {**spec, "IN": [*spec["IN"], *sorted(wanted - set(spec["IN"]))]}}
            changed.append(token)
        return changed

    @staticmethod
    def _gaps_stop_at(denials: list[str], pattern: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The pattern with every open gap (a token of any word, repeated or optional) unable to cross a denial
        (`policy.gap_denials`): "the joints are not swollen" is no "joints ... swollen". A gap that names its own
        words, or already keeps some out, keeps them out as well."""
        if not denials:
            return pattern
        changed: list[dict[str, Any]] = []
        for token in pattern:
            open_gap = "OP" in token and ("IS_ALPHA" in token or "IS_ASCII" in token) and not any(
                isinstance(token.get(attr), dict) and "IN" in token[attr] for attr in ("NORM", "LOWER", "TEXT")
            ) and not any(isinstance(token.get(attr), str) for attr in ("NORM", "LOWER", "TEXT"))
            if open_gap:
                norm = dict(token.get("NORM") or {})
                norm["NOT_IN"] = sorted({*norm.get("NOT_IN", []), *denials})
                token = {**token, "NORM": norm}
            changed.append(token)
        return changed

    def _kind_of_another_site(self, doc: Any, start: int, end: int) -> bool:
        """A symptom word right after the name of a place belongs to that place: in "low back pain
        and numbness of the leg" the pain is the back's, not the leg's. After a denial it belongs to what
        the denial is of ("my back doesn't hurt, my legs..."), unless its place follows with no break
        ("no weakness of the lower limbs", for ConText to deny)."""
        if start == 0 or doc[start].norm_ not in self._kind_words or doc[start - 1].norm_ not in self._site_words:
            return False
        spec = self.lexicon.body_parts
        before, named = self._part_of_word.get(doc[start - 1].norm_), self._part_at(doc, end - 1)
        if spec is not None and before is not None and named is not None and before in spec.within.get(named, ()):
            return False  # "back pain in the thoracolumbar region": where in the back it hurts
        if end - start > 2 and all(t.norm_ in self._side_determiners for t in doc[start + 1 : end - 1]):
            return False  # "his legs hurt his back": the place it is said of is the one it hurts
        return doc[start - 1].norm_ not in self._denials or any(t.is_punct for t in doc[start:end])

    def _body_part_matcher(self) -> AnchoredMatcher:
        # Made here from the lexicon's words, so well-formed by construction. Its long gaps run open
        # (matching.py); `_add_body_part_spans` puts the matches in an order of its own.
        matcher = AnchoredMatcher(self.nlp.vocab, validate=False, open_repeats=True)
        for label, pattern in self._body_part_rules():
            matcher.add(label, [pattern])
        return matcher

    def _body_part_rules(self) -> Iterable[tuple[str, list[dict[str, Any]]]]:
        """(label, token pattern): a part of the body and a kind of symptom near each other, both ways
        round (lexicon `body_parts`).

        One pattern serves every part that has a finding for the kind; the label says the kind and
        where the part's word stands ("first" or "last" in the match, or "path" for a symptom that
        travels to it), and `_add_body_part_spans` reads the finding from that word's part.
        """
        spec = self.lexicon.body_parts
        if spec is None:
            return
        every_kind = sorted(self._kind_words)
        # a list word that is itself a denial ("neither my back nor my legs hurt") stays a cue of
        # its own: a pairing that swallowed it would take the denial away from what follows
        denying = {
            rule.literal.lower() for rule in self.lexicon.context
            if rule.category == "NEGATED_EXISTENCE" and rule.pattern is None and " " not in rule.literal
        }
        joined = sorted({word.lower() for word in self.lexicon.policy.words.list_words} - denying | {","})
        # a kind listed between two others is one word ("weakness, wasting and pain in his legs") or a
        # phrase of several ("loss of strength and pins and needles in both legs"): up to three of the
        # kinds' words, their function words left out
        function_words = {word for word in self.nlp.Defaults.stop_words if word not in joined}
        between: dict[str, Any] = {"NORM": {"IN": sorted(set(every_kind) | {
            word for words in spec.kinds.values() for phrase in words if " " in phrase
            for word in phrase.lower().split() if word not in function_words and word not in joined
        })}, "OP": "{1,3}"}  # (never a joining word: "weaker, and my legs feel stiff" starts a clause of its own)
        # ... with an article or a word of how strong before it, or "feeling" after: "and a mild burning feeling"
        listed_words = sorted({word.lower() for word in spec.listed_kind_words})
        listed_kinds: list[list[dict[str, Any]]] = [[
            {"NORM": {"IN": listed_words}, "OP": "{0,2}"}, between, {"NORM": {"IN": listed_words}, "OP": "?"},
        ], [{"NORM": {"IN": listed_words}, "OP": "{2,3}"}]] if listed_words else [[between]]  # or "abnormal sensations"
        stops = sorted(self._site_words)
        qualifiers = sorted({word.lower() for area in spec.regions.values() for word in area.qualifiers})
        lead = sorted({word.lower() for word in spec.lead_in})
        every_part = sorted({word.lower() for words in spec.parts.values() for word in words})
        path_words = sorted({word.lower() for word in spec.path_words})
        path_stops = sorted({word.lower() for word in spec.path_stops})
        # On the way a comma may stand ("pain in the right flank, spreading into the groin"), but not
        # another kind of symptom: the nearest kind is the one that travels, or two joined ("pain and numbness").
        joined_kind = [{"NORM": {"IN": joined}, "OP": "?"}, {"NORM": {"IN": every_kind}, "OP": "?"}]
        and_word: dict[str, Any] = {"NORM": {"IN": joined}}
        lead_in: dict[str, Any] = {"NORM": {"IN": lead}, "OP": f"{{0,{spec.lead_in_max}}}"}
        another_part: dict[str, Any] = {"NORM": {"IN": every_part}}
        area_word: dict[str, Any] = {"NORM": {"IN": qualifiers}}

        path_gap = {"NORM": {"NOT_IN": sorted({*path_stops, *every_kind})},
                    "TEXT": {"NOT_IN": [".", ";", ":", "!", "?", "(", ")"]}, "OP": f"{{0,{spec.path_max_gap}}}"}
        for kind, kind_words in spec.kinds.items():
            paired = sorted({
                word.lower() for part in spec.findings
                if any(f in self.findings for f in spec.pair(part, kind)) for word in spec.words_of(part)
            })
            # a part reached by a travelling symptom may say something of its own only then ("pain in my
            # neck running down my arm"): it is a part for the travelling patterns (an empty list of
            # parts in the other patterns matches nothing)
            reached = sorted(set(paired) | {
                word.lower() for part, by_kind in spec.path_findings.items()
                if by_kind.get(kind) in self.findings for word in spec.parts.get(part, ())
            })
            if not reached:
                continue
            words = {word.lower() for word in kind_words}
            # One token for all the single words of the kind, a sequence for each phrase of several.
            kinds: list[list[dict[str, Any]]] = [[{"NORM": {"IN": sorted(w for w in words if " " not in w)}}]]
            kinds += [[{"NORM": token} for token in phrase.split()] for phrase in sorted(words) if " " in phrase]
            kinds += spec.kind_patterns.get(kind, [])

            def to_part(said: list[dict[str, Any]], *between_words: dict[str, Any], reach: int | None = None,
                        parts: list[str] = paired) -> list[dict[str, Any]]:
                """A kind, the words between it and a part it is told of, and up to `reach` words of `lead_in`
                (the lexicon's `lead_in_max` unless said) before that part: the patterns that end at the part."""
                leading = {"NORM": {"IN": lead}, "OP": f"{{0,{spec.lead_in_max if reach is None else reach}}}"}
                return [*said, *between_words, leading, {"NORM": {"IN": parts}}]

            for said in kinds:
                yield f"first|{kind}", [
                    {"NORM": {"IN": paired}},
                    {"IS_ALPHA": True, "NORM": {"NOT_IN": stops}, "OP": f"{{0,{spec.max_gap}}}"},
                    *said,
                ]
                yield f"last|{kind}", to_part(said)
                # "pain and weakness in her left leg": the kind joined to another before the part.
                for listed_kind in listed_kinds:
                    yield f"last|{kind}", to_part(said, and_word, *listed_kind)
                    # or three: "weak, numb and tingly in all four limbs"
                    yield f"last|{kind}", to_part(said, and_word, between, and_word, *listed_kind)
                # "my whole leg, from the groin down, has become painful": an aside between commas after the part
                yield f"first|{kind}", [
                    {"NORM": {"IN": paired}},
                    {"TEXT": ","},
                    {"TEXT": {"NOT_IN": [",", ".", ";", ":", "!", "?", "(", ")"]}, "OP": f"{{1,{spec.max_gap + 2}}}"},
                    {"TEXT": ","},
                    {"IS_ALPHA": True, "NORM": {"NOT_IN": stops}, "OP": f"{{0,{spec.max_gap}}}"},
                    *said,
                ]
                # "my feet have a painful, tingling, burning feeling": the kind listed after another.
                yield f"first|{kind}", [
                    {"NORM": {"IN": paired}},
                    {"IS_ALPHA": True, "NORM": {"NOT_IN": stops}, "OP": f"{{0,{spec.max_gap}}}"},
                    {"NORM": {"IN": every_kind}},
                    {"NORM": {"IN": joined}},
                    # a word that may stand with a listed kind between: "weak, thin and painful"
                    {"NORM": {"IN": sorted(set(every_kind) | set(listed_words))}, "OP": "?"},
                    {"NORM": {"IN": joined}, "OP": "?"},
                    *said,
                ]
                # "my arms and legs have got weaker": the part joined to another part before the kind.
                yield f"first|{kind}", [
                    {"NORM": {"IN": paired}},
                    {"NORM": {"IN": joined}},
                    {"NORM": {"IN": lead}, "OP": "{0,2}"},
                    {"NORM": {"IN": every_part}},
                    {"IS_ALPHA": True, "NORM": {"NOT_IN": stops}, "OP": f"{{0,{spec.max_gap}}}"},
                    *said,
                ]
                # "pain from my buttock down the back of my leg": the symptom travels to the part.
                if spec.path_words:
                    yield f"path|{kind}", [
                        *said,
                        *joined_kind,
                        path_gap,
                        {"NORM": {"IN": path_words}},
                        {"NORM": {"IN": lead}, "OP": f"{{0,{spec.lead_in_max}}}"},
                        {"NORM": {"IN": reached}},
                    ]
                    # "... down the back of the right thigh and calf": on to a second part joined to the first,
                    # or a third ("into the buttock, the back of the thigh and the outer calf").
                    for hops in (1, 2):
                        yield f"path|{kind}", [
                            *said,
                            *joined_kind,
                            path_gap,
                            {"NORM": {"IN": path_words}},
                            {"NORM": {"IN": lead}, "OP": f"{{0,{spec.lead_in_max}}}"},
                            {"NORM": {"IN": every_part}},
                            *[step for _ in range(hops - 1) for step in (
                                {"NORM": {"IN": joined}},
                                {"NORM": {"IN": lead}, "OP": "{0,4}"},
                                {"NORM": {"IN": every_part}},
                            )],
                            {"NORM": {"IN": joined}},
                            {"NORM": {"IN": lead}, "OP": "{0,4}"},
                            {"NORM": {"IN": reached}},
                        ]
                # "pain in my left hip and groin": the part joined to another part after the kind, or listed
                # after two or three ("pain in the neck, shoulders, lower back and hips").
                listed_part = [another_part, and_word, {"NORM": {"IN": lead}, "OP": "{0,2}"}]
                yield f"last|{kind}", to_part(said, lead_in, another_part, and_word, reach=4)
                for hops in (2, 3):
                    yield f"last|{kind}", to_part(said, lead_in, *listed_part * (hops - 1), another_part, and_word,
                                                  reach=4)
                # two areas of one part: "tingling (and a painful itch) over the front and outer side of the thigh"
                for kind_list in [[], *([and_word, *listed_kind] for listed_kind in listed_kinds)]:
                    yield f"last|{kind}", to_part(said, *kind_list, lead_in, area_word, and_word)
                # both lists at once: "pain and tingling in my left buttock and leg"
                yield f"last|{kind}", to_part(said, and_word, between, lead_in, another_part, and_word, reach=4)

    def _pairs_behind_findings(self) -> dict[str, frozenset[tuple[str, str]]]:
        """For each finding, the (part, kind) pairs whose finding it is or shares a more general finding
        with: leg weakness, weakness on both sides and a leg that cannot move at all are all what a leg
        paired with "weak" or "unable" says, on any part of the leg; leg numbness is not."""
        spec = self.lexicon.body_parts
        if spec is None:
            return {}
        pair_finding = {(part, kind): spec.pair(part, kind) for part, kinds in spec.findings.items() for kind in kinds}
        paired = {finding for found in pair_finding.values() for finding in found}
        implied = self._implied

        def general(finding: str) -> set[str]:
            """The finding and every finding it implies (known ids only)."""
            return {finding, *implied[finding]} if finding in implied else set()

        reached = {pair: set().union(*(general(f) for f in found)) for pair, found in pair_finding.items()}
        family: dict[str, frozenset[tuple[str, str]]] = {}
        for finding in self.findings:
            mine = general(finding)
            pairs = frozenset(pair for pair, theirs in reached.items() if mine & theirs & paired)
            if pairs:
                family[finding] = pairs
        return family

    def _said_of_a_paired_part(self, finding: str, read_pairs: set[tuple[str, str]]) -> bool:
        """True when a piece already pairs one of the finding's parts with another kind of symptom and
        never with the finding's own kind: "severe pain in both legs" says what the legs feel, so the
        meaning reader, led by the word "legs", does not add leg weakness to it."""
        family = self._pair_family.get(finding)
        if not family or not read_pairs:
            return False
        parts = {part for part, _ in family}
        other_kind = any(part in parts and (part, kind) not in family for part, kind in read_pairs)
        return other_kind and not family & read_pairs

    def _led_by_a_word_not_of_its_part(self, finding: str, doc: Any, start: int, end: int) -> bool:
        """True when the words of the finding's parts in a piece are all used as something else
        (`_names_the_part`): in "pain on the outer side of her thigh" the word "side" is not the flank,
        so the meaning reader, led by it, does not read flank pain."""
        family = self._pair_family.get(finding)
        if not family:
            return False
        parts = {part for part, _ in family}
        # a word of one of its parts that the word before makes another part is used as something else too:
        # "upper limb" is the arm, however close "upper limb weakness" comes to "lower limb weakness"
        uses = [(i, self._part_at(doc, i)) for i in range(start, end) if self._part_of_word.get(doc[i].norm_) in parts]
        return bool(uses) and not any(
            part in parts and self._names_the_part(doc, i, part) for i, part in uses if part is not None
        )

    def _names_hold(self, key: str, span: Any) -> bool:
        """True when a name of the finding read by meaning holds the broad phrase: "numb" gives way to
        saddle numbness ("numb when I wipe"), "at night" does not give way to unrefreshing sleep."""
        phrase = f" {self._piece_text(span)} "
        return any(phrase in f" {name} " for name in self.semantic.names_of(key))

    def _of_another_part(self, span: Any, finding: str) -> bool:
        """True when `span` lies in a pairing of a body part that `finding` is not about."""
        parts = {part for a, b, part, _ in span.doc.user_data.get(PAIRS_READ, ()) if a <= span.start and span.end <= b}
        return bool(parts) and not parts & {part for part, _ in self._pair_family.get(finding, ())}

    def _part_said_to_be_normal(self, finding: str, tokens: Any) -> bool:
        """True when words read by meaning as a part's symptom say the part is as it should be and
        never name the symptom's kind: "legs working fine" is not leg weakness."""
        family = self._pair_family.get(finding)
        words = [token.norm_ for token in tokens]
        if not family or not set(words) & self._normal_words:
            return False
        said = f" {' '.join(words)} "
        return not any(f" {phrase} " in said for _, kind in family for phrase in self._words_of_kind.get(kind, ()))

    def _pair_findings(self, part: str, where: str, kind: str, origins: Set[str] = frozenset()) -> list[str]:
        """The findings a body-part match reads: the pair's and what its kind says anywhere (`kind_findings`),
        and for a symptom that travels to the part, what the travelling says (`path_findings`), from where
        it must start if that matters (`path_from`)."""
        spec = self.lexicon.body_parts
        assert spec is not None
        found: list[str | None] = [*spec.pair(part, kind)]
        if found:
            found += spec.kind_findings.get(kind, [])
        whole = spec.regions[part].part if part in spec.regions else part  # an area travels as its part does
        if where == "path" and (whole not in spec.path_from or origins & set(spec.path_from[whole])):
            found.append(spec.path_findings.get(whole, {}).get(kind))
        return [finding for finding in found if finding is not None and finding in self.findings]

    def _phrase_pattern(self, phrase: str) -> list[dict[str, Any]] | None:
        """Acronyms ("MS", "RA") must match in capitals; everything else goes to the phrase matcher."""
        limit = self.lexicon.acronym_max_length
        tokens = list(self._tokenized(phrase))
        if not any(t.text.isalpha() and t.text.isupper() and len(t.text) <= limit for t in tokens):
            return None
        return [
            {"TEXT": t.text} if t.text.isalpha() and t.text.isupper() and len(t.text) <= limit else {"NORM": t.norm_}
            for t in tokens
        ]

    def _tokenized(self, phrase: str) -> Any:
        """The tokens of a phrase of the rules; a phrase named again (a label that is also a name to
        compare with) is not tokenized again while the reader is built."""
        doc = self._phrase_docs.get(phrase)
        if doc is None:
            doc = self._phrase_docs[phrase] = self.nlp.tokenizer(phrase)
        return doc

    def _target_vocabulary(self, targets: Iterable[tuple[str, str, list[dict[str, Any]] | None]]) -> set[str]:
        words: set[str] = set()
        for literal, _, pattern in targets:
            if pattern is None:
                words.update(t.norm_ for t in self._tokenized(literal) if t.is_alpha)
        return words

    # ------------------------------------------------------------------ reading a text

    def parse(self, text: str) -> ParseResult:
        """Read one description. Raises TextTooLongError above the lexicon's `max_chars`."""
        if len(text) > self.lexicon.max_chars:
            raise TextTooLongError(
                f"the description is {len(text):,} characters long; spinecheck reads at most "
                f"{self.lexicon.max_chars:,} — please shorten it to the main symptoms"
            )
        clean = MARKUP.sub(lambda m: " " * len(m.group(0)), text)
        if not clean.strip():
            return ParseResult(text=text)
        measurements = self._measurements.read(clean)
        doc = self._read_doc(clean, [(m.start, m.end) for m in measurements])
        valued = self._values_of_kinds(doc, measurements)
        doc.user_data[NORMAL_VALUES] = [
            (value.start, value.end, measured.kind) for m, value, measured in valued if m.value >= measured.below
        ]
        doc.user_data[MEASURED] = [
            (span.start, span.end) for m in measurements
            if (span := doc.char_span(m.start, m.end, alignment_mode="expand")) is not None
        ]
        of_self = self._writes_of_self(doc)
        age, age_span = self._read_age(clean, of_self)
        mentions = self._mentions(doc, self._targets_in(doc))
        mentions += [
            Mention(m.finding, "present", m.start, m.end, clean[m.start:m.end], True, via="measurement")
            for m in measurements
            if m.passed and (m.from_age is None or (age is not None and age >= m.from_age))
        ]
        mentions += self._measured_parts(doc, valued)
        duration, days = self._durations.read(
            clean, self._duration_anchors(doc, mentions), [sentence.start_char for sentence in doc.sents]
        )
        mentions += [mention for mention in duration if mention.finding in self.findings]
        mentions += self._ruled_out_by_values(clean, measurements, age)
        mentions = self._other_side_said_otherwise(doc, mentions)
        decided = self._decide(mentions)
        for finding, at_least in self.lexicon.durations.needs_at_least.items():
            too_soon = days is not None and days < at_least
            if too_soon and finding in decided and decided[finding].status == "present":
                del decided[finding]  # "painkillers don't help" two weeks in is not "no better after a month"
        self._add_implied(doc, decided)
        if self._add_together(doc, decided):
            self._add_implied(doc, decided)
        sex, sex_span = self._read_sex(clean, doc, of_self)
        sex = sex or self._sex_of_findings(decided)
        covered = [(m.start, m.end) for m in mentions] + [(m.start, m.end) for m in measurements]
        covered += [span for span in (age_span, sex_span) if span is not None]
        covered += [(t.idx, t.idx + len(t.text)) for t in doc if t.norm_ in self._side_words]
        covered += self._modifier_spans(doc)
        result = self._result(text, decided, age, age_span, sex, sex_span, self._not_understood(doc, covered))
        mentioned = self._mentioned_by_parts(doc)
        return result.model_copy(update={"mentioned": mentioned}) if mentioned else result

    def _mentioned_by_parts(self, doc: Any) -> list[str]:
        """The findings whose part the text names anywhere (`body_parts.mentions`), the words that use a
        part's word for something else left out ("went back to work", "the back of my leg")."""
        mentions = self.lexicon.body_parts.mentions if self.lexicon.body_parts else {}
        found: set[str] = set()
        for token in doc:
            part = self._part_of_word.get(token.norm_)
            if part in mentions and self._names_the_part(doc, token.i, part):
                found.update(mentions[part])
        return sorted(found)

    def _values_of_kinds(
        self, doc: Any, measurements: Sequence[Measurement]
    ) -> list[tuple[Measurement, Any, MeasuredKind]]:
        """Each stated value of a quantity that is a kind of symptom of a part (`body_parts.measured_kinds`),
        with its tokens: "strength is 4/5", "power 5/5"."""
        kinds = self.lexicon.body_parts.measured_kinds if self.lexicon.body_parts else {}
        valued = []
        for measurement in measurements:
            measured = kinds.get(measurement.quantity)
            if measured is None:
                continue
            value = doc.char_span(measurement.start, measurement.end, alignment_mode="expand")
            if value is not None:
                valued.append((measurement, value, measured))
        return valued

    def _ruled_out_by_values(self, text: str, measurements: Sequence[Measurement], age: int | None) -> list[Mention]:
        """A finding whose every measured quantity is stated, each value inside its cut-off and none past it, is
        absent: it was measured and found normal ("temperature 36.8 °C", "BP 135/85 mmHg, pulse 98/min"). Words
        that name the finding as there still win ("mild anaemia, haemoglobin 12.4"), and a normal value never
        dates the episode."""
        by_finding: dict[str, list[Measurement]] = defaultdict(list)
        for measurement in measurements:
            if measurement.from_age is None or (age is not None and age >= measurement.from_age):
                by_finding[measurement.finding].append(measurement)
        ruled_out = []
        for finding, values in by_finding.items():
            if self.findings[finding].lateral or any(
                value.passed or not self.lexicon.measurements[value.quantity].rules_out for value in values
            ):
                continue  # a value of one side leaves the other open ("ABI 0.95 on the right and 0.60 on the left")
            if {cutoff.quantity for cutoff in self.findings[finding].cutoffs} <= {value.quantity for value in values}:
                first = values[0]
                ruled_out.append(Mention(finding, "absent", first.start, first.end, text[first.start:first.end], False,
                                         ["normal"], via="measurement"))
        return ruled_out

    def _measured_parts(self, doc: Any, valued: Sequence[tuple[Measurement, Any, MeasuredKind]]) -> list[Mention]:
        """A value below its scale's normal said of a part of the body is that part's symptom, and a
        value at normal denies it (`_values_of_kinds`): "strength is 4/5 in every muscle group of both
        legs" is weakness of both legs. The part is the nearest one named in the value's sentence,
        within `measured_reach` words of the value, and its side is read as for any leg finding."""
        spec = self.lexicon.body_parts
        if spec is None:
            return []
        found: list[Mention] = []
        for measurement, value, measured in valued:
            kind = measured.kind
            status: Status = "present" if measurement.value < measured.below else "absent"

            def distance(token: Any, value: Any = value) -> int:
                return int(value.start - token.i if token.i < value.start else token.i - value.end + 1)

            near = [
                token for token in value.sent
                if (part := self._part_at(doc, token.i)) is not None and spec.pair(part, kind)
                and distance(token) <= spec.measured_reach and self._names_the_part(doc, token.i, part)
            ]
            if not near:
                continue
            part_word = min(near, key=lambda token: (distance(token), token.i))
            for listed in self._parts_listed_with(doc, part_word, near):
                span = doc[min(listed.i, value.start) : max(listed.i + 1, value.end)]
                for finding in spec.pair(self._part_at(doc, listed.i) or "", kind):
                    if finding not in self.findings:
                        continue
                    if status == "absent":
                        finding = self._either_side(finding)
                    side = self._side(doc, span) if self.findings[finding].lateral else None
                    found.append(Mention(finding, status, span.start_char, span.end_char, span.text, True,
                                         side=side, via="measurement"))
        return found

    def _parts_listed_with(self, doc: Any, part_word: Any, near: Sequence[Any]) -> list[Any]:
        """The part word nearest a value and the parts listed with it, joined only by list words and
        `body_parts.listed_part_words`: "strength is 4/5 in arms and legs" is told of both."""
        listed = [part_word]
        for token in sorted(near, key=lambda t: abs(t.i - part_word.i)):
            if token.i == part_word.i:
                continue
            start, end = (token.i + 1, min(t.i for t in listed)) if token.i < part_word.i else (
                max(t.i for t in listed) + 1, token.i)
            if start <= end and all(t.lower_ in self._part_list_links for t in doc[start:end]):
                listed.append(token)
        return sorted(listed, key=lambda t: t.i)

    def _either_side(self, finding: str) -> str:
        """For a finding of both sides (`laterality.both_sides_only`, one of its general finding's `sides`): the
        general finding, which a normal value told of both legs denies in either ("strength is 5/5 in all
        limbs" is no weakness of one leg either); any other finding as it is."""
        if finding not in self._both_sides_only or len(self.findings[finding].implies) != 1:
            return finding
        general = self.findings[finding].implies[0]
        return general if general in self.findings and finding in self.findings[general].sides else finding

    def _duration_anchors(self, doc: Any, mentions: list[Mention]) -> list[DurationAnchor]:
        """Each finding mention as the duration reader sees it.

        A time phrase nearest a history or risk factor ("smoked for 30 years", "diabetes for ten
        years") says how long that has been so, not how long the episode has lasted.
        """
        history = {FindingCategory.HISTORY, FindingCategory.RISK_FACTOR}
        course, own, after_only = self._duration_roles
        starts = [sentence.start_char for sentence in doc.sents]
        anchors = []
        for mention in mentions:
            if mention.via in ("past", "kind"):
                # the earlier episode read from a past symptom stands where the symptom does; a whole kind denied
                # ("no recent injury") dates nothing
                continue
            sentence = max((s for s in starts if s <= mention.start), default=0)
            episode = (
                self.findings[mention.finding].category not in history or mention.finding in course
            ) and mention.finding not in own
            anchors.append(DurationAnchor(
                sentence, mention.start, mention.end, episode, mention.status == "present", "past" in mention.context,
                mention.finding in after_only,
            ))
        for token in doc:
            if token.lower_ in self._episode_words:  # the complaint as a whole: "has had symptoms for 4 months"
                sentence = max((s for s in starts if s <= token.idx), default=0)
                anchors.append(DurationAnchor(sentence, token.idx, token.idx + len(token.text), True, True))
        return anchors

    def _read_doc(self, clean: str, measured: Sequence[tuple[int, int]] = ()) -> Any:
        # A hyphen inside a compound is read as a space ("electric-shock pain", "low-back pain"), as the
        # phrases are, so both spellings match; offsets are kept.
        # A text that stops without a full stop is given one, so an answer at its very end ("fever: no") ends
        # its item as it would anywhere else; the offsets of the text's own words are unchanged.
        closed = clean if not clean.strip() or clean.rstrip()[-1] in ".!?;" else f"{clean.rstrip()} ."
        doc = self.nlp.make_doc(COMPOUND_HYPHEN.sub(" ", closed))
        self._normalise(doc)
        self._split_sentences(doc)
        self._read_limb_pronouns(doc)
        for name, component in self.nlp.pipeline:
            if name == "medspacy_context":
                self._add_body_part_spans(doc, measured)
                self._add_activity_spans(doc)
                self._add_listed_normal_spans(doc)
                self._add_reflex_spans(doc)
                self._add_muscle_grade_spans(doc)
            doc = component(doc)
        return doc

    def _normalise(self, doc: Any) -> None:
        """Give misspelt words the NORM of the word meant: the lexicon's list, then one-letter slips; a
        past modal before "not" reads as the present one, so one phrase covers "can't" and "couldn't"."""
        for token in doc:
            lower = token.norm_
            if lower in self._modals and token.i + 1 < len(doc) and doc[token.i + 1].norm_ in self._modal_pairs:
                self._read_pair_as_negation(doc, token.i + 1)
            if (lower in self._negated_modals and token.i + 1 < len(doc)
                    and doc[token.i + 1].norm_ == self._modal_negation):
                token.norm_ = self._negated_modals[lower]
            elif lower in self._spelling:
                token.norm_ = self._spelling[lower]
            elif (
                token.is_alpha and len(lower) >= self.lexicon.fuzzy_min_length
                and lower not in self._vocabulary and lower not in self._filler and lower not in self._context_words
                and lower not in self._rule_words
            ):
                candidates: set[str] = set()
                for variant in _deletes(lower) | {lower}:
                    candidates |= self._fuzzy_index.get(variant, set())
                candidates = {c for c in candidates if abs(len(c) - len(lower)) <= 1}
                # the English word list is asked last: it is loaded only when a word has a slip to mend
                if len(candidates) == 1 and lower not in self._english:
                    token.norm_ = candidates.pop()

    def _read_pair_as_negation(self, doc: Any, at: int) -> None:
        """"could neither move nor feel" reads as "could not move or feel": the pair's first word after a
        modal as the negation, and its partner, a few words on in the same clause, as the alternative."""
        modals = self.lexicon.negated_modals
        assert modals is not None
        partner = self._modal_pairs[doc[at].norm_]
        doc[at].norm_ = self._modal_negation
        for token in doc[at + 1 : at + 1 + modals.pair_reach]:
            if token.is_punct:
                return
            if token.norm_ == partner:
                token.norm_ = modals.alternative.lower()
                return

    def _read_limb_pronouns(self, doc: Any) -> None:
        """Give a pronoun the NORM of the limb it stands for, so "I can't move it" after "my left leg
        went dead" reads as "I can't move the leg". The nearest part word before it decides, in its
        sentence or else the one before; a part the pronoun cannot stand for ("my back ... it") leaves
        it as it is, and a pronoun of `only_after` is read only right after one of its verbs."""
        if not self._limb_pronouns:
            return
        last_part: Any = None  # the nearest part word so far, in this sentence or the one before
        previous_part: Any = None
        for token in doc:
            if token.is_sent_start:
                previous_part, last_part = last_part, None
            stands_for = self._limb_pronouns.get(token.lower_)
            after = self._pronoun_after.get(token.lower_)
            if after is not None and (token.i == 0 or doc[token.i - 1].norm_ not in after):
                continue
            if stands_for is not None:
                nearest = last_part if last_part is not None else previous_part
                if nearest is not None and nearest.norm_ in stands_for:
                    token.norm_ = nearest.norm_
            elif token.norm_ in self._part_of_word:
                last_part = token

    def _split_sentences(self, doc: Any) -> None:
        """Sentence ends at . ! ? ; and line breaks; a bare answer after a question stays with it."""
        tokens = list(doc)
        for index, token in enumerate(tokens):
            token.is_sent_start = index == 0
        index = 0
        while index < len(tokens):
            token = tokens[index]
            ends = token.text in SENTENCE_END or "\n" in token.text
            if ends and index + 1 < len(tokens):
                nxt = index + 1
                while nxt < len(tokens) and tokens[nxt].is_space:
                    nxt += 1
                if nxt < len(tokens) and not self._bare_answer(tokens, nxt):
                    tokens[nxt].is_sent_start = True
                    for between in range(index + 1, nxt):
                        tokens[between].is_sent_start = False
            index += 1

    def _bare_answer(self, tokens: Sequence[Any], start: int) -> bool:
        """True when the tokens from `start` to the next sentence end are only answer words."""
        seen = False
        for token in tokens[start:]:
            if token.text in SENTENCE_END or "\n" in token.text or token.text == ",":
                return seen
            if token.norm_ not in self._answers and token.lower_ not in self._answers:
                return False
            seen = True
        return seen

    def _modifier_spans(self, doc: Any) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        graph = getattr(doc._, "context_graph", None)
        for modifier in getattr(graph, "modifiers", None) or []:
            if modifier.direction in ("TERMINATE", "PSEUDO"):
                continue
            start, end = modifier.modifier_span
            spans.append((doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)))
        return spans

    def _targets_in(self, doc: Any) -> list[Target]:
        """The phrases the matcher found, then the pieces of text the semantic matcher reads as findings."""
        spans = list(doc.spans[SPAN_GROUP]) if SPAN_GROUP in doc.spans else []
        spans = [span for span in spans if not self._gives_way(span, spans)]
        # a word of a whole kind ("weakness") reads only when denied: it covers nothing that meaning may read
        read_by_meaning = self._semantic_targets(doc, [span for span in spans if not span.label_.startswith("denied|")])
        # the name of another thing ("hay fever") has covered its words, and reads nothing itself
        spans = [span for span in spans if not span.label_.startswith(f"{OTHER_THING}|")]
        # A broad word ("numb") inside a piece whose meaning is a more specific finding gives way to it,
        # unless the word names the symptom of another part ("back pain going down both legs").
        spans = [
            span for span in spans
            if not (self._is_broad(span) and any(
                t.span.start <= span.start and span.end <= t.span.end and t.label != span.label_
                and t.label.startswith("present|") and not self._of_another_part(span, t.label.split("|", 1)[1])
                and self._names_hold(t.label, span)
                for t in read_by_meaning
            ))
        ]
        spans = [span for span in spans if not self._part_only_in_another_use(span, span.label_)]
        spans = [span for span in spans if not self._hurts_a_place_named_after(span)]
        read_by_meaning = [t for t in read_by_meaning if not self._part_only_in_another_use(t.span, t.label)]
        # spaCy keeps a span's extension values by its place, so two findings read over the same words share
        # their modifiers: each keeps those its rule allows for its own finding (`ContextRuleSpec.only_findings`)
        targets = [
            Target(span, span.label_, [m for m in span._.modifiers if m.allows(span.label_.upper())], via=None)
            for span in spans
        ]
        return targets + read_by_meaning

    def _hurts_a_place_named_after(self, span: Any) -> bool:
        """A reading of a part's symptom that ends in a word of the symptom said of another place right after it:
        in "any movement of his legs hurts his back" the hurt is the back's, not the legs'."""
        doc, finding = span.doc, span.label_.split("|", 1)[-1]
        family = self._pair_family.get(finding)
        if not family or not span.label_.startswith("present|") or doc[span.end - 1].norm_ not in self._kind_words:
            return False
        after = self._past_determiners(doc, span.end, len(doc))
        if after == span.end or after >= len(doc):
            return False
        place = self._part_of_word.get(doc[after].norm_)
        return place is not None and place not in {part for part, _ in family}

    def _part_only_in_another_use(self, span: Any, label: str) -> bool:
        """True when every word in `span` naming the finding's part is followed by a word that makes
        it a place on another part (`body_parts.not_a_part`, `of_another`): "pain in the back of his
        thigh" is not back pain, while "pain low in my back on one side" is."""
        finding = label.split("|", 1)[-1]
        parts = {part for part, _ in self._pair_family.get(finding, ())}
        if not parts:
            return False
        doc = span.doc
        named = [(token.i, part) for token in span if (part := self._part_at(doc, token.i)) in parts]
        return bool(named) and all(
            part in self._of_another and self._word_after_its_list(doc, at, part) in self._of_another[part]
            for at, part in named
        )

    def _word_after_its_list(self, doc: Any, at: int, part: str) -> str | None:
        """The word after the part's word at `at`, past other places listed with it ("the back and side of the
        hip": "of"); None at the end of the text."""
        listed = self._places_listed_with.get(part, frozenset())
        after = at + 1
        while after < len(doc) and doc[after].norm_ in listed:
            after += 1
        if after > at + 1 and doc[after - 1].norm_ in self._list_joiners:
            return None  # a list that ends on a joiner names no other place
        return doc[after].norm_ if after < len(doc) else None

    def _pieces(self, doc: Any) -> list[tuple[int, int]]:
        """Token ranges between clause breaks, a short part joined to the part before it by a list word."""
        return self._joined_lists(doc, self._raw_pieces(doc))

    def _raw_pieces(self, doc: Any) -> list[tuple[int, int]]:
        """Token ranges between clause breaks: punctuation, clause words and context cues (which stay outside)."""
        graph = getattr(doc._, "context_graph", None)
        cue_tokens: set[int] = set()
        for modifier in getattr(graph, "modifiers", None) or []:
            if modifier.direction != "PSEUDO":
                cue_tokens.update(range(*modifier.modifier_span))
        pieces: list[tuple[int, int]] = []
        start: int | None = None
        for token in doc:
            breaks = (
                token.is_sent_start or token.text in PIECE_BREAKS or token.norm_ in self._clause_words
                or token.i in cue_tokens or token.is_space or "\n" in token.text
            )
            if breaks and start is not None:
                pieces.append((start, token.i))
                start = None
            if not (token.text in PIECE_BREAKS or token.norm_ in self._clause_words or token.i in cue_tokens
                    or token.is_space) and start is None:
                start = token.i
        if start is not None:
            pieces.append((start, len(doc)))
        return pieces

    def _content(self, tokens: Any) -> list[Any]:
        """The words of `tokens` that carry meaning (not punctuation, numbers or filler)."""
        return [t for t in tokens if t.is_alpha and t.norm_ not in self._filler]

    def _elliptic_pieces(self, doc: Any, raw: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
        """One-word parts of a list that share the subject of the part before it, each read with that
        subject: "both my legs feel numb, weak and burning" is also read as "both my legs feel weak"
        and "both my legs feel burning". (start, end, the text to read) for each such part of the
        pieces `raw` (`_raw_pieces`)."""
        minimum = self.lexicon.semantic.min_content_words
        read: list[tuple[int, int, str]] = []
        base: tuple[int, int] | None = None
        previous_end = -1
        for start, end in raw:
            content = self._content(doc[start:end])
            listed = all(t.lower_ in self._list_joiners for t in doc[previous_end:start])
            if len(content) >= minimum:
                base = (start, end)
            elif (base is not None and end - start == 1 and content and listed and previous_end > 0
                    and doc[start].sent == doc[base[0]].sent):
                base_tokens = list(doc[base[0]:base[1]])
                last = self._content(base_tokens)[-1]
                subject = doc[base[0]:last.i]
                read.append((start, end, f"{self._piece_text(subject)} {self._piece_text(doc[start:end])}".strip()))
            else:
                base = None
            previous_end = end
        return read

    def _joined_lists(self, doc: Any, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """A piece too short to say anything alone, joined to the one before by a list word only, is
        read with it: "it has gone cold and pale", "pain in my back and leg" (the second part names
        no subject of its own)."""
        minimum = self.lexicon.semantic.min_content_words
        joined: list[tuple[int, int]] = []
        for start, end in pieces:
            if joined:
                before_start, before_end = joined[-1]
                between = doc[before_end:start]
                content = len(self._content(doc[start:end]))
                if (content < minimum and len(between) and doc[start].sent == doc[before_start].sent
                        and all(t.lower_ in self._list_words for t in between)):
                    joined[-1] = (before_start, end)
                    continue
            joined.append((start, end))
        return joined

    def _open_pieces(
        self, doc: Any, spans: list[Any], pieces: list[tuple[int, int]]
    ) -> list[tuple[int, int, set[str]]]:
        """Of `pieces` (`_pieces`), those with words no phrase read, with the findings phrases named in them.

        A piece is left to the phrases when they read most of its words (`exact_cover`, counting
        only phrases more specific than a broad word like "numb"), or when fewer than
        `min_content_words` of its words are left unread: "weakness" alone, "no leg pain at all"
        say nothing the phrases missed, while "the tissue feels numb when I wipe" does.
        """
        spec = self.lexicon.semantic
        open_pieces: list[tuple[int, int, set[str]]] = []
        for start, end in pieces:
            overlapping = [s for s in spans if s.start < end and start < s.end]
            content = [t.i for t in self._content(doc[start:end])]
            firm = {
                i for s in overlapping if not (self._is_broad(s) or self._pairs_part_and_kind(s))
                for i in range(s.start, s.end)
            }
            anything = {i for s in overlapping if not self._pairs_part_and_kind(s) for i in range(s.start, s.end)}
            if content and sum(1 for i in content if i in firm) / len(content) >= spec.exact_cover:
                continue
            if sum(1 for i in content if i not in anything) < spec.min_content_words:
                continue
            open_pieces.append((start, end, {s.label_.split("|", 1)[1] for s in overlapping}))
        return open_pieces

    def _is_broad(self, span: Any) -> bool:
        return self._norms(span) in self._yielding

    @staticmethod
    def _words_after_kind(doc: Any, span: Any) -> list[Any]:
        """Up to three words after a kind's words that may keep its denial to itself, within its item of a list: past
        a comma only the next word ("no medicines, except warfarin"), since the next item is another thing ("no back
        pain, weakness, change in bladder function": the "in" is the bladder's)."""
        words: list[Any] = []
        for token in doc[span.end:min(span.end + 3, span.sent.end)]:
            words.append(token)
            if len(words) > 1 and words[-2].text == ",":
                break
        return words

    @staticmethod
    def _pairs_part_and_kind(span: Any) -> bool:
        """A span read by pairing a body part with a kind of symptom: it names where and what, not the
        rest of its piece, so the piece is still read by meaning."""
        return (span.start, span.end, span.label_) in span.doc.user_data.get(BODY_PART_RULE, {})

    def _denied_of_whole_limb(self, doc: Any, span: Any) -> bool:
        """A pair of a whole limb, or of every limb, with a kind whose denial there is whole
        (`body_parts.denied_whole`), told of no one side: "no limb weakness", "no weakness in any limb"."""
        spec = self.lexicon.body_parts
        paired = doc.user_data.get(BODY_PART_RULE, {}).get((span.start, span.end, span.label_))
        if spec is None or paired is None:
            return False
        part, kind = paired
        return kind in spec.denied_whole.get(part, ()) and self._side(doc, span) in (None, "both")

    def _part_at(self, doc: Any, at: int) -> str | None:
        """The part the word at `at` names; a word right before may name another (`body_parts.part_after`:
        "lower limbs" are the legs, while "all four limbs" are legs and arms)."""
        part = self._part_of_word.get(doc[at].norm_)
        if part is None:
            return None
        if at > 0:
            part = self._part_after.get(part, {}).get(doc[at - 1].norm_, part)
        whole = self._part_in_list.get(part)
        if whole is not None and self._listed_with(doc, at, whole):
            return whole
        return self._area_of(doc, at, part) if at > 0 else part

    def _listed_with(self, doc: Any, at: int, part: str) -> bool:
        """True when the word at `at` is listed right beside a word of `part` ("the calf, ankle and foot")."""
        for step in (-1, 1):
            i, joined = at + step, False
            while 0 <= i < len(doc) and doc[i].norm_ in self._list_joiners:
                i, joined = i + step, True
            if joined and 0 <= i < len(doc) and self._part_of_word.get(doc[i].norm_) == part:
                return True
        return False

    def _area_of(self, doc: Any, at: int, part: str) -> str:
        """The area of the part a word among those leading to it names (`body_parts.regions`: "the outer
        side of her thigh" is the outer thigh), the nearest first; else the part."""
        areas = self._regions.get(part)
        if not areas:
            return part
        word = doc[at].norm_
        for token in reversed(doc[max(0, at - self._lead_in_max) : at]):
            for qualifiers, words, region in areas:
                if token.norm_ in qualifiers and (words is None or word in words):
                    return region
            if token.norm_ not in self._lead_words:
                break
        return part

    def _names_the_part(self, doc: Any, at: int, part: str) -> bool:
        """False when the part's word at `at` is used as something else by its neighbours (lexicon
        `body_parts.not_a_part`): "the back of my leg", "my upper back", "went back to work"."""
        rule = self._not_a_part.get(part)
        if rule is None:
            return True
        before, after, owned = rule
        following = doc[at + 1].norm_ if at + 1 < len(doc) else None
        if following in self._list_joiners:  # "the back and side of the hip": the word after the places listed
            listed_to = self._word_after_its_list(doc, at, part)
            if listed_to in self._of_another.get(part, ()):
                following = listed_to
        # "his back when he slipped" is his body, whatever follows (but "his back of the thigh" is not)
        owned_part = at > 0 and doc[at - 1].norm_ in owned and following not in self._of_another.get(part, ())
        if following in after and not owned_part:
            return False
        # Looking back over the words that may lead to a part ("the middle of my back") to the first
        # word that may not ("came back"): any of them in `before` makes it not the part, and one of
        # `before_unless_owned` unless a possessive stands right before the part ("goes through to my back").
        owned_here = at > 0 and doc[at - 1].norm_ in owned
        unless_owned = frozenset() if owned_here else self._not_a_part_unless_owned.get(part, frozenset())
        for token in reversed(doc[max(0, at - self._lead_in_max - 1) : at]):
            if token.norm_ in before or token.norm_ in unless_owned:
                return False
            if token.norm_ not in self._lead_words:
                break
        return True

    def _aggravation_matcher(self) -> AnchoredMatcher | None:
        """Lists of things done that make the pain worse (lexicon `aggravation`), told before or after
        what they do to it; made here from the lexicon's words, so well-formed by construction."""
        spec = self.lexicon.aggravation
        if spec is None:
            return None
        acts = sorted({w.lower() for words in spec.activities.values() for w in words}
                      | {w.lower() for w in spec.neutral})
        # inside the list: activities, joiners, and numbers ("sitting for more than 30 minutes")
        inside = "|".join(re.escape(w) for w in sorted({*acts, *(w.lower() for w in spec.joiners)}))
        listed: list[dict[str, Any]] = [
            {"NORM": {"IN": acts}}, {"NORM": {"REGEX": rf"^(?:{inside}|\d+)$"}, "OP": f"{{0,{spec.gap}}}"},
        ]
        links: dict[str, Any] = {"NORM": {"IN": sorted({w.lower() for w in spec.links})}}
        comma: dict[str, Any] = {"NORM": ",", "OP": "?"}  # "it has hurt, especially when I sit"
        matcher = AnchoredMatcher(self.nlp.vocab, validate=False)
        matcher.add("before", [[{"NORM": {"IN": sorted({w.lower() for w in spec.worse_before})}}, comma,
                                {**links, "OP": "{0,3}"}, *listed]])
        if spec.pain_before:
            matcher.add("before", [[{"NORM": {"IN": sorted({w.lower() for w in spec.pain_before})}}, comma,
                                    {**links, "OP": "{1,3}"}, *listed]])
        fillers = {"NORM": {"IN": sorted({w.lower() for w in spec.fillers})}, "OP": f"{{0,{spec.most_fillers}}}"}
        matcher.add("after", [[*listed, fillers,
                               {"NORM": {"IN": sorted({w.lower() for w in spec.after_words})}}]])
        return matcher

    def _aggravation_lookup(self) -> _AggravationWords | None:
        spec = self.lexicon.aggravation
        if spec is None:
            return None
        finding_of = {w.lower(): finding for finding, words in spec.activities.items() for w in words
                      if finding in self.findings}
        return _AggravationWords(
            finding_of=finding_of, acts=frozenset(finding_of) | _lower(spec.neutral),
            not_before=_lower(spec.not_before), weakness=_lower(spec.weakness_words), pain=_lower(spec.pain_words),
            limits=_lower(spec.limits_words), easing=_lower(spec.easing_words),
        )

    @staticmethod
    def _add_unread(doc: Any, start: int, end: int, finding: str, read: list[Any], kind: str = "present") -> None:
        """Add a span reading `finding` (as `kind`: present or absent) over tokens start..end to `read`, unless a
        span in `read` or in the doc already reads it there (phrases first: a rule only fills the gaps they leave)."""
        from spacy.tokens import Span

        label = f"{kind}|{finding}"
        if not any(s.label_ == label and s.start < end and start < s.end
                   for s in [*doc.spans.get(SPAN_GROUP, []), *read]):
            read.append(Span(doc, start, end, label=label))

    def _add_known(
        self, doc: Any, start: int, end: int, findings: Iterable[str], read: list[Any], kind: str = "present"
    ) -> None:
        """`_add_unread` for each of `findings` that the knowledge base has, in the order of their ids."""
        for finding in sorted(f for f in findings if f in self.findings):
            self._add_unread(doc, start, end, finding, read, kind=kind)

    def _add_listed_normal_spans(self, doc: Any) -> None:
        """Examined things listed with one result that says they are as they should be (lexicon
        `listed_normal`): "power, sensation and reflexes in the legs are normal" reads leg weakness, leg
        numbness and the reflex findings absent, over the list and its result, so ConText still reads a
        denial or a time there. The list runs back from the result over verbs, items and joiners, or, when
        nothing is listed before it, on from it ("normal tone, power and reflexes")."""
        spec = self.lexicon.listed_normal
        if spec is None:
            return
        results, verbs = _lower(spec.results), _lower(spec.verbs)
        joiners, items = _lower(spec.joiners), {word.lower(): found for word, found in spec.items.items()}

        def listed(positions: range) -> tuple[list[str], int | None]:
            named: list[str] = []
            edge: int | None = None
            for i in positions:
                word = doc[i].norm_
                if word in items:
                    named.append(word)
                    edge = i
                elif word not in joiners:
                    if positions.step < 0 and edge == i + 1 and doc[i].is_alpha:
                        named.pop()  # "perineal sensation is intact": the item is another place's
                        edge = next((k for k in range(i + 2, positions.start + 1) if doc[k].norm_ in items), None)
                    break
            return named, edge

        added: list[Any] = []
        for token in doc:
            if token.norm_ not in results:
                continue
            sentence = token.sent
            before = token.i - 1
            while before >= sentence.start and doc[before].norm_ in verbs:
                before -= 1
            named, first = listed(range(before, sentence.start - 1, -1))
            start, end = (first, token.i + 1) if first is not None else (token.i, token.i + 1)
            if first is None:
                if token.i + 1 >= sentence.end or doc[token.i + 1].norm_ not in items:
                    continue  # "his skin is normal and his reflexes are reduced": no list after the result
                named, last = listed(range(token.i + 1, sentence.end))
                if last is None or (last + 1 < sentence.end and doc[last + 1].norm_ in verbs):
                    continue  # the items have a verb, and a result, of their own
                end = last + 1
            if self._one_side_follows(doc, end, sentence.end):
                continue  # "with normal sensation on the left": the right may be the side at fault
            self._add_known(doc, start, end, {f for word in named for f in items[word]}, added, kind="absent")
        if added:
            doc.spans[SPAN_GROUP] = [*doc.spans.get(SPAN_GROUP, []), *added]

    def _add_activity_spans(self, doc: Any) -> None:
        """Each activity in a list of what makes the pain worse, read as its finding over the whole list
        and what it does ("walking and standing make it worse": worse standing), where no phrase read
        that finding there already. ConText then reads the list's denials and times as any finding's."""
        spec, words = self.lexicon.aggravation, self._aggravation_words
        if spec is None or words is None or self._aggravation is None:
            return
        added: list[Any] = []
        matches = sorted(self._aggravation(doc), key=lambda match: (match[1] - match[2], match[1]))
        for _, start, end in matches:  # the longest first
            said = {token.norm_ for token in doc[start].sent}
            if said & words.weakness and not said & words.pain:
                continue
            sentence_start = doc[start].sent.start
            if any(t.norm_ in words.easing for t in doc[max(sentence_start, start - spec.easing_reach) : start]):
                continue  # what helps, not what hurts: "better once I'm moving and worse if I rest"
            # an activity next to a limb is the limb's movement: "prone knee bend", "bending her knee"
            # the part after a hyphen is no activity: "long-standing back pain" is old pain, not pain on standing
            done = [token for token in doc[start:end] if token.norm_ in words.acts and not _ends_a_hyphened_word(token)
                    and not any(t.norm_ in words.not_before for t in doc[max(token.i - 1, 0) : token.i + 3])]
            read = {words.finding_of[token.norm_] for token in done if token.norm_ in words.finding_of}
            # hard to do, a list with more than walking or lying in it says the pain limits daily life
            if read and spec.limits_finding in self.findings and any(t.norm_ in words.limits for t in doc[start:end]):
                read.add(spec.limits_finding)
            self._add_known(doc, start, end, read, added)
        if added:
            doc.spans[SPAN_GROUP] = [*doc.spans.get(SPAN_GROUP, []), *added]

    def _reflex_lookup(self) -> _ReflexWords | None:
        spec = self.lexicon.reflexes
        if spec is None:
            return None
        place_of = {w.lower(): frozenset({name}) for name, places in spec.places.items() for w in places}
        place_of.update({w.lower(): frozenset(spec.unnamed) for w in spec.unnamed_places})
        return _ReflexWords(
            words=_lower(spec.words), name_of={w.lower(): name for name, names in spec.named.items() for w in names},
            joiners=_lower(spec.name_joiners), grade_of={w.lower(): grade for w, grade in spec.grade_words.items()},
            stops=_lower(spec.stops), place_of=place_of, clause_ends=_lower(spec.clause_ends),
            elicit=_lower(spec.elicit_words), denials=_lower(spec.denials), list_joiners=_lower(spec.list_joiners),
            openers=_lower(spec.openers),
        )

    def _muscle_grade_lookup(self) -> _MuscleGradeWords | None:
        """A phrase matcher of the muscle actions (lexicon `muscle_grades`), one label per action, and its words."""
        spec = self.lexicon.muscle_grades
        if spec is None:
            return None
        from spacy.matcher import PhraseMatcher

        matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        for action, phrases in spec.actions.items():
            matcher.add(action, [self._tokenized(phrase.lower()) for phrase in phrases])
        return _MuscleGradeWords(
            actions=matcher, joiners=_lower(spec.joiners), stops=_lower(spec.stops), weak=_lower(spec.weak_words),
            links=_lower(spec.grade_links),
        )

    @staticmethod
    def _power_grade_at(doc: Any, at: int, end: int) -> tuple[int, int] | None:
        """(grade, tokens) of a power grade starting at `at` ("4/5", "4+/5", "4-/5"), else None."""
        if not doc[at].text.isdigit() or len(doc[at].text) != 1:
            return None
        i = at + 1
        if i < end and doc[i].text in ("+", "-"):
            i += 1
        if i + 1 < end and doc[i].text == "/" and doc[i + 1].text == "5":
            return int(doc[at].text), i + 2 - at
        return None

    def _with_side_after(self, doc: Any, at: int, end: int) -> int:
        """Where a grade's words end: after a side told right after it ("2/5 on the left"), so that side is its own."""
        i = at
        if i < end and doc[i].norm_ in ("on", "in"):
            i += 1
            if i < end and doc[i].norm_ == "the":
                i += 1
            if i < end and doc[i].norm_ in self._side_words:
                return i + 1
        return at

    def _add_muscle_grade_spans(self, doc: Any) -> None:
        """Each list of muscle actions read with the power grade told after it, or before it with a word that
        hands it on ("3/5 for hip abduction"; lexicon `muscle_grades`): a grade below 5 reads each action's
        findings, a grade of 5 denies them, over the words from the first action or the grade to the last of them."""
        spec, lookup = self.lexicon.muscle_grades, self._muscle_grade_words
        if spec is None or lookup is None:
            return
        stops = lookup.stops
        found = sorted(lookup.actions(doc), key=lambda match: (match[1], -match[2]))
        actions: list[tuple[int, int, str]] = []
        for match_id, start, end in found:  # the longest at each place, none inside another
            if actions and start < actions[-1][1]:
                continue
            actions.append((start, end, self.nlp.vocab.strings[match_id]))
        starting = {start: index for index, (start, _, _) in enumerate(actions)}
        added: list[Any] = []

        def read(listed: list[tuple[int, int, str]], value: int, start: int, end: int, worded: bool) -> None:
            findings = {f for _, _, action in listed for f in spec.findings[action]}
            if value >= 5:  # full power: that muscle is not weak
                self._add_known(doc, start, end, findings - set(spec.not_denied_by_full_power), added, kind="absent")
                return
            self._add_known(doc, start, end, findings - set(spec.not_from_weak_words) if worded else findings, added)

        i = 0
        while i < len(actions):
            first = actions[i][0]
            after = self._listed_actions(doc, actions, i)
            listed, i = actions[i:after], after
            sentence_end = doc[first].sent.end
            limit = actions[i][0] if i < len(actions) else sentence_end
            at, reached, later = listed[-1][1], 0, False
            while at < min(limit, sentence_end) and reached <= spec.reach:
                if doc[at].norm_ in stops:
                    break
                grade = self._power_grade_at(doc, at, sentence_end)
                worded = grade is None and doc[at].norm_ in lookup.weak
                if worded:
                    grade = (4, 1)  # "dorsiflexion is weak": below full power, by how much not said
                if grade is None:
                    at, reached = at + 1, reached + 1
                    continue
                value, length = grade
                end = self._with_side_after(doc, at + length, sentence_end)
                if not worded and self._handed_on(doc, end, sentence_end, starting) is not None:
                    break  # "hip flexion is normal, 3/5 for abduction": the grade is the next action's
                # a further grade is read over itself ("1/5 on the right and 2/5 on the left")
                read(listed, value, at if later else first, end, worded)
                at, reached, later = at + length, 0, True
        for sentence in doc.sents if starting else ():  # a grade handed on needs an action to go to
            for at in range(sentence.start, sentence.end):
                grade = self._power_grade_at(doc, at, sentence.end)
                if grade is None:
                    continue
                end = self._with_side_after(doc, at + grade[1], sentence.end)
                index = self._handed_on(doc, end, sentence.end, starting)
                if index is None and end > at + grade[1]:
                    # the side read after the grade may be the action's own: "3/5 in left ankle dorsiflexion"
                    index = self._handed_on(doc, at + grade[1], sentence.end, starting)
                if index is not None:
                    after = self._listed_actions(doc, actions, index)
                    read(actions[index:after], grade[0], at, actions[after - 1][1], False)
        if added:
            doc.spans[SPAN_GROUP] = [*doc.spans.get(SPAN_GROUP, []), *added]

    def _listed_actions(self, doc: Any, actions: list[tuple[int, int, str]], index: int) -> int:
        """The index after the last muscle action listed from `actions[index]` with only joiners between them,
        in its sentence ("hip flexion, knee extension and ankle dorsiflexion")."""
        joiners = self._muscle_grade_words.joiners if self._muscle_grade_words else frozenset()
        sentence_start = doc[actions[index][0]].sent.start
        after = index + 1
        while after < len(actions) and all(
            t.norm_ in joiners for t in doc[actions[after - 1][1] : actions[after][0]]
        ) and doc[actions[after][0]].sent.start == sentence_start:
            after += 1
        return after

    def _handed_on(self, doc: Any, at: int, end: int, starting: Mapping[int, int]) -> int | None:
        """The index (in `starting`, by first token) of the muscle action a grade ending at `at` is handed on
        to by a word of `muscle_grades.grade_links` ("3/5 for the left hip abduction"), else None."""
        lookup = self._muscle_grade_words
        if lookup is None or at >= end or doc[at].norm_ not in lookup.links:
            return None
        for i in range(at + 1, min(end, at + 4)):
            if i in starting:
                return starting[i]
            if doc[i].norm_ not in lookup.joiners:
                return None
        return None

    def _add_reflex_spans(self, doc: Any) -> None:
        """Each grade told of tendon reflexes, read as the finding of the reflexes named before it
        (lexicon `reflexes`): "the right Achilles and knee reflexes are 1+" is both reduced, "knee
        reflexes 3+" brisk. The span runs from the names to the grade, so the side and ConText read it."""
        spec, lookup = self.lexicon.reflexes, self._reflex_words
        if spec is None or lookup is None:
            return
        words, name_of, joiners, grade_of = lookup.words, lookup.name_of, lookup.joiners, lookup.grade_of
        stops, place_of, clause_ends = lookup.stops, lookup.place_of, lookup.clause_ends
        added: list[Any] = []

        def named_after(first: int, sentence: Any) -> frozenset[str]:
            """The reflexes a run of names from `first` tells ("at the knees and ankles": both)."""
            names = set()
            for i in range(first, sentence.end):
                if doc[i].norm_ in name_of:
                    names.add(name_of[doc[i].norm_])
                elif doc[i].norm_ not in joiners:
                    break
            return frozenset(names)

        def unnamed(reflex: int, grade: int, sentence: Any) -> frozenset[str]:
            """Reflexes named by nothing: those named right after the grade ("2+ at the knees and absent at
            the ankles"), or of the place told there ("reduced (1+) in the left arm"), else of the nearest
            place before them in their clause ("the arms show weakness, depressed reflexes"), else the legs'."""
            for i in range(grade + 1, min(sentence.end, grade + 1 + spec.place_reach)):
                if doc[i].norm_ in clause_ends:
                    break
                if doc[i].norm_ in name_of:
                    return named_after(i, sentence)
                if doc[i].norm_ in place_of:
                    return place_of[doc[i].norm_]
            for i in range(reflex - 1, sentence.start - 1, -1):
                if doc[i].norm_ in clause_ends:
                    break
                if doc[i].norm_ in place_of:
                    return place_of[doc[i].norm_]
            return frozenset(spec.unnamed)

        def add(start: int, end: int, names: Set[str], grade: str) -> None:
            said = {t.norm_ for t in doc[max(doc[start].sent.start, start - 3) : end]}
            if not (said & self._one_side_words and not said & self._both_side_words):  # "the right knee and ankle"
                names = set(names) | {whole for whole, parts in spec.together.items() if set(parts) <= names}
            if grade == spec.normal_grade:
                ruled_out = {f for name in names for f in spec.ruled_out.get(name, [])}
                self._add_known(doc, start, end, ruled_out, added, kind="absent")
                return
            read = {f for name in names for f in spec.read(name, grade)}
            self._add_known(doc, start, end, read, added)
            if grade in spec.above_normal:  # a brisk reflex is not a reduced one
                ruled_out = {f for name in names for f in spec.ruled_out_above_normal.get(name, [])} - read
                self._add_known(doc, start, end, ruled_out, added, kind="absent")

        for token in doc:
            if token.norm_ not in words:
                continue
            sentence = token.sent
            # the names just before: "the right Achilles and knee reflexes", "S1 reflex"
            names: set[str] = set()
            first = run = token.i  # the first name; the first of the names and the words joining them
            for before in range(token.i - 1, max(sentence.start, token.i - spec.name_reach) - 1, -1):
                word = doc[before].norm_
                if word in name_of:
                    names.add(name_of[word])
                    first = run = before
                elif word in joiners:
                    if run == before + 1 and word not in lookup.list_joiners:
                        run = before  # "absent leg reflexes"; but not over "and": "normal and his reflexes"
                else:
                    break
            # the grade just before the names and the words joining them: "reduced knee jerks", "brisk reflexes",
            # "absent leg reflexes", "reduced deep tendon reflexes"
            graded_at = next(
                (i for i in (first - 1, run - 1) if i >= sentence.start and doc[i].norm_ in grade_of), None
            )
            if graded_at is not None:
                grade_before = grade_of[doc[graded_at].norm_]
                add(graded_at, token.i + 1, names or unnamed(token.i, token.i, sentence), grade_before)
            denied_before = first > sentence.start and doc[first - 1].norm_ in lookup.denials
            for after in range(token.i + 1, min(sentence.end, token.i + 1 + spec.reach)):
                word = doc[after]
                denied_here = any(doc[k].norm_ in lookup.denials for k in range(max(token.i + 1, after - 3), after))
                if word.norm_ in lookup.elicit and (denied_before or denied_here):
                    # "could not be elicited", "neither knee nor ankle jerks can be elicited"
                    add(first, after + 1, names or unnamed(token.i, after, sentence), "absent")
                    break
                if word.norm_ in lookup.denials and any(
                    doc[k].norm_ in lookup.elicit for k in range(after + 1, min(sentence.end, after + 4))
                ):
                    continue  # the denial of a reflex drawn out, read at its word
                if word.norm_ in lookup.openers and after == token.i + 1:
                    continue  # "tendon reflexes: 1+ in the right arm and leg"
                if word.norm_ in stops or word.norm_ in words:
                    break
                grade = grade_of.get(word.norm_)
                if grade is None and word.text in spec.numbers and (
                    after + 1 < len(doc) and doc[after + 1].text == "+"
                ):
                    grade = spec.numbers[word.text]
                if grade is not None:
                    end = after + 2 if doc[after].text in spec.numbers else after + 1
                    add(first, min(end, sentence.end), names or unnamed(token.i, end - 1, sentence), grade)
        if added:
            doc.spans[SPAN_GROUP] = [*doc.spans.get(SPAN_GROUP, []), *added]

    def _add_body_part_spans(self, doc: Any, measured: Sequence[tuple[int, int]] = ()) -> None:
        """Pair body parts with kinds of symptom where no phrase already read that finding there.

        The pairs only fill gaps the phrases leave, so everything the phrases read stays as it was.
        A word inside a measurement is a unit, not a part ("fell 15 feet").
        """
        from spacy.tokens import Span

        existing = list(doc.spans.get(SPAN_GROUP, []))
        strings = self.nlp.vocab.strings
        found = sorted(self._body_parts(doc), key=lambda match: (match[2] - match[1], match[1], strings[match[0]]))
        added: list[Any] = []
        pairs: list[tuple[int, int, str, str]] = []  # every part named with a kind, read or already read
        accepted: list[tuple[int, int, str, str, str]] = []
        paired_as: dict[tuple[int, int, str], tuple[str, str]] = {}  # each pair read: its part and its kind
        # a symptom told with its own place right after it belongs there, not also to a part before it joined by a
        # list word: "stiffness of the shoulders and knees and tingling in her arms" is no tingling of the knees
        # (unless that place has a symptom of its own after it: "foot and ankle pain, leg swelling")
        claimed: set[tuple[int, str, str]] = set()  # (where the kind's words start, the kind, the part after it)
        for match_id, start, end in found:
            where, kind = self.nlp.vocab.strings[match_id].split("|", 1)
            if where == "last" and (owner := self._part_at(doc, end - 1)) is not None and not (
                end < len(doc) and doc[end].norm_ in self._kind_words
            ):
                claimed.add((start, kind, owner))
            first, last = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
            # A symptom that travels from its place reaches the part it goes to ("back pain going down both legs").
            if any(a < last and first < b for a, b in measured) or (
                where != "path" and self._kind_of_another_site(doc, start, end)
            ):
                continue
            at = start if where == "first" else end - 1  # where the rule put the part's word
            part = self._part_at(doc, at)
            if part is None or not self._names_the_part(doc, at, part):
                continue
            if where == "path" and part in self._path_bounds:
                continue  # "down to the knee" says how far the pain goes, not that the knee hurts
            if (part, kind) in self._paired_kinds:  # a kind with no finding of its own ("swollen") says nothing here
                pairs.append((start, end, part, kind))
            accepted.append((start, end, where, kind, part))
        accepted = [
            (start, end, where, kind, part) for start, end, where, kind, part in accepted
            if where != "first" or not any(start < a < end and k == kind and other != part for a, k, other in claimed)
        ]
        for start, end, where, kind, part in accepted:
            # where a travelling symptom starts: the part its kind word is paired with ("loin pain going to the groin")
            origins = {
                other for a, b, w, k, other in accepted if w != "path" and k == kind and a <= start < b
            } if where == "path" else set()
            for finding in self._pair_findings(part, where, kind, origins):
                label = f"present|{finding}"
                if any(s.label_ == f"absent|{finding}" and s.start < end and start < s.end for s in existing):
                    continue  # "his back doesn't hurt": a phrase that denies the finding there keeps its denial
                # A phrase already read there keeps its reading; a pair that reaches further still adds
                # its part's side ("my feet have a painful, tingling feeling": the tingling is in both feet).
                if any(
                    s.label_ == label and s.start < end and start < s.end
                    and not (start <= s.start and s.end <= end and (start, end) != (s.start, s.end))
                    for s in [*existing, *added]
                ):
                    continue
                added.append(Span(doc, start, end, label=label))
                paired_as[(start, end, label)] = (part, kind)
        if added:
            doc.spans[SPAN_GROUP] = [*existing, *added]
            doc.user_data[BODY_PART_RULE] = paired_as
        doc.user_data[PAIRS_READ] = pairs

    def _semantic_targets(self, doc: Any, spans: list[Any]) -> list[Target]:
        """Pieces whose meaning is close enough to a finding's names, unless phrases already read them.

        A context cue next to a piece is tried as part of it too: when the finding's closest name
        holds the cue's words ("absent ankle jerk" for "ankle jerks were absent", "not able to
        pee"), the cue is part of what the finding means and does not deny it.
        """
        from spacy.tokens import Span

        raw = self._raw_pieces(doc)
        pieces = self._open_pieces(doc, spans, self._joined_lists(doc, raw))
        elliptic = self._elliptic_pieces(doc, raw)
        if not pieces and not elliptic:
            return []
        graph = getattr(doc._, "context_graph", None)
        modifiers = list(getattr(graph, "modifiers", None) or [])
        cues = [(m.modifier_span, m.direction) for m in modifiers if m.direction not in ("PSEUDO", "TERMINATE")]
        denying = {i for m in modifiers if m.category.upper() == "NEGATED_EXISTENCE" for i in range(*m.modifier_span)}
        # (start, end, the piece it belongs to, findings read there, cue words)
        candidates: list[tuple[int, int, tuple[int, int], set[str], set[str]]] = []
        for start, end, already in pieces:
            candidates.append((start, end, (start, end), already, set()))
            candidates += [(a, b, (start, end), already, set()) for a, b in self._windows(doc, start, end)]
            for (cue_start, cue_end), direction in cues:
                if self._next_to(doc, cue_start, cue_end, start, end, direction):
                    words = {t.norm_ for t in doc[cue_start:cue_end] if t.is_alpha}
                    candidates.append((min(start, cue_start), max(end, cue_end), (start, end), already, words))
        texts = [self._piece_text(doc[a:b]) for a, b, _, _, _ in candidates]
        for start, end, text in elliptic:
            read_here = {s.label_.split("|", 1)[1] for s in spans if s.start < end and start < s.end}
            candidates.append((start, end, (start, end), read_here, set()))
            texts.append(text)
        hits = self._whole_phrase_hits(doc, candidates, self.semantic.match(texts))
        pairs_read = doc.user_data.get(PAIRS_READ, [])
        normal_values = doc.user_data.get(NORMAL_VALUES, [])
        measured = doc.user_data.get(MEASURED, [])
        chosen: dict[tuple[int, int, str], tuple[int, int]] = {}
        for (start, end, piece, already, cue_words), found in zip(candidates, hits, strict=True):
            numbers = any(t.like_num or any(ch.isdigit() for ch in t.text) for t in doc[start:end])
            paired = {(part, kind) for a, b, part, kind in pairs_read if a < end and start < b}
            normal_kinds = {kind for a, b, kind in normal_values if a < end and start < b}
            for hit in found:
                finding = hit.key.split("|", 1)[1]
                if finding in already or (numbers and finding in self._by_value):
                    continue  # values and grades are read by number patterns and cut-offs, never by meaning
                if finding in self._said_by_values and any(a < end and start < b for a, b in measured):
                    continue
                if self._said_of_a_paired_part(finding, paired) or self._led_by_a_word_not_of_its_part(
                    finding, doc, start, end
                ):
                    continue
                if normal_kinds & {kind for _, kind in self._pair_family.get(finding, ())}:
                    continue  # "power 5/5 in both legs" is not weakness, however close its words are
                if self._part_said_to_be_normal(finding, doc[piece[0] : piece[1]]):
                    continue
                sentence = doc[start].sent
                if finding in self._total and any(t.norm_ in self._partial for t in doc[start:end]):
                    # "I can barely walk" is not "I cannot walk at all", but it is still what that implies,
                    # told as the more general finding is
                    kind = hit.key.split("|", 1)[0]
                    for general in self.findings[finding].implies:
                        if general in self.findings and general not in already and all(
                            needed.told_in(sentence) for needed in self._needed_words.get(general, ())
                        ):
                            chosen.setdefault((piece[0], piece[1], f"{kind}|{general}"), (start, end))
                    continue
                if not all(needed.told_in(self._needed_scope(needed.within, sentence, doc, piece, (start, end)),
                                          doc[piece[0]:piece[1]])
                           for needed in self._needed_words.get(finding, ())):
                    continue  # a weak muscle is told by a word of weakness or inability or a grade, not by the place
                if cue_words and not cue_words <= set(hit.name.split()):
                    continue
                if cue_words and self._only_places(doc[piece[0]:piece[1]]):
                    continue  # "but not his legs": a denial before a bare place denies what went before there
                if self._able_where_the_name_denies(doc, start, end, hit.name):
                    continue
                if self._denied_inside(doc, start, end, hit.name):
                    continue
                if self._denied_only_in_the_name(doc, start, end, hit.key, hit.name, denying):
                    continue
                key = (piece[0], piece[1], hit.key)
                if cue_words or key not in chosen:
                    chosen[key] = (start, end)
        chosen = self._not_explained_away(doc, spans, chosen)
        chosen = self._more_than_the_place(doc, chosen)
        targets: list[Target] = []
        for (_, _, label), (start, end) in chosen.items():
            if any(other_label == label and a <= start and end <= b and (a, b) != (start, end)
                   for (_, _, other_label), (a, b) in chosen.items()):
                continue  # read again inside a wider reading of the same finding, whose context governs
            span = Span(doc, start, end, label=label)
            reaching = [m for m in modifiers if m.modifies(span) or self._denies_its_predicate(doc, m, span)]
            targets.append(Target(span, label, reaching, via="semantic"))
        return targets

    def _only_places(self, piece: Any) -> bool:
        """True when every content word of a piece names a part of the body: it tells where, not what."""
        places = [token for token in piece if self._part_of_word.get(token.norm_) is not None]
        return bool(places) and all(token.is_stop or token.is_punct or token in places for token in piece)

    def _able_where_the_name_denies(self, doc: Any, start: int, end: int, name: str) -> bool:
        """True when the closest name denies ("can not feel when I wipe") and the words read, with the three
        before them in their sentence, say the person can, with no denial, lack or partial word ("I can still
        feel my bum when I wipe"): the reading would be the opposite of what is said."""
        if not self._denials & set(name.split()):
            return False
        words = {t.norm_ for t in doc[max(doc[start].sent.start, start - 3):end]}
        return bool(words & self._ability) and not words & (self._denials | self._lack_words | self._partial)

    def _denied_inside(self, doc: Any, start: int, end: int, name: str) -> bool:
        """True when the words read hold a denial of their own ("my legs have not gone weak", "it has not
        improved with naproxen") that the closest name does not: a cue inside the words read reaches no
        reading, so the reading would be the opposite of what is said. A denial beside a word of ability is an
        inability, which is what such a finding is ("I can't sleep properly", "not able to walk")."""
        said = set(name.split())
        if said & self._words_of_denial:
            return False
        for token in doc[start:end]:
            if token.norm_ in self._denials:
                before = token.doc[token.i - 1].norm_ if token.i > 0 else ""
                after = token.doc[token.i + 1].norm_ if token.i + 1 < len(token.doc) else ""
                if before not in self._ability and after not in self._ability:
                    return True  # not "can not sleep", "not able to walk": an inability is a finding of its own
        return False

    def _denied_only_in_the_name(
        self, doc: Any, start: int, end: int, key: str, name: str, denying: set[int]
    ) -> bool:
        """True when the closest name rules the finding out with a denial ("not radiating", "no radiation") and the
        words read deny nothing ("radiating into the left thigh"): the words are alike and the meaning opposite.
        A denial cue among the words read, or a word of lack or inability, keeps the reading."""
        if not key.startswith("absent|") or not self._denials & set(name.split()):
            return False
        said = {token.norm_ for token in doc[start:end]}
        return not (said & self._words_of_denial or any(start <= index < end for index in denying))

    def _denies_its_predicate(self, doc: Any, modifier: Any, span: Any) -> bool:
        """True when a reading by meaning ends at its linking verb and a denial comes next, before the words
        that say what it is: "the costovertebral angles are | not | tender" (`policy.linking_verbs`)."""
        start, _ = modifier.modifier_span
        return (
            modifier.category.upper() == "NEGATED_EXISTENCE" and modifier.direction == "FORWARD"
            and start == span.end and span.end > span.start and doc[span.end - 1].norm_ in self._linking_verbs
            # the verb is the reading's own: no clause opens inside it ("the trochanter is tender and there is | no")
            and not any(token.is_punct or token.norm_ in self._clause_words for token in span)
        )

    @staticmethod
    def _needed_scope(within: str, sentence: Any, doc: Any, piece: tuple[int, int], read: tuple[int, int]) -> Any:
        """Where a group of needed words must stand (`NeedsWords.within`): the sentence, the piece read, the
        very words read, or the whole description. The sentence takes in the whole piece read where that runs
        past it ("Weakness? A bit in the left leg": the answer is read with its question)."""
        if within == "piece":
            return doc[piece[0]:piece[1]]
        if within == "span":
            return doc[read[0]:read[1]]
        if within == "text":
            return doc[:]
        return doc[min(sentence.start, piece[0]):max(sentence.end, piece[1])]

    def _not_explained_away(
        self, doc: Any, spans: list[Any], chosen: dict[tuple[int, int, str], tuple[int, int]]
    ) -> dict[tuple[int, int, str], tuple[int, int]]:
        """The readings by meaning that stay close to their finding once the words another finding's
        phrase already read are taken out: in "electric-shock pains down my leg" the words "electric
        shock" are the pain's quality, and without them nothing is left of circulatory shock.
        Broad words and body-part pairs are not taken out (they yield, or only fill gaps)."""
        firm = [
            s for s in spans
            if s.label_.startswith("present|") and not (self._is_broad(s) or self._pairs_part_and_kind(s))
        ]
        checks: list[tuple[tuple[int, int, str], str]] = []
        for item, (start, end) in chosen.items():
            finding = item[2].split("|", 1)[1]
            taken = {
                i for s in firm if s.label_.split("|", 1)[1] != finding and s.start < end and start < s.end
                for i in range(s.start, s.end)
            }
            if taken & set(range(start, end)):
                kept = [t for t in doc[start:end] if t.i not in taken]
                checks.append((item, self._piece_text(kept)))
        if not checks:
            return chosen
        close = self.semantic.still_close([(text, item[2]) for item, text in checks])
        dropped = {item for (item, _), stays in zip(checks, close, strict=True) if not stays}
        return {item: where for item, where in chosen.items() if item not in dropped}

    def _whole_phrase_hits(
        self,
        doc: Any,
        candidates: list[tuple[int, int, tuple[int, int], set[str], set[str]]],
        hits: list[list[SemanticHit]],
    ) -> list[list[SemanticHit]]:
        """The hits of a window that stops on a possessive before its piece ends ("that almost dropped him
        to his" of "... to his knees") kept only when the window with the next word still reads them: a
        possessive always leads to its noun, and cut off from it a window can mean what the phrase does not."""
        checks: list[tuple[int, int, str]] = []  # (candidate, hit, the longer window's text)
        for number, ((start, end, piece, _, _), found) in enumerate(zip(candidates, hits, strict=True)):
            if found and end < piece[1] and (start, end) != piece and doc[end - 1].norm_ in self._possessives:
                longer = self._piece_text(doc[start:end + 1])
                checks += [(number, position, longer) for position in range(len(found))]
        if not checks:
            return hits
        close = self.semantic.still_close([(text, hits[number][position].key) for number, position, text in checks])
        dropped = {(number, position) for (number, position, _), kept in zip(checks, close, strict=True) if not kept}
        return [
            [hit for position, hit in enumerate(found) if (number, position) not in dropped]
            for number, found in enumerate(hits)
        ]

    def _more_than_the_place(
        self, doc: Any, chosen: dict[tuple[int, int, str], tuple[int, int]]
    ) -> dict[tuple[int, int, str], tuple[int, int]]:
        """The readings by meaning that rest on more than the body part the piece names.

        Static embeddings weigh every word, and a part's word alone can be close to a finding named by
        that part: "toe" is close to "upgoing big toe", so "the weakness began in the big toe" would
        read as a Babinski sign. A reading of a finding of the `place_categories` (the examination's
        signs and tests, which a clinician names by what was done and seen) is dropped when the
        piece's part words alone come within `place_margin` of the whole piece and its other words
        stay under `place_rest_floor`. Symptoms are left alone: "lost the use of his left leg" is
        weakness although the leg carries most of its closeness.
        """
        spec = self.lexicon.semantic
        if spec.place_margin <= 0.0:
            return chosen
        checks: list[tuple[tuple[int, int, str], str, str, str]] = []
        for item, (start, end) in chosen.items():
            finding = self.findings.get(item[2].split("|", 1)[1])
            if finding is None or finding.category.value not in spec.place_categories:
                continue
            tokens = [t for t in doc[start:end] if t.is_alpha]
            places = [t for t in tokens if self._part_of_word.get(t.norm_) is not None]
            if not places:
                continue
            others = [t for t in tokens if self._part_of_word.get(t.norm_) is None]
            checks.append((item, self._piece_text(doc[start:end]), self._piece_text(places), self._piece_text(others)))
        if not checks:
            return chosen
        texts = [text for _, whole, place, rest in checks for text in (whole, place, rest or "-")]
        scores, _ = self.semantic.scores(texts)
        column = {key: i for i, key in enumerate(self.semantic.keys)}
        dropped = set()
        for number, (item, _, _, _) in enumerate(checks):
            whole, place, rest = scores[3 * number : 3 * number + 3, column[item[2]]]
            if place >= whole - spec.place_margin and rest < spec.place_rest_floor:
                dropped.add(item)
        return {item: where for item, where in chosen.items() if item not in dropped}

    def _next_to(self, doc: Any, cue_start: int, cue_end: int, start: int, end: int, direction: str) -> bool:
        """A cue right before or after a piece, or after it with only its verb between ("ankle jerks
        were absent"), on the side the cue points to: "absent," looks back, so in "ankle jerks absent,
        knee jerks normal" it is no part of the knee jerks."""
        if cue_end == start:
            return direction != "BACKWARD"
        if direction == "FORWARD":
            return False
        if cue_start == end:
            return True
        between = doc[end:cue_start] if cue_start > end else []
        return 0 < len(between) <= 2 and all(t.norm_ in self._clause_openers for t in between)

    def _windows(self, doc: Any, start: int, end: int) -> list[tuple[int, int]]:
        """A long piece is also read in windows, one starting at every token, so a finding named in a few
        of its words is not drowned by the rest ("an 81-year-old woman's left foot suddenly began to
        drop": with windows every half window, none held just the foot and its dropping). No window ends
        on a word leading to the place right after it (`body_parts.lead_in`): "pain in my lower" is not
        low back pain when "leg" follows."""
        spec = self.lexicon.semantic
        if end - start <= spec.window:
            return []
        windows = []
        for first in range(start, end - spec.window + 1):
            last = first + spec.window
            window = doc[first:last]
            if last < end and window[-1].norm_ in self._lead_words and doc[last].norm_ in self._part_of_word:
                continue  # it would cut a place off the words leading to it: "pain in my lower | leg"
            if sum(1 for t in window if t.is_alpha and t.norm_ not in self._filler) >= spec.min_content_words:
                windows.append((first, last))
        return windows

    def similarities(self, text: str) -> dict[str, float]:
        """The best similarity of each target key over the pieces the semantic matcher would read.

        For tuning the thresholds: keys a phrase already read in a piece do not count there.
        """
        doc = self._read_doc(MARKUP.sub(lambda m: " " * len(m.group(0)), text))
        spans = list(doc.spans[SPAN_GROUP]) if SPAN_GROUP in doc.spans else []
        spans = [span for span in spans if not self._gives_way(span, spans)]
        pieces = self._open_pieces(doc, spans, self._pieces(doc))
        best: dict[str, float] = {}
        if not pieces:
            return best
        spans_read = [(a, b, already) for a, b, already in pieces]
        spans_read += [(x, y, already) for a, b, already in pieces for x, y in self._windows(doc, a, b)]
        scores, _ = self.semantic.scores([self._piece_text(doc[a:b]) for a, b, _ in spans_read])
        for row, (_, _, already) in enumerate(spans_read):
            for column, key in enumerate(self.semantic.keys):
                if key.split("|", 1)[1] in already:
                    continue
                best[key] = max(best.get(key, -1.0), float(scores[row, column]))
        return best

    def _mentions(self, doc: Any, targets: list[Target]) -> list[Mention]:
        policy = self.lexicon.policy
        past_ok = set(policy.past_counts_for)
        past_categories = set(policy.past_counts_for_categories)
        only_recent = set(policy.past_counts_only_recent)
        distant_words = {word.lower() for word in policy.distant_past_words}
        comma_breaks = set(policy.comma_breaks_negation_for_categories)
        told_by_relative = self._told_by_relative(doc)
        mentions: list[Mention] = []
        spans = [target.span for target in targets if target.via is None]
        listed_after_denial = self._listed_after_denial(doc, spans)
        # where a phrase names a finding, by its words (not by meaning), which characters it covers
        named_at = [
            (target.span.start_char, target.span.end_char, target.label.split("|", 1)[1])
            for target in targets if target.via is None and target.label.startswith(("present|", "absent|"))
        ]
        for target in targets:
            span, via = target.span, target.via
            kind, key = target.label.split("|", 1)
            categories = {
                modifier.category.upper(): modifier
                for modifier in target.modifiers if self._reaches(doc, modifier, span)
            }
            if kind == "denied":
                # a word of a whole kind ("injury"): denied, every finding of the kind is denied; told, nothing
                denied_kind = self.lexicon.denied_kinds[int(key)]
                exceptions, functions = self._kind_exceptions[int(key)], self._kind_functions[int(key)]
                places_before = self._kind_places_before[int(key)]
                negation = categories.get("NEGATED_EXISTENCE")
                # "no change in bladder or bowel control": a change in what it does is denied, so all of it is
                of_a_change = negation is not None and any(
                    t.norm_ in self._change_words for t in doc[negation.modifier_span[1]:span.start]
                )
                excepted = any(
                    t.norm_ in exceptions or (t.norm_ in functions and not of_a_change)
                    for t in self._words_after_kind(doc, span)
                ) or any(
                    t.norm_ in places_before for t in doc[max(span.sent.start, span.start - 2):span.start]
                ) or any(
                    # the kind's word inside a phrase that names one finding of the kind is that finding's word
                    # ("no accidents with my bladder" denies incontinence, not every change of the bladder)
                    start <= span.start_char and span.end_char <= end and finding in denied_kind.findings
                    for start, end, finding in named_at
                )
                denied = not excepted and ((span in listed_after_denial and not categories) or (
                    "NEGATED_EXISTENCE" in categories
                    and not categories.keys() & {"FAMILY", "HYPOTHETICAL", "POSSIBLE_EXISTENCE"}
                ))
                if denied:
                    cue = listed_after_denial.get(span) or doc[
                        categories["NEGATED_EXISTENCE"].modifier_span[0]:categories["NEGATED_EXISTENCE"].modifier_span[1]
                    ].text
                    mentions += [
                        Mention(finding, "absent", span.start_char, span.end_char, span.text, False, ["negated"], cue,
                                via="kind")
                        for finding in denied_kind.findings if finding in self.findings
                    ]
                continue
            if span in listed_after_denial and not categories:
                # "no urinary symptoms or contractions": the denial opens a phrase of its own, so
                # ConText cannot use it; the items listed after it are denied too.
                mention = Mention(key, "absent", span.start_char, span.end_char, span.text, True)
                mention.context, mention.cue = ["negated"], listed_after_denial[span]
                if key in self.findings:
                    mentions.append(mention)
                continue
            if told_by_relative and "FAMILY" in categories:
                cues = [
                    doc[m.modifier_span[0]:m.modifier_span[1]].text.lower()
                    for m in target.modifiers if m.category.upper() == "FAMILY"
                ]
                theirs = any(cue.split()[0] in self._their for cue in cues if cue.split())
                if not theirs and not any(marker in cue for cue in cues for marker in policy.family_history_cues):
                    del categories["FAMILY"]  # the relative is the person being described
            cue_of = {  # an answer's cue ends at its item's punctuation ("fever: no,"), which is not shown
                name: doc[m.modifier_span[0]:m.modifier_span[1]].text.rstrip(" .,;!") for name, m in categories.items()
            }
            past_cue_words = {  # every past cue that reaches, not only the one kept: "two years ago ... got better"
                token.norm_ for m in target.modifiers
                if m.category.upper() == "HISTORICAL" and self._reaches(doc, m, span)
                for token in doc[m.modifier_span[0]:m.modifier_span[1]]
            } if "HISTORICAL" in categories else set()
            if kind == "normal" and span.start > 0 and doc[span.start - 1].norm_ in self._partial:
                continue  # "less and less able to walk" is not able to walk
            if kind == "normal":
                if self._one_side_follows(doc, span.end, span.sent.end):
                    continue  # "normal sensation on the left": the other side may be the one the text finds at fault
                kept = self._kept_by_exception(doc, span)
                findings = [finding for finding in self.lexicon.normal[int(key)].absent if finding not in kept]
            else:
                findings = [key]
            for finding in findings:
                if finding not in self.findings:
                    continue
                mention = Mention(finding, "present", span.start_char, span.end_char, span.text, kind == "present",
                                  via=via)
                lack_told = False
                if "FAMILY" in categories:
                    mention.cue = cue_of["FAMILY"]
                    redirect = policy.family_redirect.get(finding)
                    if kind == "present" and redirect is not None and redirect in self.findings:
                        mention.finding, mention.via, mention.context = redirect, "family", ["other_person"]
                    else:
                        mention.status, mention.context = "unknown", ["other_person"]
                elif "HYPOTHETICAL" in categories:
                    mention.status, mention.context, mention.cue = "unknown", ["hypothetical"], cue_of["HYPOTHETICAL"]
                elif (
                    kind == "present" and (stopped_by_pain := self._stopped_by_pain.get(finding)) is not None
                    and (
                        ("CAUSED_BY_PAIN" in categories and self._put_down_to_pain(doc, categories["CAUSED_BY_PAIN"]))
                        or self._only_with_pain(doc, span)
                        or self._pain_too_strong_before(doc, span)
                    )
                ):
                    # "could not get out of bed because of the pain", "can't climb stairs because of the pain":
                    # what the pain stops, not a weak leg or a weak muscle
                    mention.finding, mention.via = stopped_by_pain, "caused_by_pain"
                    mention.cue = cue_of.get("CAUSED_BY_PAIN")
                elif "NEGATED_EXISTENCE" in categories and "HISTORICAL" in categories and not (
                    finding in past_ok or self.findings[finding].category.value in past_categories
                ):
                    # "She had no back pain before that day": a symptom denied for a time gone by
                    # says nothing about now.
                    mention.status, mention.context, mention.cue = "unknown", ["past"], cue_of["HISTORICAL"]
                elif "NEGATED_EXISTENCE" in categories and kind == "present" and self._denies_the_thing(finding, span):
                    mention.cue = cue_of["NEGATED_EXISTENCE"]  # "no pulses in the left foot": the lack is the finding
                    lack_told = True
                elif "NEGATED_EXISTENCE" in categories:
                    mention.cue = cue_of["NEGATED_EXISTENCE"]
                    affirm_only = self._affirm_only.get(finding, frozenset())
                    denied = kind == "present" and self._norms(span) not in affirm_only
                    mention.status = "absent" if denied else "unknown"
                    mention.context = ["negated"]
                    category = self.findings[finding].category.value
                    if category in comma_breaks and self._comma_between(doc, categories["NEGATED_EXISTENCE"], span):
                        # When unsure, do not rule a warning sign out.
                        mention.status, mention.context = "unknown", ["uncertain"]
                elif "POSSIBLE_EXISTENCE" in categories:
                    mention.status, mention.context = "unknown", ["uncertain"]
                    mention.cue = cue_of["POSSIBLE_EXISTENCE"]
                elif "HISTORICAL" in categories:
                    mention.cue, mention.context = cue_of["HISTORICAL"], ["past"]
                    category = self.findings[finding].category.value
                    counts = kind == "present" and (finding in past_ok or category in past_categories) and not (
                        finding in only_recent and distant_words & past_cue_words
                    )
                    mention.status = "present" if counts else "unknown"
                    earlier = policy.past_redirect.get(finding)
                    if kind == "present" and not counts and earlier is not None and earlier in self.findings:
                        mentions.append(Mention(earlier, "present", span.start_char, span.end_char, span.text, False,
                                                via="past"))
                elif kind != "present":
                    mention.status, mention.context = "absent", ["normal"]
                if (
                    via is None and mention.status == "absent" and self._denied_of_whole_limb(doc, span)
                ):
                    mention.finding = self._either_side(finding)  # no weakness in any limb: in neither leg
                elif (
                    (via == "semantic" or self._pairs_part_and_kind(span)) and mention.status == "absent"
                    and not self._test_told_normal(finding, mention.cue)
                ):
                    # Meaning by similarity, or a body part paired with a symptom, may raise a finding
                    # but never rules one out: "no pain in my feet at rest" names pain below the
                    # knee, and denies only part of it.
                    mention.status = "unknown"
                if via == "semantic" and mention.status == "present":
                    if self._examined(finding) and self._told_as_normal_result(finding, span, with_normal_words=True):
                        # an examination sign or test told as it should be is ruled out ("anal tone is normal",
                        # "peripheral pulses are palpable")
                        mention.status, mention.context = "absent", ["normal"]
                    elif not (lack_told or self._says_the_lack(finding, span)):
                        continue  # "foot pulses present", "reflexes normal": the thing, not its lack
                    elif self._told_as_normal_result(finding, span):
                        continue  # "CRP was normal", "pulse 70/min and regular": the result as it should be
                if (
                    via == "semantic" and mention.finding in self._both_sides_only
                    and self._side(doc, span) in ("left", "right", "one")
                ):
                    continue  # "the right ankle is swollen" is one side, however close to "swollen ankles"
                if mention.status == "present" and mention.finding in self._total and self._told_as_bearing(span):
                    # "I can't stand the pain any more": to stand something is to bear it, not to stand up
                    if not self._pain_named_after(doc, span.end) or policy.tolerated_pain not in self.findings:
                        continue
                    mention.finding, mention.via = policy.tolerated_pain, "tolerated"
                if mention.status == "present" and mention.finding in self._total and self._told_as_partial(span):
                    # "I can't walk properly" is not "I cannot walk at all", but it is still what that implies
                    general = self._general_finding(mention.finding)
                    if general is None:
                        continue
                    mention.finding, mention.via = general, "partial"
                if self.findings[mention.finding].lateral or mention.finding in self._one_side_only:
                    mention.side = self._side(doc, span)  # a one-sided finding said of both sides is not it
                if (
                    via == "semantic" and mention.side is None and mention.finding in self._one_side_only
                    and self.findings[mention.finding].lateral
                ):
                    # "she has had weakness" is as close to "weakness in one leg" as words can be, but says no side:
                    # it reads the general finding, whose side stays untold
                    general = self._general_finding(mention.finding)
                    if general is None:
                        continue
                    mention.finding = general
                mentions.append(mention)
        return mentions

    @staticmethod
    def _norms(tokens: Any) -> str:
        """The words as normalised, one space between: how phrases of the rules and spans are compared."""
        return " ".join(t.norm_ for t in tokens)

    def _general_finding(self, finding: str) -> str | None:
        """The first general finding a specific one implies that the knowledge base has."""
        return next((f for f in self.findings[finding].implies if f in self.findings), None)

    def _told_as_bearing(self, span: Any) -> bool:
        """Whether an inability ends at a verb of bearing with its object right after it ("can't stand the
        pain", "can't bear it"): `policy.tolerate_verbs` and `policy.tolerate_objects`."""
        return (
            len(span) > 0 and span[-1].norm_ in self._tolerate_verbs and span.end < len(span.doc)
            and span.doc[span.end].norm_ in self._tolerate_objects
        )

    def _told_as_partial(self, span: Any) -> bool:
        """Whether a word of a partial inability (`policy.partial_words`) is inside the span or follows it
        closely in its clause: "can't lift my foot properly", "barely able to stand"."""
        sentence = span.sent
        after = span.doc[span.end : min(span.end + 5, sentence.end)]
        if any(t.norm_ in self._partial for t in span):
            return True
        for token in after:
            if token.is_punct:
                return False
            if token.norm_ in self._partial:
                return True
        return False

    def _pain_caused_targets(self) -> dict[str, str]:
        """Finding -> what an inability put down to pain reads as instead: the redirect of the finding
        itself, else of a finding it implies (the first by id that has one), so a weak hip or stairs too
        hard to climb, which imply a weak leg, are pain that stops daily life too."""
        redirect = self.lexicon.policy.pain_caused_redirect
        targets: dict[str, str] = {}
        for finding in self.findings:
            found = [redirect[f] for f in [finding, *sorted(self._implied.get(finding, ()))] if f in redirect]
            if found:
                targets[finding] = found[0]
        return targets

    def _only_with_pain(self, doc: Any, span: Any) -> bool:
        """Whether an inability (`policy.inability_words`) is one the text ties to pain after it: a word of
        `policy.only_with_pain` after the span in its clause (past a list of other inabilities, "could not
        sit, stand or walk"), then a pain word within three words ("without severe pain")."""
        words = self._only_with_pain_words
        said = doc[max(doc[span.start].sent.start, span.start - 2):span.end]
        if not words or not any(token.norm_ in self._inability_words for token in said):
            return False  # "got weaker without any pain" is painless weakness, not an inability pain causes
        sentence_end = doc[span.start].sent.end
        for at in range(span.end, min(sentence_end, span.end + 8)):
            token = doc[at]
            if token.text in ".;:!?":
                return False
            if token.norm_ in words:
                return any(t.norm_ in self._pain_words for t in doc[at + 1:min(sentence_end, at + 4)])
        return False

    def _examined(self, finding: str) -> bool:
        """Whether a finding is an examination sign or a test, which a result told as it should be rules out."""
        return self.findings[finding].category in (FindingCategory.SIGN, FindingCategory.TEST)

    def _test_told_normal(self, finding: str, cue: str | None) -> bool:
        """True for an examination sign or a test whose denial is its own normal result ("straight leg raise
        was negative"): the test named and its result given rule it out, as no partial denial can."""
        if cue is None or not self._examined(finding):
            return False
        return any(word in self._normal_result_words for word in cue.lower().split())

    def _pain_too_strong_before(self, doc: Any, span: Any) -> bool:
        """Whether an inability comes after a pain told too strong to do it through, in its sentence: a
        degree word then a word of strength (`policy.too_strong`: "so bad", "too severe") with a pain word
        before them within `policy.pain_before_reach` words, and no word of weakness between them and the
        span ("the pain was so bad he couldn't walk"; "his legs were so weak he couldn't walk" is weak)."""
        if not self._degree_words:
            return False
        sentence_start = doc[span.start].sent.start
        earliest = max(sentence_start, span.start - self.lexicon.policy.pain_before_reach)
        for at in range(span.start - 1, earliest - 1, -1):
            token = doc[at]
            if token.norm_ in self._weakness_words:
                return False
            if token.norm_ in self._strength_words and at > sentence_start and doc[at - 1].norm_ in self._degree_words:
                return token.norm_ in self._pain_words or self._pain_named_before(doc, at - 1)
        return False

    def _put_down_to_pain(self, doc: Any, cue: Any) -> bool:
        """True when a cue of cause names pain: in its own words, after a cue that looks back ("because of
        the pain"), or before a cue of consequence ("the pain grew worse until"); or when its own words
        name something no weak muscle stops ("cannot sleep or climb stairs": `policy.life_words`) and its
        sentence names no weakness (`policy.weakness_words`)."""
        start, end = cue.modifier_span
        if any(token.norm_ in self._pain_words for token in doc[start:end]):
            return True
        if any(token.norm_ in self._life_words for token in doc[start:end]):
            # "he cannot sleep or climb stairs" is what the illness stops; "my legs have gone weak so I can't
            # walk or do housework" tells the weakness in its sentence, and stays weakness
            return not any(token.norm_ in self._weakness_words for token in doc[start].sent)
        if cue.direction == "BACKWARD":
            return self._pain_named_after(doc, end)
        return self._pain_named_before(doc, start)

    def _pain_named_before(self, doc: Any, at: int) -> bool:
        """True when a pain word comes in the sentence before a cue of consequence, within
        `policy.pain_before_reach` words and with no word of weakness nearer: "the pain got worse until",
        not "the weakness spread until"."""
        sentence_start = doc[at].sent.start if at < len(doc) else 0
        for token in reversed(doc[max(sentence_start, at - self.lexicon.policy.pain_before_reach):at]):
            if token.norm_ in self._weakness_words:
                return False
            if token.norm_ in self._pain_words:
                return True
        return False

    def _pain_named_after(self, doc: Any, at: int) -> bool:
        """True when a pain word (`policy.pain_words`) comes within four words after a cue of cause,
        before any punctuation: "because of the severe back pain", not "because of weakness". A stated
        rating is read past, as a word of severity: "because of 7/10 pain"."""
        measured = doc.user_data.get(MEASURED, [])
        words = 0
        for token in doc[at:]:
            if token.norm_ in self._pain_words:
                return words < 4
            if any(start <= token.i < end for start, end in measured):
                continue
            if token.is_punct or words == 4:
                return False
            words += 1
        return False

    def _denies_the_thing(self, finding: str, span: Any) -> bool:
        """True when the words a denial reaches name the thing whose lack is `finding` and not a lack
        (lexicon `policy.lack_of`): "no pulses in the foot" is absent pulses, "no reduced reflexes" is not."""
        things = self._lack_of.get(finding, set())
        words = {token.norm_ for token in span}
        return bool(words & things) and not words & self._state_words

    def _says_the_lack(self, finding: str, span: Any) -> bool:
        """For a finding that is the lack of something (`policy.lack_of`), read by meaning: True when the
        words say the lack once — a word of lack ("ankle jerks reduced", "partly preserved") or a denial
        of the thing ("no pulses in the foot" with the denial among them) — and not twice ("no reduced
        reflexes"). Always True for other findings; a denial outside the words is decided by the
        context (`_denies_the_thing`)."""
        if finding not in self._lack_of:
            return True
        words = {token.norm_ for token in span}
        lack, denied = bool(words & self._lack_words), bool(words & self._denials)
        # a word of lack outweighs a word of normal ("tone is partly preserved"); a denial does not ("no
        # pulse deficit, tone normal")
        return (lack and not denied) or (denied and not lack and not words & self._normal_words)

    def _told_as_normal_result(self, finding: str, span: Any, with_normal_words: bool = False) -> bool:
        """True when words read by meaning as a test, sign or history (`policy.normal_result_categories`)
        say it came out as it should and nothing says otherwise (no denial, lack, partial or abnormal word).
        The words run on to the end of their clause: in "straight-leg raise and slump tests are normal" the
        raise read by meaning is followed by its result. `with_normal_words` counts the words that say a thing
        is there as it should be as well ("pulses are palpable", `policy.normal_words`)."""
        if self.findings[finding].category.value not in self._normal_result_categories:
            return False
        doc, end = span.doc, span.end
        while end < span.sent.end and doc[end].norm_ not in self._clause_ends_for_results:
            end += 1
        words = {token.norm_ for token in doc[span.start:end]}
        normal = self._normal_result_words | self._normal_words if with_normal_words else self._normal_result_words
        return bool(words & normal) and not words & self._not_normal_words

    def _reaches(self, doc: Any, modifier: Any, span: Any) -> bool:
        """A cue reaches forward only within its own clause.

        "A man with no heart problems has had a fortnight of fevers": after the words the denial
        is about ("heart problems"), a word that opens a new predicate ("has") ends its reach, so
        the fevers are present. "She has not had any fever" keeps its denial: nothing but the
        opener stands between the cue and the finding.

        A cue after its phrase ("were absent") reaches back over a comma only along a list
        ("fever, chills and sweats were absent"): "the weakness was progressive, the reflexes were
        absent" denies the reflexes alone, as the words after the comma have their own subject and verb.
        A cue that reaches both ways stops at a verb right after it, which opens the next clause.
        """
        cue_start, cue_end = modifier.modifier_span
        if cue_start >= span.end and modifier.direction in ("BACKWARD", "BIDIRECTIONAL"):
            if modifier.category.upper() == "NEGATED_EXISTENCE" and any(
                token.norm_ in self._result_words for token in doc[span.start:cue_start]
            ):
                # "FABER positive, SLR negative", "FABER is positive and Ober negative": the FABER test has a
                # result of its own, after its words or among them
                return False
            return not self._own_clause_after_comma(doc, span.end, cue_start)
        if cue_end > span.start or modifier.direction not in ("FORWARD", "BIDIRECTIONAL"):
            return True
        if modifier.category.upper() == "NEGATED_EXISTENCE" and self._result_after_comma(doc, cue_end, span.end):
            return False  # "no sacroiliitis, CRP normal": the CRP has a result of its own
        if modifier.category.upper() == "FAMILY" and (
            self._someone_else_after(doc, cue_start, cue_end, span.end) or self._writer_after(doc, cue_end, span.end)
        ):
            return False
        after = doc[cue_end]
        if (modifier.direction == "BIDIRECTIONAL" and after.norm_ in self._clause_openers
                and after.lower_ not in self._persons and cue_start > after.sent.start):
            # "a woman who had renal colic 4 years ago comes with 3 days of pain": a cue that closes
            # one clause does not reach over the verb that opens the next
            return False
        after_noun = doc[cue_end - 1].norm_ in self._noun_cues
        # a denial's predicate may open with the first of the finding's own words ("no relevant past history |
        # has had muscle weakness"); a doubt reaches its whole clause ("not sure whether my stream is weaker")
        opens_the_finding = (modifier.category.upper() == "NEGATED_EXISTENCE"
                             and doc[span.start].norm_ in self._clause_openers)
        reach = span.start + 1 if opens_the_finding else span.start
        return not self._opens_a_predicate(doc[cue_end:reach], content=after_noun)

    def _someone_else_after(self, doc: Any, cue_start: int, cue_end: int, span_end: int) -> bool:
        """True when "he" or "she" after a relative, up to the end of a finding's words, cannot be that relative.

        "His mother rubbed his leg and soon after he couldn't breathe": the mother is "she", so
        the breathing belongs to "he", the person described. The sexes come from the lexicon's
        sex words; a relative of either sex ("partner", "parent") never ends the reach.
        """
        named = {
            self._sex_words.get(token.lower_) for token in doc[cue_start:cue_end] if token.lower_ in self._relatives
        } - {None}
        if len(named) != 1:
            return False
        for token in doc[cue_end:span_end]:
            if token.lower_ in self._third_person and self._sex_words.get(token.lower_) not in (None, *named):
                return True
        return False

    def _writer_after(self, doc: Any, cue_end: int, span_end: int) -> bool:
        """True when the writer speaks of themselves after a relative, up to the end of a finding's words.

        "I was putting my daughter to bed when something cracked in my lower back": the back is the
        writer's ("my" before no relative), not the daughter's. "My mother and my sister had breast
        cancer" keeps the cancer theirs: each "my" there leads to a relative.
        """
        for token in doc[cue_end:span_end]:
            word = token.lower_
            if word in self._first_person or (word in self._own and not self._relative_follows(doc, token.i)):
                return True
        return False

    def _result_after_comma(self, doc: Any, start: int, end: int) -> bool:
        """True when, after the last comma between `start` and `end`, a result word is told (`policy.result_words`)."""
        commas = [token.i for token in doc[start:end] if token.text in (",", ";")]
        return bool(commas) and any(token.norm_ in self._result_words for token in doc[commas[-1] + 1:end])

    def _own_clause_after_comma(self, doc: Any, start: int, cue_start: int) -> bool:
        """Between `start` and a cue after it: a comma, no list word after it, then words with a verb."""
        between = doc[start:cue_start]
        commas = [token.i for token in between if token.text in (",", ";")]
        if not commas or any(token.lower_ in self._list_words for token in doc[commas[0]:cue_start]):
            return False
        return self._opens_a_predicate(doc[commas[-1] + 1:cue_start])

    def _opens_a_predicate(self, tokens: Any, content: bool = False) -> bool:
        """True when words that carry meaning are followed by a word that opens a predicate ("heart
        problems has", "tendon reflexes were"): the words have a subject and verb of their own.
        `content`: the words before `tokens` already carry meaning (a cue that is a noun)."""
        for token in tokens:
            if content and token.norm_ in self._clause_openers:
                return True
            if token.is_alpha and token.norm_ not in self._filler and token.norm_ not in self._clause_openers:
                content = True
        return False

    def _listed_after_denial(self, doc: Any, spans: list[Any]) -> dict[Any, str]:
        """Present phrases listed after a "works normally" phrase that opens with a denial.

        The list runs on over commas and "or" / "and" / "nor", and counts only when one of
        those words joins it ("no bladder problems or saddle numbness").
        """
        listed: dict[Any, str] = {}
        openers = [span for span in spans if span.label_.startswith("normal|") and span[0].norm_ in self._denials]
        for opener in openers:
            position, joined, items = opener.end, False, []
            later = sorted((s for s in spans if s.start >= opener.end and s.sent == opener.sent), key=lambda s: s.start)
            for span in later:
                gap = doc[position:span.start]
                if not len(gap) or not all(token.lower_ in self._list_joiners for token in gap):
                    break
                joined = joined or any(token.lower_ in self._list_words for token in gap)
                if span.label_.startswith("present|"):
                    items.append(span)
                position = span.end
            if joined:
                listed.update({span: opener[0].text for span in items})
        return listed

    def _told_by_relative(self, doc: Any) -> bool:
        """True when the writer never speaks of themselves, but of a relative who is "he" or "she".

        "Dad is 74. He can't pass water" describes the person being checked; "my dad had cancer"
        on its own is family history.
        """
        first_person, relatives = self._first_person, self._relatives
        about_relative = third_person = False
        tokens = list(doc)
        for index, token in enumerate(tokens):
            word = token.lower_
            if word in first_person or word in self._departed:
                return False  # the writer's own words, or a relative who died: family history
            if word in self._own:
                if not self._relative_follows(tokens, index):
                    return False
                about_relative = True
            elif word in relatives:
                about_relative = True
            elif word in self._third_person:
                third_person = True
        return about_relative and third_person

    def _comma_between(self, doc: Any, modifier: Any, span: Any) -> bool:
        """True when a comma, not one of a list's ("no fever, chills or sweats"), parts a cue from its phrase.

        A list is told by an "and" / "or" / "nor" after the first comma in the sentence.
        """
        cue_start, cue_end = modifier.modifier_span
        start, end = (cue_end, span.start) if cue_end <= span.start else (span.end, cue_start)
        commas = [token.i for token in doc[start:end] if token.text == ","]
        if not commas:
            return False
        after = doc[commas[0]:span.sent.end]
        return not any(token.lower_ in self._list_words for token in after)

    def _gives_way(self, span: Any, spans: list[Any]) -> bool:
        """A broad phrase, or a body part paired with a symptom, inside a longer phrase of another finding
        ("numbness" in "numbness in my groin", "pain in my feet" in "no pain in my feet at rest"); or a
        broad phrase listed right before a symptom paired with a part it is not about ("numbness and
        tingling in both hands" is no numbness of the legs)."""
        paired = self._pairs_part_and_kind(span)
        if not self._is_broad(span) and not paired:
            return False
        if not paired and self._listed_before_another_part(span, spans):
            return True
        # a phrase that names its own place keeps it: "back or leg pain"
        own = set() if self._names_a_place(span) else self._parts_of(span.label_)
        return any(
            other.label_ != span.label_ and other.start <= span.start and span.end <= other.end
            and (other.end - other.start) > (span.end - span.start)
            # a pair only fills gaps, save that a broad phrase gives way to a pair that puts it in a
            # part its finding is not about ("tingling in her arms" is no tingling of the legs)
            and (not self._pairs_part_and_kind(other)
                 or (not paired and bool(own) and not own & self._parts_of(other.label_)))
            and other.label_.split("|", 1)[1] not in self._when_findings  # when it began, not where
            and not (paired and other.label_.split("|", 1)[1] in self._pairs_kept_inside)
            for other in spans
        )

    def _names_a_place(self, span: Any) -> bool:
        """Whether a word of the span names a part of the body."""
        return any(self._part_of_word.get(token.norm_) is not None for token in span)

    def _parts_of(self, label: str) -> set[str]:
        """The body parts a reading's finding is of, the limbs as a whole left out."""
        return {part for part, _ in self._pair_family.get(label.split("|", 1)[1], ())} - self._whole_body_parts

    def _listed_before_another_part(self, span: Any, spans: list[Any]) -> bool:
        """Whether only list words stand between a broad phrase that names no place and a reading of a
        symptom of a part that the phrase's finding is not about (none of their parts is shared)."""
        doc = span.doc
        if self._names_a_place(span):
            return False  # "back pain, leg pain": a phrase that names its own place keeps it
        at = span.end
        while at < len(doc) and doc[at].lower_ in self._list_joiners:
            at += 1
        if at == span.end:
            return False
        own = self._parts_of(span.label_)
        return bool(own) and any(
            other.start == at and other.label_.startswith("present|") and self._parts_of(other.label_)
            and not own & self._parts_of(other.label_)
            for other in spans
        )

    def _side(self, doc: Any, span: Any) -> str | None:
        """The nearest side word in the same sentence, within the lexicon's window of the phrase."""
        window = self.lexicon.laterality.window
        sentence = span.sent
        best: tuple[int, str] | None = None
        laterality = self.lexicon.laterality
        for token in sentence:
            side = self._side_words.get(token.norm_)
            if side is None:
                continue
            before = doc[token.i - 1].norm_ if token.i > 0 else ""
            after = doc[token.i + 1].norm_ if token.i + 1 < len(doc) else ""
            if before in laterality.not_a_side_after or after in laterality.not_a_side_before:
                continue
            if side == "both" and self._one_of_before(doc, token.i, sentence.start):
                side = "one"
            if side == "both" and self._joins_one_side(doc, token.i, sentence.end):
                continue  # "both the right arm and the right leg": the side is the one named after it
            if side in ("left", "right") and self._after_the_other_side(doc, token.i, side, sentence.start):
                side = "both"  # "the left and right legs": both sides
            if span.start <= token.i < span.end:
                distance = 0
            elif token.i < span.start:
                distance = span.start - token.i
            else:
                distance = token.i - span.end + 1
            between = doc[token.i + 1 : span.start] if token.i < span.start else doc[span.end : token.i]
            if any(t.norm_ in self._contrast_words for t in between):
                continue  # "5/5 on both sides but dorsiflexion is 2/5": the side is the other clause's
            if token.i >= span.end and any(t.norm_ in self._compared_with for t in between):
                continue  # "weaker than on the left": the side compared with
            if distance <= window and (best is None or distance < best[0]):
                best = (distance, side)
        if best is None and self._names_one_limb(doc, span):
            return "one"
        return best[1] if best else None

    def _joins_one_side(self, doc: Any, index: int, end: int) -> bool:
        """Whether the word at `index` is a joining "both" with a word of one side after it, past determiners, and
        only that side named after it in the sentence ("both the left and right legs" are both sides)."""
        if doc[index].norm_ not in self._joining_both:
            return False
        at = self._past_determiners(doc, index + 1, end)
        if at >= end or doc[at].norm_ not in self._one_side_words:
            return False
        named = {self._side_words[t.norm_] for t in doc[at:end] if t.norm_ in self._one_side_words}
        return len(named) == 1

    def _past_determiners(self, doc: Any, at: int, end: int) -> int:
        """The first place from `at` (before `end`) that is not a small word of `laterality.determiners`."""
        while at < end and doc[at].norm_ in self._side_determiners:
            at += 1
        return at

    def _after_the_other_side(self, doc: Any, index: int, side: str, start: int) -> bool:
        """Whether the side word at `index` follows the other side's word with only a joining word between
        ("left and right", "right or left")."""
        if index - 2 < start or doc[index - 1].lower_ not in self._list_joiners:
            return False
        other = self._side_words.get(doc[index - 2].norm_)
        return other in ("left", "right") and other != side

    def _names_one_limb(self, doc: Any, span: Any) -> bool:
        """Whether the span names a single limb after a determiner ("a painful foot"), as the thing
        itself and not as a word qualifying another ("the leg pain", "the proximal leg muscles"):
        the limb word ends the phrase, so punctuation or a function word follows it."""
        reach = self.lexicon.laterality.one_limb_reach
        sentence = span.sent
        for token in span:
            if token.norm_ not in self._one_limb:
                continue
            after = doc[token.i + 1] if token.i + 1 < sentence.end else None
            if after is not None and after.is_alpha and not after.is_stop:
                continue
            for back in range(1, reach + 2):
                at = token.i - back
                if at < sentence.start or not doc[at].is_alpha:
                    break
                if doc[at].norm_ in self._one_limb_after:
                    return True
        return False

    def _one_of_before(self, doc: Any, index: int, start: int) -> bool:
        """Whether a phrase of the lexicon's `one_of` ends at most `one_of_reach` words before token `index`."""
        reach = self.lexicon.laterality.one_of_reach
        for phrase in self._one_of:
            for end in range(max(start + len(phrase), index - reach), index + 1):
                if tuple(token.norm_ for token in doc[end - len(phrase):end]) == phrase:
                    return True
        return False

    def _other_side_said_otherwise(self, doc: Any, mentions: list[Mention]) -> list[Mention]:
        """A finding ruled out by what was found normal on one side is not ruled out where a contrast after it says
        the other side is not normal ("pulses are palpable on the left but absent on the right", "reflexes are
        normal on the right but reduced on the left"), in words that are no other finding's: the normal holds for that
        side only. Where the thing examined has one finding for its lack (`policy.lack_of`: pulses), the other side's
        lack is that finding, present on that side; otherwise the finding is left unknown."""
        kept: list[Mention] = []
        for mention in mentions:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand") if mention.status == "absent" \
                else None
            contrast = None if span is None else next(
                (t for t in doc[span.end:span.sent.end] if t.norm_ in self._contrast_words or t.norm_ == ";"), None
            )
            if span is None or contrast is None or contrast.norm_ == ";":
                kept.append(mention)
                continue
            clause = doc[contrast.i + 1:span.sent.end]
            clause = clause[:next((t.i - clause.start for t in clause if t.norm_ == ";"), len(clause))]
            sides_before = {self._side_words[t.norm_] for t in doc[span.sent.start:contrast.i]
                            if t.norm_ in self._one_side_words}
            sides_after = {self._side_words[t.norm_] for t in clause if t.norm_ in self._one_side_words}
            others = [(m.start, m.end) for m in mentions if m.finding != mention.finding]
            said_of_it = any(  # a word of lack or denial that is not another finding's: the contrast's subject is it
                t.norm_ in self._said_otherwise and not any(a <= t.idx < b for a, b in others) for t in clause
            )
            if len(sides_before) != 1 or len(sides_after) != 1 or sides_before == sides_after or not said_of_it:
                kept.append(mention)
                continue
            words = {t.norm_ for t in span}
            lacking = [finding for finding, names in self._lack_of.items() if names & words]
            if lacking == [mention.finding]:  # the other side's lack of the one thing examined
                kept.append(Mention(mention.finding, "present", clause.start_char, clause.end_char, clause.text, True,
                                    side=next(iter(sides_after))))
            else:
                kept.append(Mention(mention.finding, "unknown", mention.start, mention.end, mention.text, True,
                                    ["contradicted"], mention.cue))
        return kept

    def _decide(self, mentions: list[Mention]) -> dict[str, Mention]:
        """One answer per finding from all its mentions; explicit words beat general statements."""
        by_finding: dict[str, list[Mention]] = defaultdict(list)
        for mention in mentions:
            by_finding[mention.finding].append(mention)
        decided: dict[str, Mention] = {}
        for finding, items in by_finding.items():
            # A whole kind denied in so many words ("I don't use drugs") is not also read by meaning over those words.
            kinds = [(m.start, m.end) for m in items if m.via == "kind"]
            items = [m for m in items if m.via != "semantic" or not any(a < m.end and m.start < b for a, b in kinds)]
            # A word read inside a wider reading of the same finding takes that reading's time and person: in "a
            # tingling in my foot for a day last month" the past reaches "in my foot" but not "tingling" alone.
            wider = [(m.start, m.end) for m in items if m.status == "unknown" and set(m.context) & self._not_now]
            items = [m for m in items if m.status != "present" or not any(
                a <= m.start and m.end <= b and (a, b) != (m.start, m.end) for a, b in wider
            )]
            # A value measured inside its cut-off beats the name of the thing it measures, told in the same words:
            # "morning stiffness lasts about 10 minutes" names the stiffness only to say it is short.
            measured_out = [(m.start, m.end) for m in items if m.via == "measurement" and m.status == "absent"]
            items = [m for m in items if m.status != "present" or not any(
                a < m.end and m.start < b for a, b in measured_out
            )]
            # Phrases beat meaning: a piece read by similarity counts only where no phrase named the finding.
            worded = [m for m in items if m.via != "semantic"]
            items = worded if any(m.explicit for m in worded) else items
            explicit = [m for m in items if m.explicit or m.via == "duration"] or items
            present = [m for m in explicit if m.status == "present"]
            absent = [m for m in explicit if m.status == "absent"]
            unknown = [m for m in explicit if m.status == "unknown"]
            if present and absent:
                present_sides = {m.side for m in present}
                absent_sides = {m.side for m in absent}
                if None not in present_sides and present_sides.isdisjoint(absent_sides):
                    decided[finding] = present[0]
                else:
                    first = present[0]
                    decided[finding] = Mention(
                        finding, "unknown", first.start, first.end, first.text, True, ["contradicted"],
                        absent[0].cue,
                    )
            elif present:
                sides = {m.side for m in present if m.side}
                if len(sides) > 1:
                    sides.discard("one")  # "one of my legs ... the left one": the side named wins
                chosen = present[0]
                if len(sides) > 1 or "both" in sides:
                    chosen.side = "both"
                elif sides:
                    chosen.side = sides.pop()
                if chosen.side == "both" and finding in self.lexicon.laterality.one_side_only:
                    continue  # "both calves are swollen" is not one swollen leg
                decided[finding] = chosen
            elif absent and any("uncertain" in m.context for m in unknown):
                decided[finding] = next(m for m in unknown if "uncertain" in m.context)
            elif absent:
                decided[finding] = absent[0]
            else:
                decided[finding] = unknown[0]
        self._settle_choices(decided)
        self._drop_outranked(decided)
        self._recurrence_of_the_complaint(decided)
        return decided

    def _recurrence_of_the_complaint(self, decided: dict[str, Mention]) -> None:
        """"The same thing happened last year" in a text that tells a weakness and no pain is an earlier attack
        of the weakness, not an earlier bout of back pain (lexicon `policy.recurrence_by_complaint`)."""
        rule = self.lexicon.policy.recurrence_by_complaint
        if rule is None:
            return
        told = decided.get(rule.recurrence)
        if told is None or told.status != "present" or told.via is not None or rule.becomes in decided:
            return  # none read, or one read from a symptom told in the past ("had back pain until last week")
        if set(told.text.lower().split()) & self._recurrence_naming:
            return  # the recurrence names what came back
        def present(findings: list[str]) -> bool:
            return any((m := decided.get(f)) is not None and m.status == "present" for f in findings)
        if present(rule.complaint) and not present(rule.not_with):
            del decided[rule.recurrence]
            told.finding = rule.becomes
            decided[rule.becomes] = told

    def _drop_outranked(self, decided: dict[str, Mention]) -> None:
        """One injury is told once: a graver finding read as present takes away the lesser forms read
        with it (lexicon `policy.outranks`), or only those told in its words (`policy.outranks_in_its_words`)."""
        policy = self.lexicon.policy
        for rules, in_its_words in ((policy.outranks, False), (policy.outranks_in_its_words, True)):
            for graver, lesser in rules.items():
                told = decided.get(graver)
                if told is None or told.status != "present":
                    continue
                for finding in lesser:
                    mention = decided.get(finding)
                    if mention is not None and mention.status == "present" and (
                        not in_its_words or (mention.start < told.end and told.start < mention.end)
                    ):
                        del decided[finding]

    def _settle_choices(self, decided: dict[str, Mention]) -> None:
        """Two present answers to one choice question (onset, duration): keep a stated duration, else ask."""
        groups: dict[str, list[str]] = defaultdict(list)
        for finding, mention in decided.items():
            group = self.findings[finding].exclusive_group
            if group is not None and mention.status == "present":
                groups[group].append(finding)
        for members in groups.values():
            if len(members) < 2:
                continue
            stated = [f for f in members if decided[f].via == "duration"]
            for finding in members:
                if stated and finding == stated[0]:
                    continue
                if stated:
                    del decided[finding]
                else:
                    decided[finding].status = "unknown"
                    decided[finding].context = ["contradicted"]

    def _one_side_follows(self, doc: Any, end: int, sentence_end: int) -> bool:
        """Whether a normal statement ending at `end` is said of one side only, right after it ("normal sensation on
        the left", "reflexes normal in the right leg"): then it rules nothing out, since the findings are of a leg or
        a side and the other may be the one at fault."""
        for token in doc[end:min(end + 3, sentence_end)]:
            if token.is_punct:
                return False
            if token.norm_ in self._one_side_words:
                return True
        return False

    def _kept_by_exception(self, doc: Any, span: Any) -> set[str]:
        """The findings an exception right after a normal statement names the kind of ("normal apart from reduced
        ankle jerks" keeps the reflexes): they are left to what the exception says, not ruled out with the rest."""
        rest = [token.norm_ for token in doc[span.end:span.sent.end]]
        opened = next((
            at + len(cue) for at in range(min(3, len(rest))) for cue in self._exception_cues
            if tuple(rest[at:at + len(cue)]) == cue
        ), None)
        if opened is None:
            return set()
        return {finding for word in rest[opened:] for finding in self._exception_kinds.get(word, ())}

    def _add_implied(self, doc: Any, decided: dict[str, Mention]) -> None:
        """Specific findings imply general ones (each finding's `implies` in the knowledge base); a side
        makes a leg finding one-sided or on both sides (the lexicon's side words). A finding that has no
        side of its own ("cannot lift my left foot" is severe weakness) still tells the side of the
        one-limb finding it implies, from its own words."""
        changed = True
        while changed:
            changed = False
            for finding, mention in list(decided.items()):
                if mention.status != "present":
                    continue
                implied = list(self.findings[finding].implies) if finding in self.findings else []
                if finding in self._inability_implies and self._told_as_inability(doc, mention):
                    implied += self._inability_implies[finding]
                by_side = self.lexicon.laterality.implies.get(finding, {})
                if mention.side in by_side:
                    implied.append(by_side[mention.side])
                for target in implied:
                    # a general finding left undecided elsewhere ("denies any injury to the right leg", read by meaning
                    # as a weak leg and so neither present nor absent) is still what a present specific one implies
                    if target in self.findings and (target not in decided or decided[target].status == "unknown"):
                        side = None
                        if self.findings[target].lateral:
                            side = mention.side or self._side_of_words(doc, mention)
                        decided[target] = Mention(target, "present", mention.start, mention.end, mention.text, True,
                                                  side=side, via="implied")
                        changed = True
                    elif target in decided and decided[target].status == "present" and self.findings[target].lateral:
                        changed |= self._widen_side(decided, target, mention.side)

    def _widen_side(self, decided: dict[str, Mention], finding: str, side: str | None) -> bool:
        """A general finding read on one side is on every side a more specific finding it comes with is on: weak
        knee extension on both sides makes leg weakness read on the right alone weakness of both legs. A one-sided
        finding implied from the narrower side goes; one the words name themselves keeps the side. True when the
        side changed."""
        mention = decided[finding]
        now = mention.side
        if side is None or side == now or side == "one":
            return False
        wider = side if now in (None, "one") else "both"
        if wider == now:
            return False
        stale = self.lexicon.laterality.implies.get(finding, {}).get(cast(ReadSide, now)) if now else None
        if stale in decided:
            if decided[stale].via != "implied":
                return False  # the words themselves say one side ("pain down my leg")
            del decided[stale]
        mention.side = wider
        return True

    def _told_as_inability(self, doc: Any, mention: Mention) -> bool:
        """Whether a mention is a movement not done at all: a word of inability in its words or up to two
        words before them in its sentence, then the movement ("cannot dorsiflex", "unable to extend"), and
        no partial word."""
        span = _span_of(doc, mention)
        if span is None or not len(span) or self._told_as_partial(span):
            return False
        start = max(span.sent.start, span.start - 2)
        for token in doc[start:span.end]:
            if token.norm_ not in self._inability_words:
                continue
            after = [t for t in doc[token.i + 1:min(token.i + 3, span.sent.end)] if t.norm_ not in self._filler]
            if after and after[0].norm_ in self._inability_verbs:
                return True
        return False

    def _side_of_words(self, doc: Any, mention: Mention) -> str | None:
        """The side told near a mention's words, for a mention whose own finding has none."""
        span = _span_of(doc, mention)
        return self._side(doc, span) if span is not None and len(span) else None

    def _add_together(self, doc: Any, decided: dict[str, Mention]) -> bool:
        """Findings told by two others said close together in one sentence (lexicon `policy.together`);
        True when one was added."""
        added = False
        for target, rule in self.lexicon.policy.together.items():
            cue = decided.get(rule.when)
            if target in decided or target not in self.findings or cue is None or cue.status != "present":
                continue
            cue_span = _span_of(doc, cue)
            if cue_span is None:
                continue
            for finding in rule.near_any:
                mention = decided.get(finding)
                if mention is None or mention.status != "present":
                    continue
                span = _span_of(doc, mention)
                if span is None or span.sent != cue_span.sent:
                    continue
                apart = max(0, cue_span.start - span.end, span.start - cue_span.end)
                between = doc[min(cue_span.end, span.end):max(cue_span.start, span.start)]
                if apart <= rule.reach or all(token.norm_ in self._together_listed[target] for token in between):
                    start, end = min(cue.start, mention.start), max(cue.end, mention.end)
                    decided[target] = Mention(target, "present", start, end, doc.text[start:end], True, via="together")
                    added = True
                    break
        return added

    def _read_age(self, text: str, of_self: bool) -> tuple[int | None, tuple[int, int] | None]:
        """A stated age ("54-year-old", "aged 54", "54 yo", "54M"), else a decade ("in her late sixties" -> 68).

        A relative describing the person checked gives the age as a plain number ("my husband is
        87"); that form is read only when the writer never speaks of themselves (`of_self` false).
        """
        patterns = self._age if of_self else [*self._age, *self._relative_age]
        for pattern in patterns:
            match = pattern.search(text)
            if match:
                age = int(match.group("age"))
                if 0 < age <= 120:
                    return age, match.span()
        spec = self.lexicon.demographics
        if self._decade is not None:
            match = self._decade.search(text)
            if match:
                part = spec.decade_parts.get((match.group("part") or "").lower(), 5)
                return spec.decades[match.group("decade").lower()] + part, match.span()
        return None, None

    def _read_sex(self, text: str, doc: Any, of_self: bool) -> tuple[str | None, tuple[int, int] | None]:
        """Stated sex ("I'm a 45-year-old woman", "54M"); else, in a description of someone else, the first
        word that tells it ("a man with", "Mrs Jones", "she"), skipping a relative after a possessive."""
        for sex, pattern in self._sex:
            match = pattern.search(text)
            if match:
                return sex, match.span()
        if of_self:
            return None, None
        tokens = list(doc)
        for index, token in enumerate(tokens):
            told = self._sex_words.get(token.lower_)
            if told is None:
                continue
            before = tokens[index - 1].lower_ if index else ""
            if before in self._possessives and token.lower_ in self._relatives:
                continue
            return told, (token.idx, token.idx + len(token.text))
        return None, None

    def _sex_of_findings(self, decided: dict[str, Mention]) -> str | None:
        """The sex told by a finding only one sex can have ("27 weeks pregnant"), when no word told it."""
        for mention in decided.values():
            told = self.findings[mention.finding].sex if mention.status == "present" else None
            if told is not None:
                return told
        return None

    def _writes_of_self(self, doc: Any) -> bool:
        """True when the writer speaks of themselves ("I", "me", "my back")."""
        tokens = list(doc)
        for index, token in enumerate(tokens):
            if token.lower_ in self._first_person:
                return True
            if token.lower_ in self._own and not self._relative_follows(tokens, index):
                return True
        return False

    def _relative_follows(self, tokens: Sequence[Any], index: int) -> bool:
        """True when a possessive at `index` is said of a relative, over words that only describe them:
        "my son", "my 15-year-old son", "my elderly mother"."""
        for token in tokens[index + 1 : index + 6]:
            word = token.lower_
            if word in self._relatives:
                return True
            if not (token.like_num or word in self._relative_lead):
                return False
        return False

    def _not_understood(self, doc: Any, covered: list[tuple[int, int]]) -> list[str]:
        """Clauses with a meaningful word and nothing the reader could map."""
        clauses: list[list[Any]] = [[]]
        for token in doc:
            if token.is_sent_start or token.text in CLAUSE_PUNCT or token.norm_ in self._clause_words:
                clauses.append([])
            if not (token.is_punct or token.is_space or token.norm_ in self._clause_words):
                clauses[-1].append(token)
        missed: list[str] = []
        for clause in clauses:
            if not clause:
                continue
            start, end = clause[0].idx, clause[-1].idx + len(clause[-1].text)
            if any(a < end and start < b for a, b in covered):
                continue
            meaningful = [
                t for t in clause
                if any(ch.isalpha() for ch in t.text) and t.norm_ not in self._filler and t.lower_ not in self._filler
            ]
            if meaningful:
                missed.append(doc.text[start:end][:200])
            if len(missed) >= 10:
                break
        return missed

    def _result(
        self,
        text: str,
        decided: dict[str, Mention],
        age: int | None,
        age_span: tuple[int, int] | None,
        sex: str | None,
        sex_span: tuple[int, int] | None,
        not_understood: list[str],
    ) -> ParseResult:
        def parsed(mention: Mention) -> ParsedFinding:
            return ParsedFinding(
                id=mention.finding,
                label=self.findings[mention.finding].label,
                status=mention.status,
                span=TextSpan(text=text[mention.start:mention.end], start=mention.start, end=mention.end),
                side=mention.side if mention.side in ("left", "right", "both") else None,
                context=mention.context,
                cue=mention.cue,
                via=mention.via,
            )

        order = sorted(decided.values(), key=lambda m: (m.start, m.finding))
        items = [parsed(m) for m in order]
        return ParseResult(
            text=text,
            present=[f for f in items if f.status == "present"],
            absent=[f for f in items if f.status == "absent"],
            unknown=[f for f in items if f.status == "unknown"],
            negated=[f for f in items if "negated" in f.context],
            age=age,
            age_span=TextSpan(text=text[age_span[0]:age_span[1]], start=age_span[0], end=age_span[1])
            if age_span else None,
            sex=sex,
            sex_span=TextSpan(text=text[sex_span[0]:sex_span[1]], start=sex_span[0], end=sex_span[1])
            if sex_span else None,
            laterality={f.id: f.side for f in items if f.side is not None and f.status == "present"},
            not_understood=not_understood,
        )


def list_joiners(lexicon: Lexicon) -> frozenset[str]:
    """What stands between the items of a list: the lexicon's list words ("and", "or") and a comma; one set for
    the parser and the duration reader, so that both end a list at the same word."""
    return frozenset(word.lower() for word in lexicon.policy.words.list_words) | {","}


class _DurationReader:
    """'for 3 weeks', 'since yesterday', 'two months ago' -> days -> the matching duration finding."""

    def __init__(self, lexicon: Lexicon) -> None:
        spec = lexicon.durations
        self.spec = spec

        def alternatives(words: Iterable[str]) -> str:
            return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))

        one = rf"\d+(?:\.\d+)?|{alternatives(spec.numbers)}"
        # "two or three weeks": the second number of a range, the larger, is the one that counts.
        upper = rf"(?:\s*(?:{alternatives(spec.ranges)})\s*(?P<upper>{one}))?" if spec.ranges else ""
        number = rf"(?P<n>{one}){upper}"
        unit = rf"(?P<unit>{alternatives(spec.units)})"
        self.lead_pattern = re.compile(
            rf"\b(?:{alternatives(spec.lead)})\s+(?:(?:{alternatives(lexicon.approximately)})\s+)?"
            rf"{number}\s*-?\s*{unit}\b", re.IGNORECASE,
        )
        self.patterns = [
            self.lead_pattern,
            re.compile(rf"\b{number}\s*-?\s*{unit}\s+(?:{alternatives(spec.trail)})\b", re.IGNORECASE),
            # Clinical shorthand opens a clause with the duration: "48F, 4 months right buttock pain";
            # not an age ("4 years old") nor a date ("2 years ago he fractured his wrist").
            re.compile(rf"(?:^|[,;:]\s*|\.\s+){number}\s*-?\s*{unit}\b"
                       rf"(?!\s*-?\s*(?:{alternatives([*spec.not_before, *spec.dating])})\b)", re.IGNORECASE),
        ]
        if spec.onset_units and spec.onset_trail:
            self.patterns.append(re.compile(
                rf"\b{number}\s*-?\s*(?P<unit>{alternatives(spec.onset_units)})\s+(?:{alternatives(spec.onset_trail)})\b",
                re.IGNORECASE,
            ))
        # Days per unit; the onset units ("minutes") are read only by the patterns that date a start.
        self.unit_days = {**spec.units, **spec.onset_units}
        if spec.attended and spec.attended_after:
            # "is seen one hour after weakness of his right side came on": the time since the complaint began
            any_unit = alternatives(self.unit_days)
            self.patterns.append(re.compile(
                rf"\b(?:{alternatives(spec.attended)})\b(?:\s+[^\s.;]+){{0,7}}?\s+{number}\s*-?\s*"
                rf"(?P<unit>{any_unit})\s+(?:{alternatives(spec.attended_after)})\b",
                re.IGNORECASE,
            ))
        if spec.unit_alone_lead:
            # "over the past month": a unit with no number is one of it.
            self.patterns.append(
                re.compile(rf"\b(?:{alternatives(spec.unit_alone_lead)})\s+{unit}\b", re.IGNORECASE)
            )
        # Never matches when the lexicon lists nothing.
        self.not_a_duration = re.compile("|".join(spec.not_a_duration_near) or r"(?!x)x", re.IGNORECASE)
        self.background = frozenset(" ".join(phrase.lower().split()) for phrase in spec.background)
        self._binds_next = frozenset(word.lower() for word in spec.binds_next)
        self._background_ends = _lower(spec.background_ends)
        parts = lexicon.body_parts.parts.values() if lexicon.body_parts is not None else ()
        self._body_words = _lower(word for words in parts for word in words)
        self._list_joiners = list_joiners(lexicon)
        self.fixed = re.compile(rf"\b(?:{alternatives(spec.fixed)})\b", re.IGNORECASE)
        self.dating = re.compile(
            rf"\b(?:{alternatives(spec.dating)})\b" if spec.dating else r"(?!x)x", re.IGNORECASE
        )
        self.earlier = re.compile(
            rf"\s+(?:{alternatives(spec.earlier_after)})\b" if spec.earlier_after else r"(?!x)x", re.IGNORECASE
        )
        counted = spec.from_another_event
        # what stands before a time counted from another event ("within", "within half"), and what ends it ("of")
        self.counted_before = re.compile(
            rf"\b(?:{alternatives(counted.before)})\s+"
            + (rf"(?:(?:{alternatives(counted.between)})\s+)?" if counted.between else "") + "$"
            if counted else r"(?!x)x",
            re.IGNORECASE,
        )
        closing = alternatives(counted.after) if counted else ""
        # "five times over the last four years": occasions counted just before the time phrase
        self.after_occasions = re.compile(
            rf"\b(?:{alternatives(spec.occasions)})[\s,]*$" if spec.occasions else r"(?!x)x", re.IGNORECASE
        )
        self.counted_ends = re.compile(rf"(?:^|\s)(?:{closing})$" if counted else r"(?!x)x", re.IGNORECASE)
        self.counted_follows = re.compile(rf"\s+(?:{closing})\b" if counted else r"(?!x)x", re.IGNORECASE)
        self.fixed_days = {" ".join(k.lower().split()): v for k, v in spec.fixed.items()}
        self.dating_opener = re.compile(
            rf"\s*(?:{alternatives(spec.dating_openers)})\b" if spec.dating_openers else r"(?!x)x", re.IGNORECASE
        )
        # what ends the reach of a time phrase that opens its sentence: a break stronger than a comma, or a
        # comma before a word that opens a clause ("For three months I've been tired, and my back has hurt")
        clause_words = rf",\s*(?:{alternatives(lexicon.clause_words)})\b" if lexicon.clause_words else r"(?!x)x"
        self.opening_breaks = re.compile(rf"{SENTENCE_PART_BREAK.pattern}|{clause_words}", re.IGNORECASE)

    def read(
        self, text: str, anchors: Sequence[DurationAnchor] = (), sentence_starts: Sequence[int] = (),
    ) -> tuple[list[Mention], float | None]:
        """The longest duration of the episode stated, as a mention of its band's finding (and, for an
        episode of hours, of `started_within`'s finding), and its days; empty and None when none is stated.

        `anchors` are the findings read; a time phrase whose nearest finding in its sentence is not
        about the episode is left out.
        """
        found: list[tuple[float, int, int]] = []
        for pattern in self.patterns:
            for match in pattern.finditer(text):
                if self.not_a_duration.search(text[max(0, match.start() - 20):match.end() + 35]):
                    continue  # "24 weeks pregnant" is how far the pregnancy is, not how long the pain has lasted
                if pattern is self.lead_pattern and self.earlier.match(text, match.end()):
                    continue  # "for several weeks before this" is a stretch that ended before the episode
                if self._from_another_event(text, match):
                    continue  # "within half an hour of taking aspirin" counts from the aspirin, not the episode
                if self.after_occasions.search(text, max(0, match.start() - 30), match.start()):
                    continue  # "five times over the last four years" is how often, not how long this episode
                amount = max(
                    (self._amount(match.group(name)) for name in ("n", "upper") if name in match.re.groupindex
                     and match.group(name)),
                    default=1.0,
                )
                unit = self.unit_days[" ".join(match.group("unit").lower().split())]
                # The shorthand pattern may begin at the full stop or comma before the number, which
                # belongs to the sentence before: the phrase starts at its number.
                start = match.start("n") if text[match.start()] in ",;:." else match.start()
                found.append((amount * unit, start, match.end()))
        for match in self.fixed.finditer(text):
            word = (text[:match.start()].split() or [""])[-1]
            counted = match.group(0).split()[0].lower() in self.unit_days  # "months of", not "long-standing"
            if counted and word[-1:].isalnum() and (word[0].isdigit() or word.lower() in self.spec.numbers):
                continue  # "2 months of" is read with its number; "months of" alone is a stretch of its own
            found.append((self.fixed_days[" ".join(match.group(0).lower().split())], match.start(), match.end()))
        bearing = [(item, self._about_the_episode(text, item[1], item[2], anchors, sentence_starts)) for item in found]
        found = [item for item, about in bearing if about]
        if not found:
            return [], None
        # a time told with a finding of the episode outweighs one told in a sentence that names none: in
        # "Two hours ago I got a cramping pain ... For the last two days I've been drinking more coffee"
        # the coffee's two days say nothing of the pain
        told_with_a_finding = [item for item, about in bearing if about and self._beside_a_finding(
            item[1], anchors, sentence_starts)]
        if told_with_a_finding:
            found = told_with_a_finding
        # "Four years ago she had a kidney stone" dates an event, which may or may not be this
        # episode's start: a stated stretch ("for 3 days", "2 weeks of") wins when there is one.
        stretches = [item for item in found if not self.dating.search(text, item[1], item[2])]
        told = [item for item in stretches if not self._names_a_lasting_condition(text, item[1], item[2])]
        if told:
            stretches = told  # "chronic back pain" is the background of "3 days of low back pain"
        if stretches:
            # The presenting complaint is told first: a stretch in the first sentence that names a finding of the
            # episode is this episode's ("2 hours of left flank pain ... Over the past year he has had bouts of
            # pain in both flanks"); otherwise, or among several there, the longest ("pain for 3 months, worse
            # for 2 weeks").
            opening = self._opening_sentence(anchors)
            first = [item for item in stretches if self._sentence_at(item[1], sentence_starts) == opening]
            days, start, end = max(first or stretches, key=lambda item: (item[0], -item[1]))
        else:
            # Only dates: the first told dates this episode ("Two hours ago I got a cramping pain ... I had
            # the same thing six months ago"); later ones date what went before.
            days, start, end = min(found, key=lambda item: item[1])
        finding = next(b.finding for b in self.spec.bands if b.below_days is None or days < b.below_days)
        mention = Mention(finding, "present", start, end, text[start:end], True, via="duration")
        within = self.spec.started_within
        if within is not None and within.below_days is not None and days < within.below_days:
            # an episode this short began within hours
            began = Mention(within.finding, "present", start, end, text[start:end], True, via="duration")
            return [mention, began], days
        return [mention], days

    @staticmethod
    def _opening_sentence(anchors: Sequence[DurationAnchor]) -> int | None:
        """The start of the first sentence that names a finding of the episode told as present now."""
        return min(
            (anchor.sentence for anchor in anchors if anchor.about_the_episode and anchor.present and not anchor.past),
            default=None,
        )

    def _from_another_event(self, text: str, match: re.Match[str]) -> bool:
        """Whether a time phrase is counted from another event (`from_another_event`): its lead word just
        before it, and its closing word ending it or right after it."""
        if not self.counted_before.search(text[max(0, match.start() - 30):match.start()]):
            return False
        return bool(self.counted_ends.search(match.group(0)) or self.counted_follows.match(text, match.end()))

    def _amount(self, raw: str) -> float:
        raw = raw.lower()
        return float(raw) if raw[0].isdigit() else self.spec.numbers[" ".join(raw.split())]

    @staticmethod
    def _sentence_at(start: int, sentence_starts: Sequence[int]) -> int | None:
        """The start of the sentence holding character `start`."""
        return max((s for s in sentence_starts if s <= start), default=None)

    @classmethod
    def _beside_a_finding(cls, start: int, anchors: Sequence[DurationAnchor], sentence_starts: Sequence[int]) -> bool:
        """True when the sentence of the time phrase at `start` names a finding."""
        sentence = cls._sentence_at(start, sentence_starts)
        return sentence is not None and any(anchor.sentence == sentence for anchor in anchors)

    def _about_the_episode(
        self, text: str, start: int, end: int, anchors: Sequence[DurationAnchor], sentence_starts: Sequence[int],
    ) -> bool:
        """A time phrase belongs to its nearest finding in the sentence; one that leads its clause ("For
        two days I've been exhausted and had back pain") belongs to every finding of that clause, so
        it is about the episode when any of them is present now. A time phrase whose nearest finding
        is told in the past ("she had renal colic 4 years ago") dates that, not this episode."""
        sentence = self._sentence_at(start, sentence_starts)
        qualified = self._qualified_by_background_word(text, start, end, anchors, sentence)
        if qualified is not None:
            return qualified
        nearest: tuple[int, DurationAnchor] | None = None
        leads_an_episode_finding = False
        # a time phrase that opens its sentence leads all of it, up to a stronger break than a comma:
        # "For three months an 18-year-old dancer has had sharp, constant low back pain"
        before = text[sentence:start] if sentence is not None else ""
        dated_by_its_opener = self.dating_opener.match(before) is not None and not self.opening_breaks.search(before)
        opens = sentence is not None and (not before.strip() or dated_by_its_opener)
        breaks = self.opening_breaks if opens else CLAUSE_BREAK
        for anchor in anchors:
            if sentence is None or anchor.sentence != sentence or (anchor.time_after_only and anchor.start >= end):
                continue
            gap = max(anchor.start - end, start - anchor.end, 0)
            if (anchor.start >= end and anchor.about_the_episode and anchor.present and not anchor.past
                    and not breaks.search(text, end, anchor.start)):
                leads_an_episode_finding = True
            if nearest is None or gap < nearest[0]:
                nearest = (gap, anchor)
        if nearest is None or (nearest[1].about_the_episode and not nearest[1].past):
            return True
        if dated_by_its_opener and leads_an_episode_finding:
            return True  # a clause that dates the sentence: the finding told in it came with the episode's start
        if nearest[1].start < end:
            return False
        said = text[start:end].lower().split()
        between = text[end:nearest[1].start].lower().split()
        tied = bool(said and said[-1] in self._binds_next) or bool(between and between[0] in self._binds_next)
        if tied and len([word for word in between if word not in self._binds_next]) <= BOUND_WORDS_BETWEEN:
            # "a woman with 15 years of hypertension suddenly felt her leg go weak", "a 20-year history of
            # arthritis", "6 months of poorly controlled diabetes": the time is the finding's right after it,
            # and the list it opens: "a year of tiredness and back pain" dates the back pain too
            return self._lists_an_episode_finding(text, nearest[1], anchors)
        return leads_an_episode_finding

    def _names_a_lasting_condition(self, text: str, start: int, end: int) -> bool:
        """Whether the time phrase at `start`..`end` is one of the words of a lasting condition (`background`)."""
        return " ".join(text[start:end].lower().split()) in self.background

    def _qualified_by_background_word(
        self, text: str, start: int, end: int, anchors: Sequence[DurationAnchor], sentence: int | None,
    ) -> bool | None:
        """A word of a lasting condition before a noun ("long-standing", "chronic") is the time of that noun
        only, up to a word that ends it (`background_ends`): "long-standing mild axial lumbar pain" dates the
        episode, "long-standing diabetes has neck pain" does not, nor does "long-standing ankylosing
        spondylitis" where the noun is no finding at all. None when the word is not one of them or stands
        after what it describes ("the pain is long-standing"): the usual reading decides."""
        described = text[end:end + 2].strip()[:1]
        if not self._names_a_lasting_condition(text, start, end) or not described.isalpha():
            return None
        phrase = PHRASE_BREAK.split(text[end:], maxsplit=1)[0]
        reach, named = end + len(phrase), []
        for word in re.finditer(r"[\w'-]+", phrase):
            if word.group(0).lower() in self._background_ends:
                reach = end + word.start()
                break
            named.append(word.group(0).lower())
        inside = [anchor for anchor in anchors if anchor.sentence == sentence and end <= anchor.start < reach]
        if inside:
            first = min(inside, key=lambda anchor: anchor.start)
            return first.about_the_episode and first.present and not first.past
        # a complaint of a part of the body ("a long-standing low back complaint") is the episode's, whatever its noun
        return any(word in self._body_words for word in named)

    def _lists_an_episode_finding(self, text: str, first: DurationAnchor, anchors: Sequence[DurationAnchor]) -> bool:
        """Whether a finding of the episode, present now, stands in the list that `first` opens: the items
        joined by list words or commas only ("tiredness and back pain", "fatigue, fever and back pain")."""
        following = sorted(
            (anchor for anchor in anchors if anchor.sentence == first.sentence and anchor.start >= first.end),
            key=lambda anchor: anchor.start,
        )
        reached = first.end
        for anchor in following:
            if anchor.start < reached:
                continue  # another reading of an item already passed
            gap = text[reached:anchor.start].lower().replace(",", " , ").split()
            if not gap or any(word not in self._list_joiners for word in gap):
                return False
            if anchor.about_the_episode and anchor.present and not anchor.past:
                return True
            reached = anchor.end
        return False
