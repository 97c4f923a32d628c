"""The person's requests on their page, registered with casework.extensions."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.template.loader import render_to_string

from casework import access, extensions
from casework.models import LegalHold, Role
from rights import services
from rights.access_rules import requests_visible_to

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest

    from casework.models import Person


# casework.extensions.PersonPanel takes the person as `object`; it always passes a Person.
@extensions.register_person_panel  # type: ignore[arg-type]
def person_requests(request: HttpRequest, person: Person) -> str:
    user = cast("User", request.user)
    if not access.handles_cases(user):
        return ""
    requests = requests_visible_to(user).filter(person_id=person.pk).order_by("-received_on")
    membership = access.membership_of(user)
    supervisor = membership is not None and membership.role == Role.SUPERVISOR
    # Holds are for the supervisors of an agency that holds the person.
    may_hold = supervisor and access.person_in_agency_scope(user, person)
    holds = (
        list(
            LegalHold.objects.filter(person_id=person.pk, lifted_at__isnull=True).select_related(
                "person", "placed_by"
            )
        )
        if may_hold
        else []
    )
    for hold in holds:
        hold.liftable = services.may_lift(user, hold)  # type: ignore[attr-defined]
    return render_to_string(
        "rights/person_panel.html",
        {
            "person": person,
            "requests": list(requests),
            "supervisor": supervisor,
            "may_hold": may_hold,
            "holds": holds,
        },
        request=request,
    )
