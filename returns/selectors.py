"""Reads of the returns app: a user's snapshots, and the current approval of a year."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from returns import access
from returns.models import ReturnQuerySet, ReturnSnapshot, ReturnState

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def snapshots(user: User | AnonymousUser) -> ReturnQuerySet:
    """The snapshots of the user's scope, newest year and version first."""
    scope = access.scope_of(user)
    if scope is None:
        return ReturnSnapshot.objects.none()
    return (
        ReturnSnapshot.objects.of_scope(scope.agency_id)
        .select_related("agency", "computed_by", "approved_by", "superseded_by")
        .order_by("-fiscal_year", "-number")
    )


def snapshot_get(user: User | AnonymousUser, fy: int, number: int) -> ReturnSnapshot:
    """One snapshot of the user's scope; 404 for any other (it does not say it exists)."""
    try:
        return snapshots(user).get(fiscal_year=fy, number=number)
    except ReturnSnapshot.DoesNotExist:
        raise Http404 from None


def current_approval(agency_id: int | None, fy: int) -> ReturnSnapshot | None:
    """The approved snapshot of the year and scope that nothing replaced."""
    return (
        ReturnSnapshot.objects.of_scope(agency_id)
        .filter(fiscal_year=fy, state=ReturnState.APPROVED, superseded_by__isnull=True)
        .first()
    )
