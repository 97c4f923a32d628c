"""Assessment pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casework import access, selectors, services
from casework.forms import (
    AssessmentForm,
)
from casework.models import (
    AccessLog,
    Assessment,
)
from casework.pages import AuthenticatedHttpRequest, form_data
from casework.views.common import _case_url, _form_page, _record_case

if TYPE_CHECKING:
    from django.db.models import Field
    from django_stubs_ext import StrOrPromise


@never_cache
@require_http_methods(["GET", "POST"])
def assessment_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access.case_for_user(request.user, pk, access.WORK)
    latest = selectors.latest_assessment(case)
    initial: dict[str, Any] = {}
    if latest:
        initial = {
            name: getattr(latest, name)
            for name in AssessmentForm.Meta.fields
            if name != "assessed_on"
        }
    initial["version"] = latest.version if latest else 0
    form = AssessmentForm(form_data(request), initial=initial)

    def save(data: dict[str, Any]) -> str:
        fields = {k: v for k, v in data.items() if k != "version"}
        based_on = data.get("version")
        added = services.assessment_add(actor=request.user, case=case, based_on=based_on, **fields)
        return _case_url(added.case)

    return _form_page(
        request,
        form,
        save,
        title=_lazy("アセスメント(新しい版)") if latest else _lazy("アセスメント"),
        back=case,
        success=_("アセスメントを記録しました。"),
        case=case,
    )


@never_cache
@require_GET
def assessment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assessment = access.case_record_for_user(request.user, Assessment, pk)
    case = _record_case(assessment)
    access.log_access(
        request.user,
        person=case.person,
        case=case,
        action=AccessLog.Action.VIEW_CASE,
        detail=f"アセスメント 第{assessment.version}版",
    )
    return render(
        request,
        "casework/assessment_detail.html",
        {"assessment": assessment, "case": case, "fields": _assessment_fields(assessment)},
    )


def _assessment_fields(assessment: Assessment) -> list[tuple[StrOrPromise, str]]:
    rows = [
        (
            cast("Field[Any, Any]", Assessment._meta.get_field(name)).verbose_name,
            getattr(assessment, name),
        )
        for name in Assessment.SECTIONS
    ]
    rows.append(
        (
            Assessment._meta.get_field("guardianship_need").verbose_name,
            assessment.get_guardianship_need_display(),
        )
    )
    rows.append(
        (
            Assessment._meta.get_field("abuse_suspected").verbose_name,
            (_("あり") + (f":{assessment.abuse_note}" if assessment.abuse_note else ""))
            if assessment.abuse_suspected
            else _("なし"),
        )
    )
    rows.append((Assessment._meta.get_field("summary").verbose_name, assessment.summary))
    return rows
