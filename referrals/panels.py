"""The referral history on the case page, registered with casework.extensions."""

from django.template.loader import render_to_string

from casework import access, extensions
from referrals import selectors


@extensions.register_case_panel
def referral_history(request, case) -> str:
    perms = getattr(case, "user_perms", frozenset())
    return render_to_string(
        "referrals/case_panel.html",
        {
            "case": case,
            "referrals": selectors.case_referrals(case),
            "can_refer": access.WORK in perms and case.is_open,
        },
        request=request,
    )
