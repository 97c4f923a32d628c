"""Who may use the national return, built on casework.access.

A return has a scope: one filing agency (自立相談支援機関), or the ward. The agency's
supervisors compute, read and approve their agency's return and may drill from a figure to
the cases behind it (their own agency's cases only, each drill logged). The ward's
planners (indicator officers) compute, read and approve the ward's return: its figures,
and the agencies' breakdown suppressed; never a case. Nobody else sees a return.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from casework.access import membership_of
from casework.models import Role
from returns.definitions import FILING_AGENCY_KINDS

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    from returns.models import ReturnSnapshot

WARD = None  # the scope of the ward's return


class Scope:
    """The one return a user works on: their agency's (agency_id) or the ward's (None)."""

    def __init__(self, agency_id: int | None, agency_name: str = "") -> None:
        self.agency_id = agency_id
        self.agency_name = agency_name

    @property
    def is_ward(self) -> bool:
        return self.agency_id is None


def scope_of(user: User | AnonymousUser) -> Scope | None:
    """The return the user may work on, or None when they may not see any."""
    membership = membership_of(user)
    if membership is None:
        return None
    if membership.role == Role.INDICATOR_OFFICER:
        return Scope(WARD)
    if membership.role == Role.SUPERVISOR and membership.agency.kind in FILING_AGENCY_KINDS:
        return Scope(membership.agency_id, membership.agency.name)
    return None


def may_use_returns(user: User | AnonymousUser) -> bool:
    return scope_of(user) is not None


def require_scope(user: User | AnonymousUser) -> Scope:
    scope = scope_of(user)
    if scope is None:
        raise PermissionDenied
    return scope


def may_read(user: User | AnonymousUser, snapshot: ReturnSnapshot) -> bool:
    scope = scope_of(user)
    return scope is not None and scope.agency_id == snapshot.agency_id


def may_drill(user: User | AnonymousUser, snapshot: ReturnSnapshot) -> bool:
    """Only an agency's supervisors see the cases behind its figures."""
    return not snapshot.is_ward and may_read(user, snapshot)
