"""Reads of the 評価シート's change items: a plan's baseline and evaluations side by side."""

from __future__ import annotations

from dataclasses import dataclass, field

from casework.models import ChangeItem, ChangeItemScore, MonitoringEntry, SupportPlan

# How an evaluation's score compares with the plan's baseline, as the page marks it.
UP, DOWN, SAME = "up", "down", "same"


def score_change(baseline: int | None, score: int | None) -> str:
    """up / down / same against the baseline; "" when either was left 未評価."""
    if baseline is None or score is None:
        return ""
    return UP if score > baseline else DOWN if score < baseline else SAME


@dataclass
class ScoreCell:
    score: int | None
    change: str  # UP, DOWN, SAME or ""


@dataclass
class ChangeRow:
    item: str
    label: str
    baseline: int | None
    cells: list[ScoreCell] = field(default_factory=list)


@dataclass
class ChangeTable:
    """Items as rows; the baseline, then each evaluation (oldest first) as columns."""

    evaluations: list[MonitoringEntry]
    rows: list[ChangeRow]

    @property
    def has_baseline(self) -> bool:
        return any(row.baseline is not None for row in self.rows)

    @property
    def has_scores(self) -> bool:
        return self.has_baseline or any(c.score is not None for r in self.rows for c in r.cells)


def plan_change_table(plan: SupportPlan) -> ChangeTable:
    """Two queries, whatever the number of evaluations."""
    evaluations = list(
        plan.monitoring.filter(kind=MonitoringEntry.Kind.EVALUATION).order_by("monitored_on", "pk")
    )
    scores: dict[tuple[int | None, str], int] = {
        (entry_id, item): score
        for entry_id, item, score in ChangeItemScore.objects.filter(plan=plan).values_list(
            "entry_id", "item", "score"
        )
    }
    rows = []
    for item, label in ChangeItem.choices:
        baseline = scores.get((None, item))
        row = ChangeRow(item=item, label=str(label), baseline=baseline)
        for entry in evaluations:
            score = scores.get((entry.pk, item))
            row.cells.append(ScoreCell(score=score, change=score_change(baseline, score)))
        rows.append(row)
    return ChangeTable(evaluations=evaluations, rows=rows)


def plan_baseline(plan: SupportPlan) -> dict[str, int]:
    return dict(plan.change_scores.filter(entry__isnull=True).values_list("item", "score"))


def last_known_scores(plan: SupportPlan) -> dict[str, int]:
    """Each item's latest score on the plan (its latest evaluation that scored it, else the
    baseline): what a revision of the plan starts from, for the worker to review."""
    known: dict[str, int] = {}
    rows = plan.change_scores.order_by("entry__monitored_on", "entry_id").values_list(
        "entry_id", "item", "score"
    )
    # The baseline (no entry) sorts first on SQLite and last on PostgreSQL: apply it first.
    ordered = sorted(rows, key=lambda r: r[0] is not None)
    for _entry, item, score in ordered:
        known[item] = score
    return known
