"""Rich layouts for the terminal. The emergency message always comes first."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from spinecheck.core.assessment import Assessment, format_probability
from spinecheck.core.kb.schema import Condition
from spinecheck.core.triage_levels import TriageLevel
from spinecheck.services.evaluation import EvalReport

LEVEL_STYLE = {
    TriageLevel.EMERGENCY: "bold white on red",
    TriageLevel.URGENT: "bold black on dark_orange",
    TriageLevel.ROUTINE: "bold black on yellow",
    TriageLevel.SELF_CARE: "bold black on green",
}
LEVEL_BORDER = {
    TriageLevel.EMERGENCY: "red",
    TriageLevel.URGENT: "dark_orange",
    TriageLevel.ROUTINE: "yellow",
    TriageLevel.SELF_CARE: "green",
}
LEVEL_NAME = {
    TriageLevel.EMERGENCY: "EMERGENCY",
    TriageLevel.URGENT: "URGENT — today",
    TriageLevel.ROUTINE: "ROUTINE — within 2 weeks",
    TriageLevel.SELF_CARE: "SELF-CARE",
}


def triage_panel(assessment: Assessment) -> Panel:
    triage = assessment.triage
    body = Text()
    body.append(f" {LEVEL_NAME[triage.level]} ", style=LEVEL_STYLE[triage.level])
    body.append(f"  {triage.headline}\n\n", style="bold")
    if triage.call_ambulance:
        body.append("Call an ambulance now. Do not travel on your own.\n\n", style="bold red")
    body.append(triage.advice + "\n")
    if triage.reasons:
        body.append("\nWhy:\n", style="bold")
        for reason in triage.reasons:
            body.append(f"  • {reason}\n")
    return Panel(body, title="What to do", border_style=LEVEL_BORDER[triage.level], expand=True)


def conditions_table(assessment: Assessment, limit: int = 5) -> Table:
    table = Table(title="What could be causing it", expand=True, show_lines=True)
    table.add_column("#", justify="right", width=3)
    table.add_column("Condition", ratio=2)
    table.add_column("Chance", justify="right", width=8)
    table.add_column("Urgency", width=10)
    table.add_column("Why", ratio=4)
    for position, condition in enumerate(assessment.conditions[:limit], start=1):
        why = Text()
        for line in condition.why.for_[:3]:
            why.append("+ ", style="green")
            why.append(line + "\n")
        for line in condition.why.against[:2]:
            why.append("− ", style="red")
            why.append(line + "\n")
        table.add_row(
            str(position),
            f"{condition.name}\n[dim]{condition.rarity.replace('_', ' ')}[/dim]",
            format_probability(condition.probability),
            condition.urgency.value.replace("_", " "),
            why,
        )
    return table


def assessment_view(assessment: Assessment) -> RenderableType:
    parts: list[RenderableType] = []
    if assessment.triage.level == TriageLevel.EMERGENCY:
        parts.append(Panel(
            Text(assessment.emergency_services, style="bold"),
            title="EMERGENCY", border_style="red",
        ))
    parts.append(triage_panel(assessment))
    if assessment.not_ruled_out:
        unresolved = Text("We could not rule out these warning signs — answer them if you can:\n", style="bold")
        for flag in assessment.not_ruled_out[:6]:
            unresolved.append(f"  • {flag.name} ({flag.level.value.replace('_', ' ')})\n")
        parts.append(Panel(unresolved, border_style="dim"))
    if assessment.conditions:
        parts.append(conditions_table(assessment))
    if assessment.localisation is not None and assessment.localisation.level:
        loc = assessment.localisation
        side = f", {loc.side}" if loc.side else ""
        parts.append(Panel(
            f"Most likely level: [bold]{loc.level}{side}[/bold] ({loc.pattern or 'pattern unknown'}; "
            f"confidence {loc.confidence:.0%})\n" + "\n".join(loc.explanation),
            title="Where the problem probably is",
        ))
    for note in assessment.notes:
        parts.append(Text(note, style="italic"))
    footer = Text()
    footer.append(assessment.disclaimer + "\n", style="italic")
    if assessment.triage.level != TriageLevel.EMERGENCY:
        footer.append(assessment.emergency_services + "\n", style="dim")
    footer.append(f"Knowledge base {assessment.kb_version} · {assessment.kb_hash[:12]}", style="dim")
    parts.append(footer)
    return Group(*parts)


def condition_card(condition: Condition, finding_labels: dict[str, str]) -> RenderableType:
    def labels(ids: list[str]) -> str:
        return "\n".join(f"• {finding_labels.get(i, i)}" for i in ids) or "—"

    header = Text()
    header.append(condition.name, style="bold")
    header.append(f"   ICD-10 {condition.icd10} · SNOMED CT {condition.snomed}\n", style="dim")
    header.append(condition.description)
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    facts.add_row("Rarity", condition.rarity.value.replace("_", " "))
    facts.add_row("Urgency", condition.urgency.value.replace("_", " "))
    facts.add_row("Prior", f"{condition.prior.value:g} [dim]({condition.prior.source})[/dim]")
    facts.add_row("Top symptoms", labels(condition.top_symptoms))
    facts.add_row("Always", labels(condition.always))
    facts.add_row("Never", labels(condition.never))
    facts.add_row("Specialist", condition.care.specialist)
    care = Table(title="Treatments", expand=True)
    care.add_column("Kind")
    care.add_column("Treatment")
    care.add_column("What the evidence says")
    for treatment in condition.care.treatments:
        care.add_row(treatment.kind, treatment.name, treatment.evidence)
    lists = Text()
    for title, items in (
        ("Self-care", condition.care.self_care),
        ("Not recommended", condition.care.not_recommended),
        ("Get care sooner if", condition.care.seek_care_sooner),
    ):
        if items:
            lists.append(f"{title}\n", style="bold")
            for item in items:
                lists.append(f"  • {item}\n")
    return Panel(Group(header, Text(), facts, care, lists), title=condition.id, expand=True)


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def eval_view(report: EvalReport) -> RenderableType:
    metrics = Table(title=f"Evaluation ({report.mode} mode, n={report.n})")
    metrics.add_column("Metric")
    metrics.add_column("Value", justify="right")
    for name in ("top1", "top3", "top5", "triage_exact", "under_triage", "over_triage",
                 "emergency_sensitivity", "out_of_scope", "questions_median", "questions_p90"):
        value = getattr(report, name)
        if value is None:
            continue
        metrics.add_row(name, f"{value:.3f}" if isinstance(value, float) else str(value))
    misses = Table(title="Misses (gold condition not in the top 3, or under-triage)")
    misses.add_column("Vignette")
    misses.add_column("Gold")
    misses.add_column("Rank", justify="right")
    misses.add_column("Top 3")
    misses.add_column("Triage (gold → got)")
    for row in report.rows:
        under = row.predicted_triage.rank < row.gold_triage.rank
        if (row.rank or 99) > 3 or under:
            misses.add_row(
                row.id, row.gold_condition, str(row.rank or "—"), ", ".join(row.predicted[:3]),
                f"{row.gold_triage.value} → {row.predicted_triage.value}",
                style="red" if under else None,
            )
    return Group(metrics, misses)
