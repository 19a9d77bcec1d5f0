"""The four triage levels of the spinecheck contract, ordered from least to most urgent."""

from __future__ import annotations

from enum import StrEnum


class TriageLevel(StrEnum):
    """How soon a person should get care. Order matters: later members are more urgent."""

    SELF_CARE = "self_care"
    ROUTINE = "routine"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        # Keyed by the member itself (it hashes as its string): reading `.value` costs more.
        return _RANK[self]

    @classmethod
    def from_rank(cls, rank: int) -> TriageLevel:
        return _ORDER[rank]

    @classmethod
    def highest(cls, levels: list[TriageLevel]) -> TriageLevel:
        """The most urgent of the given levels, or self-care when there are none."""
        return max(levels, key=lambda level: level.rank, default=cls.SELF_CARE)


_ORDER: list[TriageLevel] = [
    TriageLevel.SELF_CARE,
    TriageLevel.ROUTINE,
    TriageLevel.URGENT,
    TriageLevel.EMERGENCY,
]
_RANK: dict[TriageLevel, int] = {level: position for position, level in enumerate(_ORDER)}
