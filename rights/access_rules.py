"""Who may see and act on a 開示・訂正・利用停止 request (part of the access policy; it uses
casework.access's own functions and states no scope of its own on cases).

- The request, and the list of them: the supervisors of the agency that received it, and
  the worker who registered it while they still see the person (the counter where the
  person asked). Nobody of another agency learns of it, nor a colleague who may not know
  the person.
- The package: the supervisors, while their agency sees the person.
- Register one: a case worker who can find the person (casework.access.persons_visible_to).
- Extend, assemble the package, decide, record the delivery, link corrections, withdraw:
  the receiving agency's supervisors (the decision is the agency's, not one worker's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from casework import access
from casework.models import Role
from rights.models import RightsRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from casework.models import Person


def requests_visible_to(user: User) -> QuerySet[RightsRequest]:
    """The receiving agency's supervisors see all its requests; a worker, those they
    registered (a colleague's request would name a person the worker may not know)."""
    membership = access.membership_of(user)
    if membership is None or not membership.handles_cases:
        return RightsRequest.objects.none()
    requests = RightsRequest.objects.filter(agency_id=membership.agency_id)
    if membership.role == Role.SUPERVISOR:
        return requests
    # And only while the worker still sees the person (a share revoked, a consent withdrawn).
    return requests.filter(
        registered_by_id=user.pk, person_id__in=access.persons_visible_to(user).values("pk")
    )


def request_for_user(user: User, pk: str | int) -> RightsRequest:
    request = (
        requests_visible_to(user)
        .select_related("person", "agency", "registered_by", "decided_by", "suspension")
        .filter(pk=access.parse_id(pk))
        .first()
    )
    if request is None:
        raise Http404
    return request


def may_decide(user: User, request: RightsRequest) -> bool:
    return access.is_supervisor_of(user, request.agency_id)


def require_decider(user: User, request: RightsRequest) -> None:
    if not may_decide(user, request):
        raise PermissionDenied


def decider_sees_person(user: User, request: RightsRequest) -> bool:
    """The package reads the person's whole record: only for a supervisor whose agency still
    sees the person (not after the consent behind a share is withdrawn)."""
    return access.persons_visible_to(user).filter(pk=request.person_id).exists()


def may_register_for(user: User, person: Person) -> bool:
    membership = access.membership_of(user)
    if membership is None or not membership.handles_cases:
        return False
    return access.persons_visible_to(user).filter(pk=person.pk).exists()
