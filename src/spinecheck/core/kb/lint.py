"""Checks that go beyond the schema: a knowledge base can be valid and still be wrong.

Each check returns `LintIssue`s; the CLI prints them and fails when any is an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from spinecheck.core.inference import log_posterior_scores
from spinecheck.core.kb.loader import KnowledgeBase
from spinecheck.core.kb.schema import expression_findings
from spinecheck.core.logic import SEX_CODES
from spinecheck.core.model import Cases, CompiledModel, compile_model
from spinecheck.core.populations import load_populations

ALWAYS_MIN_P = 0.85
NEVER_MAX_P = 0.1
INDISTINGUISHABLE_LOG_RATIO = 0.2


@dataclass(frozen=True)
class LintIssue:
    severity: Literal["error", "warning"]
    file: str
    entry: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.file}: {self.entry}: {self.message}"


def lint(kb: KnowledgeBase, model: CompiledModel | None = None) -> list[LintIssue]:
    """Every lint issue in the knowledge base, errors first."""
    model = model or compile_model(kb)
    issues = [
        *_unsourced_numbers(kb),
        *_unused_findings(kb),
        *_always_and_never(kb),
        *_indistinguishable_conditions(kb, model),
        *_unreachable_conditions(model),
    ]
    return sorted(issues, key=lambda issue: (issue.severity != "error", issue.file, issue.entry))


def _unsourced_numbers(kb: KnowledgeBase) -> list[LintIssue]:
    """The schema demands a source id everywhere; here we also demand the source says something."""
    issues: list[LintIssue] = []
    for source in kb.sources.values():
        if len(source.citation.strip()) < 10:
            issues.append(LintIssue("error", "sources.yaml", source.id, "citation is too short to find the source"))
    return issues


def _unused_findings(kb: KnowledgeBase) -> list[LintIssue]:
    used: set[str] = set()
    for condition in kb.conditions.values():
        used.update(item.finding for item in condition.all_likelihoods)
        for modifier in condition.prior_modifiers:
            used.update(expression_findings(modifier.when))
    for rule in kb.red_flags:
        used.update(expression_findings(rule.when))
    used.update(kb.extra.get("findings_used_elsewhere", set()))
    for entry in load_populations(kb).notes:
        used.update(expression_findings(entry.when))
    # a silence finding is used by every condition through the finding it is silent about
    used.update(finding.id for finding in kb.findings.values() if finding.silence_about is not None)
    return [
        LintIssue("error", kb.finding_files[finding], finding, "no condition or red flag uses this finding")
        for finding in sorted(kb.findings.keys() - used)
    ]


def _always_and_never(kb: KnowledgeBase) -> list[LintIssue]:
    issues: list[LintIssue] = []
    for condition in kb.conditions.values():
        file = kb.condition_files[condition.id]
        p = {item.finding: item.p for item in condition.all_likelihoods}
        for finding in sorted(set(condition.always) & set(condition.never)):
            issues.append(LintIssue("error", file, condition.id, f"'{finding}' is both always and never"))
        bounds = (
            ("always", condition.always, ALWAYS_MIN_P, 1.0, f"below {ALWAYS_MIN_P}"),
            ("never", condition.never, 0.0, NEVER_MAX_P, f"above {NEVER_MAX_P}"),
        )
        for kind, findings, lowest, highest, limit in bounds:
            for finding in findings:
                if finding not in p:
                    message = f"{kind}-symptom '{finding}' has no likelihood"
                    issues.append(LintIssue("error", file, condition.id, message))
                elif not lowest <= p[finding] <= highest:
                    issues.append(LintIssue(
                        "error", file, condition.id,
                        f"{kind}-symptom '{finding}' has likelihood {p[finding]} ({limit})",
                    ))
        for finding in condition.top_symptoms:
            if finding not in p:
                issues.append(LintIssue("error", file, condition.id, f"top symptom '{finding}' has no likelihood"))
    return issues


def _indistinguishable_conditions(kb: KnowledgeBase, model: CompiledModel) -> list[LintIssue]:
    """Two conditions no answer can tell apart: every finding's log-odds differ by very little."""
    issues: list[LintIssue] = []
    logit = np.log(model.likelihood) - np.log1p(-model.likelihood)
    count = len(model.condition_ids)
    for a in range(count):
        for b in range(a + 1, count):
            if float(np.max(np.abs(logit[a] - logit[b]))) < INDISTINGUISHABLE_LOG_RATIO:
                first, second = model.condition_ids[a], model.condition_ids[b]
                issues.append(LintIssue(
                    "error", kb.condition_files[first], first,
                    f"no finding distinguishes it from '{second}'",
                ))
    return issues


def best_case_states(model: CompiledModel, row: int, ties: int = 0) -> np.ndarray:  # type: ignore[type-arg]
    """The answers that favour condition `row` most against the strongest competitor per finding.

    Findings that favour neither answer (those used only by prior modifiers) get `ties`.
    """
    others = np.delete(np.arange(len(model.condition_ids)), row)
    favour_present = model.log_present[row] - model.log_present[others].max(axis=0)
    favour_absent = model.log_absent[row] - model.log_absent[others].max(axis=0)
    difference = favour_present - favour_absent
    states = np.where(difference > 1e-12, 1, np.where(difference < -1e-12, -1, ties)).astype(np.int8)
    for members in model.exclusive_groups.values():
        columns = [model.finding_index[m] for m in members]
        best = max(columns, key=lambda column: favour_present[column] - favour_absent[column])
        states[columns] = -1
        states[best] = 1
    return states


PROBE_AGES: tuple[int | None, ...] = (None, 8, 14, 25, 40, 55, 70, 85)
PROBE_SEXES: tuple[str | None, ...] = (None, "female", "male")


def reachable(model: CompiledModel, row: int) -> bool:
    """Is there a set of answers (and an age and sex) that ranks this condition first?"""
    modifier_columns = [
        model.finding_index[f] for term in model.modifiers if term.condition != row
        for f in expression_findings(term.when)
    ]
    variants = [best_case_states(model, row, 0), best_case_states(model, row, 1)]
    without_others = variants[0].copy()
    without_others[modifier_columns] = -1
    variants.append(without_others)
    if any(_reachable_with(model, row, states) for states in variants):
        return True
    return _reachable_with(model, row, climb_towards(model, row, variants[0]))


def climb_towards(model: CompiledModel, row: int, start: np.ndarray) -> np.ndarray:  # type: ignore[type-arg]
    """Improve a set of answers one answer at a time while the condition's lead over its strongest
    rival grows: the per-finding guess of `best_case_states` compares each answer with whichever
    condition is strongest on that finding alone, which can miss the real rival."""
    states = start.copy()
    grouped = {model.finding_index[m]: members for members in model.exclusive_groups.values() for m in members}

    def margin(candidate: np.ndarray) -> float:  # type: ignore[type-arg]
        scores = model.log_prior + model.log_present @ (candidate == 1) + model.log_absent @ (candidate == -1)
        return float(scores[row] - np.delete(scores, row).max())

    best = margin(states)
    for _ in range(CLIMB_ROUNDS):
        improved = False
        for column in range(len(model.finding_ids)):
            for value in (1, 0, -1):
                if states[column] == value:
                    continue
                candidate = states.copy()
                candidate[column] = value
                if value == 1 and column in grouped:
                    for member in grouped[column]:
                        if model.finding_index[member] != column:
                            candidate[model.finding_index[member]] = -1
                score = margin(candidate)
                if score > best + 1e-9:
                    states, best, improved = candidate, score, True
        if not improved:
            break
    return states


CLIMB_ROUNDS = 6


def _reachable_with(model: CompiledModel, row: int, states: np.ndarray) -> bool:  # type: ignore[type-arg]
    """Does this row of answers rank the condition first for some probe age and sex?"""
    probes = [(age, sex) for age in PROBE_AGES for sex in PROBE_SEXES]
    cases = Cases.of(
        np.repeat(states[None, :].astype(np.int8), len(probes), axis=0),
        np.array([np.nan if age is None else float(age) for age, _ in probes]),
        np.array([SEX_CODES.get(sex or "", 0) for _, sex in probes], dtype=np.int8),
    )
    return bool((log_posterior_scores(model, cases).argmax(axis=1) == row).any())


def _unreachable_conditions(model: CompiledModel) -> list[LintIssue]:
    return [
        LintIssue(
            "error", model.kb.condition_files[condition], condition,
            "no set of answers makes this condition rank first",
        )
        for row, condition in enumerate(model.condition_ids)
        if not reachable(model, row)
    ]
