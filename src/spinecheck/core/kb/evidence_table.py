"""The evidence table: published accuracy of each examination and warning-sign finding beside the model's ratios.

The model's "yes" ratio for condition C is p(C) / background and its "no" ratio is
(1 - p(C)) / (1 - background), both after the likelihood floor. Setting those next to the
published likelihood ratios shows where the knowledge base follows the literature and where a
number rests on a frequency or a judgement. docs/evidence-tables.md is this table, generated.
"""

from __future__ import annotations

from dataclasses import dataclass

from spinecheck.core.kb.loader import KnowledgeBase
from spinecheck.core.kb.schema import Accuracy, FindingCategory

EVIDENCE_CATEGORIES = (FindingCategory.SIGN, FindingCategory.TEST, FindingCategory.RED_FLAG)


@dataclass(frozen=True)
class EvidenceRow:
    """One finding against one condition that lists it (or the finding alone when none does)."""

    finding: str
    category: str
    condition: str | None
    accuracy: Accuracy | None
    source: str | None
    p: float | None
    background: float
    background_source: str
    implied_pos: float | None
    implied_neg: float | None


def _clip(value: float, floor: float) -> float:
    return min(max(value, floor), 1.0 - floor)


def evidence_rows(kb: KnowledgeBase) -> list[EvidenceRow]:
    """Every examination, test and warning-sign finding, with each condition that gives it a likelihood."""
    floor = kb.policy.likelihood_floor.value
    rows: list[EvidenceRow] = []
    order = {category: rank for rank, category in enumerate(EVIDENCE_CATEGORIES)}
    findings = sorted(
        (f for f in kb.findings.values() if f.category in order), key=lambda f: (order[f.category], f.id)
    )
    for finding in findings:
        background = finding.background
        listed = sorted(
            ((condition.id if form is None else f"{condition.id} ({form.id}, share {form.share.value:g})", item)
             for condition in kb.conditions.values() for form, item in condition.written_likelihoods
             if item.finding == finding.id),
            key=lambda pair: pair[0],
        )
        if not listed:
            rows.append(EvidenceRow(finding.id, finding.category.value, None, None, None, None,
                                    background.value, background.source, None, None))
        bg = _clip(background.value, floor)
        for condition_id, item in listed:
            p = _clip(item.p, floor)
            rows.append(EvidenceRow(
                finding.id, finding.category.value, condition_id, item.accuracy, item.source, item.p,
                background.value, background.source, p / bg, (1.0 - p) / (1.0 - bg),
            ))
    return rows


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3g}"


def _published_ratios(accuracy: Accuracy | None) -> tuple[str, str]:
    """LR+ and LR− as published, or worked out from sensitivity and specificity (in italics)."""
    if accuracy is None:
        return "—", "—"
    sens, spec = accuracy.sens, accuracy.spec
    if accuracy.lr_pos is not None:
        positive = _number(accuracy.lr_pos)
    elif sens is not None and spec is not None and spec < 1.0:
        positive = f"*{_number(sens / (1.0 - spec))}*"
    else:
        positive = "—"
    if accuracy.lr_neg is not None:
        negative = _number(accuracy.lr_neg)
    elif sens is not None and spec:
        negative = f"*{_number((1.0 - sens) / spec)}*"
    else:
        negative = "—"
    return positive, negative


def _cell(text: str) -> str:
    return text.replace("|", "/")


HEADER = """# Evidence tables: examination signs, tests and warning signs

Generated from the knowledge base by `spinecheck kb evidence --output docs/evidence-tables.md`;
a test fails when this file and the knowledge base disagree. Do not edit by hand.

One row per finding and condition that gives it a likelihood. *Published* columns are the
figures of the cited source for that condition (LR values in italics are worked out from the
sensitivity and specificity). *Model* columns are what spinecheck uses: `p` is P(finding |
condition), the background is the finding's rate among back- and leg-pain presenters without
the condition, and the implied ratios are p / background for a "yes" and (1 − p) / (1 − background)
for a "no", after the likelihood floor. A finding's background comes from its main study; where a
row has no published figure the likelihood's note in the knowledge base says what it rests on,
and a background described there as a judgement has no published rate behind it. A condition
that shows in distinct forms (docs/adr/0023-forms-of-a-condition.md) has one row per form, named
with the form and its share; its ratio for one answer alone is the forms' share-weighted mean.

Most accuracy studies were done in referred or specialist samples (surgical series, suspected
cauda equina, spine clinics); their specificities make backgrounds that are higher, and ratios
that are weaker, than a primary-care sample would give.
"""

TABLE_HEAD = (
    "| Finding | Kind | Condition | Sens | Spec | LR+ | LR− | Setting | Source | p | Background (source) "
    "| Model LR+ | Model LR− |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
)


def evidence_table_markdown(kb: KnowledgeBase) -> str:
    """The table as markdown, deterministic for a given knowledge base."""
    lines = [HEADER, f"\nKnowledge base {kb.version}.\n\n", TABLE_HEAD]
    for row in evidence_rows(kb):
        accuracy = row.accuracy
        positive, negative = _published_ratios(accuracy)
        cells = [
            f"`{row.finding}`",
            row.category,
            f"`{row.condition}`" if row.condition else "(background only)",
            _number(accuracy.sens if accuracy else None),
            _number(accuracy.spec if accuracy else None),
            positive,
            negative,
            _cell(accuracy.setting) if accuracy else "no accuracy figure (see note)" if row.condition else "—",
            f"`{row.source}`" if row.source else "—",
            _number(row.p),
            f"{_number(row.background)} (`{row.background_source}`)",
            _number(row.implied_pos),
            _number(row.implied_neg),
        ]
        lines.append("| " + " | ".join(cells) + " |\n")
    return "".join(lines)
