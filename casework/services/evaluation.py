"""The change items of the 評価シート: checking scores and writing them, for the plan's
baseline (casework.services.plans.plan_create / plan_update) and for an evaluation
(monitoring_add). Items are scored 1–5 or left 未評価 (no row)."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _

from casework.models import (
    SCORE_MAX,
    SCORE_MIN,
    ChangeItem,
    ChangeItemScore,
    MonitoringEntry,
    SupportPlan,
)
from casework.services.common import Refusal

Scores = Mapping[str, int | None]


def score_field(item: str) -> str:
    """The form field that holds an item's score: a refusal names it."""
    return f"score_{item}"


def clean_scores(scores: Scores | None) -> dict[str, int]:
    """The scored items, in the items' order; 未評価 (None or "") left out. An unknown
    item is a programming error; a score off the scale is refused next to its field."""
    scores = dict(scores or {})
    unknown = set(scores) - set(ChangeItem.values)
    if unknown:
        raise TypeError(f"not change items: {sorted(unknown)}")
    cleaned: dict[str, int] = {}
    errors: dict[str, str] = {}
    for item in ChangeItem.values:
        value = scores.get(item)
        if value is None or value == "":
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = SCORE_MIN - 1
        if not SCORE_MIN <= number <= SCORE_MAX:
            errors[score_field(item)] = _("点数は%(min)s〜%(max)sで選んでください。") % {
                "min": SCORE_MIN,
                "max": SCORE_MAX,
            }
            continue
        cleaned[item] = number
    if errors:
        raise Refusal(errors)
    return cleaned


def baseline_of(plan: SupportPlan) -> dict[str, int]:
    return dict(
        ChangeItemScore.objects.filter(plan=plan, entry__isnull=True).values_list("item", "score")
    )


def baseline_replace(plan: SupportPlan, scores: dict[str, int]) -> None:
    """The draft's baseline becomes exactly `scores` (already cleaned)."""
    ChangeItemScore.objects.filter(plan=plan, entry__isnull=True).delete()
    _create(plan, None, scores)


def evaluation_scores_add(entry: MonitoringEntry, scores: dict[str, int]) -> None:
    _create(entry.plan, entry, scores)


def _create(plan: SupportPlan, entry: MonitoringEntry | None, scores: dict[str, int]) -> None:
    rows = [ChangeItemScore(plan=plan, entry=entry, item=i, score=s) for i, s in scores.items()]
    for row in rows:
        row.full_clean(exclude=["plan", "entry"])
    ChangeItemScore.objects.bulk_create(rows)
