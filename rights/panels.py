"""The person's requests on their page, registered with casework.extensions."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.template.loader import render_to_string

from casework import access, extensions
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
    return render_to_string(
        "rights/person_panel.html", {"person": person, "requests": list(requests)}, request=request
    )
