"""The referral history on the case page, registered with casework.extensions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string

from casework import access, extensions
from referrals import selectors

if TYPE_CHECKING:
    from django.http import HttpRequest

    from casework.models import Case


# casework.extensions.CasePanel takes the case as `object`; it always passes a Case.
@extensions.register_case_panel  # type: ignore[arg-type]
def referral_history(request: HttpRequest, case: Case) -> str:
    perms: frozenset[str] = getattr(case, "user_perms", frozenset())
    return render_to_string(
        "referrals/case_panel.html",
        {
            "case": case,
            "referrals": selectors.case_referrals(case),
            "can_refer": access.WORK in perms and case.is_open,
        },
        request=request,
    )
