"""Outreach visits on the case page, registered with casework.extensions."""

from django.template.loader import render_to_string

from casework import access, extensions
from outreach import selectors


@extensions.register_case_panel
def outreach_visits(request, case) -> str:
    perms = getattr(case, "user_perms", frozenset())
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
