"""How the knowledge base reports what is wrong with it: one line per problem, naming file and entry.

Kept apart from the loader so that every module describing a knowledge file can raise them
without importing the loader (which imports those modules).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KnowledgeBaseProblem:
    """One thing wrong in one place, phrased for the person editing the YAML."""

    file: str
    entry: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.entry}" if self.entry else self.file
        return f"{where}: {self.message}"


class KnowledgeBaseError(Exception):
    """The knowledge base cannot be used; `problems` says everything that is wrong."""

    def __init__(self, problems: list[KnowledgeBaseProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))
