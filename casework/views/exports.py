"""Downloads of a case's records: its 経過記録 as Excel and CSV, each logged as an export.

Whoever may read the case page may download what its timeline shows, for the same dates
and method (the timeline's filter, read from the query string)."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from casework import access, contact_export
from casework.forms import TimelineFilterForm
from casework.models import AccessLog, Case
from casework.pages import AuthenticatedHttpRequest

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(case: Case, ext: str) -> str:
    """An ASCII name for any browser, and the Japanese one (RFC 5987) for those that read
    it. The case's number, not the person's name: a file name is seen in download lists."""
    day = f"{timezone.localdate():%Y%m%d}"
    ascii_name = f"keiroku-case{case.pk}-{day}.{ext}"
    japanese = f"経過記録_ケース{case.number}_{day}.{ext}"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(japanese)}"


@never_cache
@require_GET
def contacts_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access.case_for_user(request.user, pk, access.VIEW)
    filters = TimelineFilterForm(request.GET or None).filters()
    body = contact_export.to_xlsx(case, actor=request.user, **filters)
    access.log_access(
        request.user,
        person=case.person,
        case=case,
        action=AccessLog.Action.EXPORT,
        detail=contact_export.log_detail("Excel", **filters),
    )
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = _attachment(case, "xlsx")
    return response


@never_cache
@require_GET
def contacts_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access.case_for_user(request.user, pk, access.VIEW)
    filters = TimelineFilterForm(request.GET or None).filters()
    body = contact_export.to_csv(case, actor=request.user, **filters)
    access.log_access(
        request.user,
        person=case.person,
        case=case,
        action=AccessLog.Action.EXPORT,
        detail=contact_export.log_detail("CSV", **filters),
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _attachment(case, "csv")
    return response
