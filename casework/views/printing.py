"""The print views: the national forms laid out for A4, printed from the browser.

Whoever may read the record may print it; each print is one access-log row of kind 出力
naming the case. The forms are the ward's Japanese documents whatever the screen language,
as the exports are."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from casework import access, contact_export, print_forms, selectors, wareki
from casework.forms import TimelineFilterForm
from casework.models import AccessLog, Assessment, Case, Intake, MonitoringEntry, SupportPlan
from casework.pages import AuthenticatedHttpRequest
from casework.views.assessments import _assessment_fields
from casework.views.common import _record_case


def _print_page(
    request: AuthenticatedHttpRequest,
    case: Case,
    template: str,
    detail: str,
    context: dict[str, Any],
) -> HttpResponse:
    access.log_access(
        request.user,
        person=case.person,
        case=case,
        action=AccessLog.Action.EXPORT,
        detail=f"印刷: {detail}",
    )
    # The sheet is rendered in the ward's Japanese by the template ({% language %}).
    return render(
        request,
        f"casework/print/{template}",
        {
            "case": case,
            "person": case.person,
            "printed_at": timezone.now(),
            "printed_by": request.user,
            **context,
        },
    )


def _in_japanese(read: Any, *args: Any) -> list[str]:
    """Texts a selector builds in the active language, built in the ward's Japanese for a
    sheet (the template's {% language %} covers only what the template itself renders)."""
    with translation.override(settings.LANGUAGE_CODE):
        return [str(text) for text in read(*args)]


def _with_person(case: Case) -> Case:
    """The case a record carries, with the person, district and agency the forms show."""
    return (
        Case.objects.select_related("person", "person__district", "owning_agency")
        .filter(pk=case.pk)
        .get()
    )


@never_cache
@require_GET
def print_intake(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """相談受付・申込票, from the case's intake. A case opened without one (from a watch
    report, say) prints the form with those boxes left blank, to be filled in by hand."""
    case = access.case_for_user(request.user, pk)
    intake = Intake.objects.filter(case=case).select_related("received_by").first()
    members, _cases = selectors.case_household(request.user, case.person)
    return _print_page(
        request,
        case,
        "intake.html",
        print_forms.INTAKE,
        {
            "intake": intake,
            "concerns": _in_japanese(selectors.case_concerns, case),
            # None: the household is not the user's to read, and the form leaves it out.
            "household": members,
        },
    )


@never_cache
@require_GET
def print_assessment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """インテーク・アセスメントシート: one version of the assessment."""
    assessment = access.case_record_for_user(request.user, Assessment, pk)
    case = _with_person(_record_case(assessment))
    with translation.override(settings.LANGUAGE_CODE):
        fields = [(str(label), str(value)) for label, value in _assessment_fields(assessment)]
    return _print_page(
        request,
        case,
        "assessment.html",
        f"{print_forms.ASSESSMENT} 第{assessment.version}版",
        {"assessment": assessment, "fields": fields},
    )


@never_cache
@require_GET
def print_plan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """プラン兼事業等利用申込書: one version of the plan, with its check code and the lines
    the person signs."""
    plan = access.case_record_for_user(request.user, SupportPlan, pk)
    case = _with_person(_record_case(plan))
    actions = list(selectors.plan_actions(plan))
    code = print_forms.plan_check_code(plan, actions)
    return _print_page(
        request,
        case,
        "plan.html",
        f"{print_forms.PLAN} 第{plan.version}版 照合コード {code}",
        {"plan": plan, "actions": actions, "check_code": code},
    )


@never_cache
@require_GET
def print_contacts(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """支援経過記録: the case's contacts within the chosen dates, oldest first."""
    case = access.case_for_user(request.user, pk)
    period = TimelineFilterForm(request.GET or None)
    filters = period.filters()
    contacts = list(selectors.case_timeline(case, **filters).reverse())
    date_from: datetime.date | None = filters.get("date_from")
    date_to: datetime.date | None = filters.get("date_to")
    return _print_page(
        request,
        case,
        "contacts.html",
        f"{print_forms.CONTACTS}({_period_text(date_from, date_to, filters.get('method', ''))})",
        {
            "contacts": contacts,
            "date_from": date_from,
            "date_to": date_to,
            "method_label": contact_export.method_label(filters["method"])
            if filters.get("method")
            else "",
            "period_form": period,
        },
    )


def _period_text(
    date_from: datetime.date | None, date_to: datetime.date | None, method: str
) -> str:
    """The period (and the one method, if only one was printed) as the access log says it,
    in the words of the Excel and CSV output's rows."""
    return contact_export.period_label(date_from, date_to) + (
        f"、{contact_export.method_label(method)}" if method else ""
    )


@never_cache
@require_GET
def print_evaluation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """評価シート: one monitoring or evaluation entry, against its plan."""
    entry = access.case_record_for_user(request.user, MonitoringEntry, pk, case_path="plan__case")
    case = _with_person(_record_case(entry))
    plan = entry.plan
    actions = list(selectors.plan_actions(plan))
    with translation.override(settings.LANGUAGE_CODE):
        kind = str(entry.get_kind_display())
        changes = selectors.plan_change_table(plan)
    # This entry's column of the plan's change table, against the plan-start baseline.
    column = next((i for i, e in enumerate(changes.evaluations) if e.pk == entry.pk), None)
    items = (
        [(row.label, row.baseline, row.cells[column]) for row in changes.rows]
        if column is not None
        else []
    )
    return _print_page(
        request,
        case,
        "evaluation.html",
        f"{print_forms.EVALUATION}({kind} {wareki.wareki_date(entry.monitored_on)})",
        {
            "entry": entry,
            "plan": plan,
            "actions": actions,
            "check_code": print_forms.plan_check_code(plan, actions),
            "items": items,
        },
    )
