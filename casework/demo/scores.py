"""The 評価シート in the demo: which plan actions are employment support, each plan's
baseline on the change items and the scores of its evaluations.

Each draws from its own random stream, keyed by the case and the plan, so adding them
left every other demo record as it was."""

from __future__ import annotations

import random
from collections.abc import Mapping

from casework.demo.texts import EMPLOYMENT_ACTION
from casework.models import ChangeItem, MonitoringProgress

EMPLOYMENT_SUPPORT_ACTIONS = frozenset(
    {
        EMPLOYMENT_ACTION[0],
        "就労支援員との面談と求人検索",
        "ハローワークへの同行",
        "応募書類の作成と面接練習",
        "障害者就労支援センターでの相談",
    }
)

# How far an evaluation moves from the baseline, by the progress recorded with it.
SHIFT: dict[str, tuple[int, int]] = {
    MonitoringProgress.ACHIEVED: (0, 2),
    MonitoringProgress.ON_TRACK: (0, 1),
    MonitoringProgress.PARTLY: (-1, 1),
    MonitoringProgress.STALLED: (-1, 0),
    MonitoringProgress.WORSE: (-2, 0),
}


def baseline(key: str, employment: bool) -> dict[str, int | None]:
    """A person at plan start: mostly poor; 就労 left 未評価 for someone not seeking work."""
    rng = random.Random(f"baseline:{key}")
    scores: dict[str, int | None] = {item: rng.randint(1, 3) for item in ChangeItem.values}
    if not employment:
        scores[ChangeItem.EMPLOYMENT] = None
    return scores


def evaluation(key: str, start: Mapping[str, int | None], progress: str) -> dict[str, int | None]:
    rng = random.Random(f"evaluation:{key}")
    low, high = SHIFT[progress]
    return {
        item: None if score is None else max(1, min(5, score + rng.randint(low, high)))
        for item, score in start.items()
    }
