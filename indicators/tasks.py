"""Background work: compute a fiscal year's draft snapshot."""

from celery import shared_task
from django.contrib.auth import get_user_model

from indicators import services
from indicators.models import Snapshot


@shared_task(name="indicators.compute_snapshot", time_limit=1800, soft_time_limit=1700)
def compute_snapshot(fiscal_year: int, user_id: int) -> dict[str, int]:
    """Takes ids only; returns the new snapshot's fiscal year and version number."""
    actor = get_user_model().objects.get(pk=user_id)
    snapshot = services.snapshot_compute(
        actor=actor, fiscal_year=fiscal_year, via=Snapshot.Via.TASK
    )
    return {"fiscal_year": snapshot.fiscal_year, "number": snapshot.number}
