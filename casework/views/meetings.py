"""Case meeting pages."""

from __future__ import annotations

import re
from typing import Any

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
    MEETING_SEARCH_BUTTON,
    MeetingForm,
)
from casework.models import (
    MAX_ID,
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


_ID = re.compile(r"[0-9]{1,19}")


def _ids(values: list[str]) -> list[int]:
    """The case ids sent: those that are ids at all (the form refuses the rest)."""
    return [int(v) for v in values if _ID.fullmatch(v) and 0 < int(v) <= MAX_ID]


@never_cache
@require_http_methods(["GET", "POST"])
def meeting_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Cases are picked by search: the 「検索」 button sends the whole form back, shown with
    the open cases found besides those chosen so far, and saves nothing."""
    access.require_case_role(request.user)
    data = form_data(request)
    searching = request.method == "POST" and MEETING_SEARCH_BUTTON in request.POST
    if data is not None:
        query, chosen = data.get("case_query", ""), _ids(data.getlist("cases"))
    else:
        query, chosen = request.GET.get("case_query", ""), _ids(request.GET.getlist("case"))
    query = MeetingForm.searchable(query)
    found = selectors.meeting_case_search(request.user, query)
    more = len(found) > selectors.MEETING_SEARCH_LIMIT
    found = found[: selectors.MEETING_SEARCH_LIMIT]
    shown = selectors.meeting_case_options(request.user, [*chosen, *found])
    initial: dict[str, Any] = {"case_query": query, "cases": chosen}
    form = MeetingForm(data, visible_cases=shown, searching=searching, initial=initial)

    def record(data: dict[str, Any]) -> str:
        data = {k: v for k, v in data.items() if k != "case_query"}
        meeting = services.meeting_record(actor=request.user, **data)
        return reverse("casework:meeting_detail", kwargs={"pk": meeting.pk})

    return _form_page(
        request,
        form,
        record,
        title=_lazy("会議を記録"),
        back=None,
        success=_("会議を記録しました。"),
        template="casework/meeting_form.html",
        shows=shown,
        query=query,
        searched=bool(query),
        found=len(found),
        more=more,
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
