"""Who may use the indicators, built on casework.access: aggregates only, never a person.

Indicator officers and supervisors see the dashboard and the snapshots; only indicator
officers enter survey and reported figures, compute and approve snapshots.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from casework.access import membership_of
from casework.models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

DASHBOARD_ROLES = (Role.INDICATOR_OFFICER, Role.SUPERVISOR)


def may_view_indicators(user: User | AnonymousUser) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role in DASHBOARD_ROLES


def is_indicator_officer(user: User | AnonymousUser) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role == Role.INDICATOR_OFFICER


def require_view(user: User | AnonymousUser) -> None:
    if not may_view_indicators(user):
        raise PermissionDenied


def require_officer(user: User | AnonymousUser) -> None:
    if not is_indicator_officer(user):
        raise PermissionDenied
