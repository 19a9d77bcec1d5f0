"""Rich layouts for the terminal. The emergency message always comes first."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from spinecheck.core.assessment import Assessment, RedFlagResult, format_probability
from spinecheck.core.kb.schema import Condition, Finding
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


BAR_CELLS = 10
CAUSES_SHOWN = 5


def _bar(probability: float) -> Text:
    """A ten-cell bar for a probability (at least one cell, so a shown cause never looks impossible)."""
    filled = min(BAR_CELLS, max(1, round(probability * BAR_CELLS)))
    bar = Text("█" * filled, style="cyan")
    bar.append("░" * (BAR_CELLS - filled), style="dim")
    return bar


def _bullets(lines: list[str], bullet: str = "•", indent: int = 2) -> Table:
    """A list with hanging indents, so a wrapped line stays under its own text."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(width=indent + len(bullet), justify="right", no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")  # a long id wider than the screen folds rather than being cut short
    for line in lines:
        grid.add_row(bullet, Text(line))
    return grid


def _emergency_panel(assessment: Assessment) -> Panel:
    """First on the screen whenever the level is emergency: call for help, and why (emergency signs only)."""
    parts: list[RenderableType] = []
    if assessment.triage.call_ambulance:
        parts.append(Text("Call an ambulance now. Do not travel on your own.\n", style="bold"))
    parts.append(Text(assessment.emergency_services, style="bold"))
    messages = [flag.message for flag in assessment.red_flags if flag.level == TriageLevel.EMERGENCY]
    if not messages:
        messages = assessment.triage.reasons
    if messages:
        parts.append(Text("\nWhy:", style="bold"))
        parts.append(_bullets(messages))
    return Panel(Group(*parts), title="EMERGENCY", border_style="red", expand=True)


def triage_panel(assessment: Assessment, clinician: bool = False) -> Panel:
    """What to do now: the level, its headline and advice, and the reasons at that level."""
    triage = assessment.triage
    head = Text()
    head.append(f" {LEVEL_NAME[triage.level]} ", style=LEVEL_STYLE[triage.level])
    head.append(f"  {triage.headline}\n", style="bold")
    parts: list[RenderableType] = [head]
    if triage.call_ambulance and triage.level != TriageLevel.EMERGENCY:
        parts.append(Text("Call an ambulance now. Do not travel on your own.\n", style="bold red"))
    parts.append(Text(triage.advice))
    reasons = triage.reasons
    if triage.level == TriageLevel.EMERGENCY and not clinician:
        reasons = []  # the emergency panel above gives the reasons; lower-level advice would contradict it
    if reasons:
        parts.append(Text("\nWhy:", style="bold"))
        parts.append(_bullets(reasons))
    return Panel(Group(*parts), title="What to do now", border_style=LEVEL_BORDER[triage.level], expand=True)


def _open_questions_panel(assessment: Assessment, clinician: bool) -> Panel:
    parts: list[RenderableType] = []
    if clinician:
        parts.append(Text("Warning signs with no answer (the screen for this person):", style="bold"))
        parts.append(_bullets(
            [f"{question.id}: {', '.join(item.finding for item in question.items)}"
             for question in assessment.open_questions]
        ))
        title = "Screen incomplete"
    else:
        parts.append(Text(
            "spinecheck cannot give an all-clear until these warning signs are answered. Do you have any of them?",
            style="bold",
        ))
        for question in assessment.open_questions:
            parts.append(Text("\n" + question.text))
            parts.append(_bullets([item.text for item in question.items]))
        parts.append(Text(
            "\nTo answer them, run the same check in a terminal and accept the questions, run "
            "'spinecheck interview', or say in your description which of these you have and which you do not.",
            style="dim",
        ))
        title = "Questions still open"
    return Panel(Group(*parts), title=title, border_style="yellow", expand=True)


def _contradictions(assessment: Assessment) -> Table:
    return _bullets([item.message for item in assessment.contradictions], bullet="!", indent=0)


def _causes(assessment: Assessment) -> Group:
    """The likely causes for a person: a bar, the chance and one plain line each; no ratios or sources."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(ratio=1)
    for position, condition in enumerate(assessment.conditions[:CAUSES_SHOWN], start=1):
        name = Text()
        name.append(f"{position}. {condition.name}", style="bold")
        name.append(f" ({condition.rarity.replace('_', ' ')})", style="dim")
        if condition.form is not None:
            name.append(f"\nMost likely {condition.form.name}")
        name.append("\n" + condition.summary)
        grid.add_row(_bar(condition.probability), format_probability(condition.probability), name)
    return Group(Text("What could be causing it", style="bold underline"), grid)


def _care_panel(assessment: Assessment) -> Panel | None:
    care = assessment.care
    level = assessment.triage.level
    if care is None or level == TriageLevel.EMERGENCY:
        return None
    parts: list[RenderableType] = []
    if level in (TriageLevel.ROUTINE, TriageLevel.SELF_CARE) and care.self_care:
        parts.append(Text("What you can do now", style="bold"))
        parts.append(_bullets(care.self_care))
        parts.append(Text())
    who = Text()
    who.append("Who can help: ", style="bold")
    who.append(care.specialist)
    parts.append(who)
    if care.seek_care_sooner:
        parts.append(Text("\nGet help sooner if", style="bold"))
        parts.append(_bullets(care.seek_care_sooner))
    return Panel(Group(*parts), title=f"For {care.name}", expand=True)


def _footer(assessment: Assessment) -> Text:
    footer = Text()
    footer.append(assessment.disclaimer + "\n", style="italic")
    if assessment.triage.level != TriageLevel.EMERGENCY:
        footer.append(assessment.emergency_services + "\n", style="dim")
    footer.append(f"Knowledge base {assessment.kb_version} · {assessment.kb_hash[:12]}", style="dim")
    return footer


def _has_answers(assessment: Assessment) -> bool:
    return bool(assessment.findings.present)


def person_view(assessment: Assessment) -> RenderableType:
    """The person's view, in plain words: what to do now, what is still open, the likely causes with
    a bar and a reason, and self-care and the specialist. The emergency message is always first."""
    parts: list[RenderableType] = []
    if assessment.triage.level == TriageLevel.EMERGENCY:
        parts.append(_emergency_panel(assessment))
    parts.append(triage_panel(assessment))
    if assessment.contradictions:
        parts.append(_contradictions(assessment))
    if assessment.open_questions:
        parts.append(_open_questions_panel(assessment, clinician=False))
    if assessment.conditions and _has_answers(assessment):
        parts.append(_causes(assessment))
    loc = assessment.localisation
    if loc is not None and loc.level:
        where = Text("Where the problem probably is: ", style="bold")
        where.append(loc.level + (f", {loc.side} side" if loc.side in ("left", "right") else
                                  ", both sides" if loc.side == "both" else ""))
        parts.append(where)
    care = _care_panel(assessment)
    if care is not None:
        parts.append(care)
    for note in assessment.notes:
        parts.append(Text(note, style="italic"))
    parts.append(_footer(assessment))
    return Group(*parts)


def _differential(assessment: Assessment, limit: int = 8) -> Group:
    """The differential for a clinician: probability, urgency and rarity, then each answer's likelihood ratio
    and source. A list rather than a table, so nothing is ever cut short on a narrow terminal."""
    parts: list[RenderableType] = [Text("Differential (likelihood ratios against back pain in general)",
                                        style="bold underline")]
    for position, condition in enumerate(assessment.conditions[:limit], start=1):
        head = Text(f"{position}. {condition.name}", style="bold")
        head.append(f"  {format_probability(condition.probability)} · urgency {condition.urgency.value} · "
                    f"{condition.rarity.replace('_', ' ')}", style="dim")
        parts.append(head)
        if condition.form is not None:
            parts.append(Text(f"   form: {condition.form.name} ({format_probability(condition.form.share)} of it)"))
        lines = [f"+ {line}" for line in condition.why.for_] + [f"− {line}" for line in condition.why.against]
        if lines:
            parts.append(_bullets(lines, bullet="", indent=3))
    return Group(*parts)



def _rule_list(title: str, flags: Sequence[RedFlagResult]) -> list[RenderableType]:
    """A heading and one line per rule: its id, level and source (the clinician's view)."""
    return [Text(title, style="bold underline"),
            _bullets([f"{flag.id} ({flag.level.value}; source: {flag.source})" for flag in flags])]


def clinician_view(assessment: Assessment) -> RenderableType:
    """The clinician's view: every reason and rule with its source, the differential with likelihood
    ratios, the localisation with its working, and the findings used. The emergency message is first."""
    parts: list[RenderableType] = []
    if assessment.triage.level == TriageLevel.EMERGENCY:
        parts.append(_emergency_panel(assessment))
    parts.append(triage_panel(assessment, clinician=True))
    if assessment.red_flags:
        parts += _rule_list("Red-flag rules that fired", assessment.red_flags)
    if assessment.contradictions:
        parts.append(_contradictions(assessment))
    if assessment.open_questions:
        parts.append(_open_questions_panel(assessment, clinician=True))
    if assessment.not_ruled_out:
        parts += _rule_list("Rules not ruled out (would raise the level)", assessment.not_ruled_out)
    if assessment.conditions:
        parts.append(_differential(assessment))
    loc = assessment.localisation
    if loc is not None and loc.level:
        head = Text(f"{loc.level}", style="bold")
        head.append(f" · side: {loc.side or 'not known'} · {loc.pattern or 'pattern unknown'} · "
                    f"confidence {loc.confidence:.0%}")
        parts.append(Panel(Group(head, _bullets(loc.explanation)), title="Localisation", expand=True))
    findings = Text()
    findings.append("Present: ", style="bold")
    findings.append(", ".join(assessment.findings.present) or "—")
    findings.append("\nAbsent: ", style="bold")
    findings.append(", ".join(assessment.findings.absent) or "—")
    demographics = f"\nAge: {assessment.age if assessment.age is not None else 'not given'} · "
    demographics += f"sex: {assessment.sex or 'not given'} · status: {assessment.status}"
    findings.append(demographics)
    parts.append(findings)
    for note in assessment.notes:
        parts.append(Text(note, style="italic"))
    parts.append(_footer(assessment))
    return Group(*parts)


def assessment_view(assessment: Assessment, clinician: bool = False) -> RenderableType:
    """The person's view, or the clinician's with `clinician`."""
    return clinician_view(assessment) if clinician else person_view(assessment)


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
    if condition.forms:
        facts.add_row("Shows as", "\n".join(
            f"• {form.name}: about {round(form.share.value * 100)} in 100"
            + (f", needs care: {form.urgency.value.replace('_', ' ')}" if form.urgency else "")
            for form in condition.forms
        ))
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


def findings_table(findings: list[Finding], search: str | None = None) -> Table:
    """Finding ids with their labels: what --present, --absent and findings files take."""
    title = f"Findings matching '{search}'" if search else "Findings"
    table = Table(title=f"{title} ({len(findings)})", expand=True)
    table.add_column("id", no_wrap=True, style="bold")
    table.add_column("label", ratio=1)
    table.add_column("kind", no_wrap=True, style="dim")
    for finding in findings:
        kind = finding.category.value.replace("_", " ")
        if finding.clinician_only:
            kind += ", clinician"
        if finding.exclusive_group:
            kind += f", choice: {finding.exclusive_group}"
        table.add_row(finding.id, Text(finding.label), kind)
    return table


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
