"""Figures about the knowledge base itself: its size and what its numbers rest on."""

from __future__ import annotations

from collections import Counter
from typing import Any

from spinecheck.core.kb.loader import KnowledgeBase
from spinecheck.core.kb.schema import FindingCategory

EXAMINATION = frozenset({FindingCategory.SIGN, FindingCategory.TEST})


def _shares(counter: Counter[str]) -> dict[str, float]:
    total = sum(counter.values())
    return {key: round(count / total, 4) for key, count in sorted(counter.items())} if total else {}


def likelihood_sources(kb: KnowledgeBase) -> dict[str, Any]:
    """How the likelihoods divide by the kind and grade of their source.

    Red-flag and examination findings are counted apart: their numbers should rest on published
    accuracy figures, never on the project's own assumption.
    """
    by_kind: Counter[str] = Counter()
    by_grade: Counter[str] = Counter()
    assumed_sensitive: list[str] = []
    for condition in kb.conditions.values():
        for _, item in condition.written_likelihoods:
            source = kb.sources[item.source]
            kind = source.kind.value
            by_kind[kind] += 1
            by_grade[source.grade.value] += 1
            category = kb.findings[item.finding].category
            if kind == "model_assumption" and (category == FindingCategory.RED_FLAG or category in EXAMINATION):
                assumed_sensitive.append(f"{condition.id}:{item.finding}")
    return {
        "likelihoods": sum(by_kind.values()),
        "by_kind": _shares(by_kind),
        "by_grade": _shares(by_grade),
        "assumed_on_red_flag_or_examination": sorted(assumed_sensitive),
    }


def knowledge_base_stats(kb: KnowledgeBase) -> dict[str, Any]:
    """Version, hash, counts, and the share of likelihoods by kind of source."""
    return {
        "version": kb.version,
        "hash": kb.content_hash,
        "conditions": len(kb.conditions),
        "findings": len(kb.findings),
        "red_flag_rules": len(kb.red_flags),
        "sources": len(kb.sources),
        "likelihood_sources": likelihood_sources(kb),
    }
