"""Background work: compute a fiscal year's draft return."""

from celery import shared_task
from django.contrib.auth import get_user_model

from returns import services
from returns.models import ReturnSnapshot


@shared_task(name="returns.compute_return", time_limit=1800, soft_time_limit=1700)
def compute_return(fiscal_year: int, user_id: int) -> dict[str, int | None]:
    """Takes ids only: the scope is the user's (their agency, or the ward for a planner).
    Returns the new snapshot's scope, fiscal year and version number."""
    actor = get_user_model().objects.get(pk=user_id)
    snapshot = services.return_compute(
        actor=actor, fiscal_year=fiscal_year, via=ReturnSnapshot.Via.TASK
    )
    return {
        "agency": snapshot.agency_id,
        "fiscal_year": snapshot.fiscal_year,
        "number": snapshot.number,
    }
