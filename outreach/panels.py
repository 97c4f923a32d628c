"""Outreach visits on the case page, registered with casework.extensions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string

from casework import access, extensions
from outreach import selectors

if TYPE_CHECKING:
    from django.http import HttpRequest

    from casework.models import Case


# casework.extensions.CasePanel takes the case as `object`; it always passes a Case.
@extensions.register_case_panel  # type: ignore[arg-type]
def outreach_visits(request: HttpRequest, case: Case) -> str:
    perms: frozenset[str] = getattr(case, "user_perms", frozenset())
    return render_to_string(
        "outreach/case_panel.html",
        {
            "case": case,
            "visits": selectors.case_visits(case),
            "absent_streak": selectors.absent_streak(case),
            "can_plan_visit": access.WORK in perms and case.is_open,
        },
        request=request,
    )
