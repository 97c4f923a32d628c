"""Case meeting pages."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import gettext_noop as _noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casework import access, selectors, services
from casework.forms import (
    MeetingForm,
)
from casework.models import (
    AccessLog,
)
from casework.pages import AuthenticatedHttpRequest, form_data, page_of
from casework.views.common import _form_page


@require_GET
def meeting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_case_role(request.user)
    page = page_of(request, selectors.meetings_for(request.user))
    # A meeting's title names the person: the list shows the cases it is about.
    access.log_list(
        request.user,
        what=_noop("会議一覧"),
        cases=selectors.cases_of_meetings(request.user, page.object_list),
    )
    return render(request, "casework/meeting_list.html", {"page": page})


@never_cache
@require_http_methods(["GET", "POST"])
def meeting_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_case_role(request.user)
    visible = selectors.meeting_case_choices(request.user)
    initial = {}
    if request.GET.get("case"):
        initial["cases"] = visible.filter(pk=access.parse_id(request.GET["case"]))
    form = MeetingForm(form_data(request), visible_cases=visible, initial=initial)
    return _form_page(
        request,
        form,
        lambda data: reverse(
            "casework:meeting_detail",
            kwargs={"pk": services.meeting_record(actor=request.user, **data).pk},
        ),
        title=_lazy("会議を記録"),
        back=None,
        success=_("会議を記録しました。"),
        shows=visible,
    )


@require_GET
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = access.meeting_for_user(request.user, pk)
    cases = list(selectors.meeting_cases(request.user, meeting))
    # The minutes are part of each linked person's record: one access-log row per case.
    for case in cases:
        access.log_access(
            request.user,
            person=case.person,
            case=case,
            action=AccessLog.Action.VIEW_CASE,
            detail=f"会議の記録「{meeting.title[:100]}」",
        )
    return render(
        request,
        "casework/meeting_detail.html",
        {
            "meeting": meeting,
            "cases": cases,
            "agencies": meeting.attending_agencies.all(),
        },
    )
