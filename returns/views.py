"""Pages of the national return: thin. Access through returns.access, reads through
selectors, writes through services. A user works on one return: their agency's (its
supervisors) or the ward's (the ward's planners). Only the drill-down shows a person."""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from casework import access as case_access
from casework.models import ChangeItem
from casework.pages import form_status, submitted
from casework.wareki import date_on_screen, fiscal_year_bounds, fiscal_year_on_screen
from indicators.forms import ApproveForm, ComputeForm, SnapshotRefForm
from indicators.views import start_computation
from returns import access, drill, exports, selectors, services, tasks
from returns.definitions import BY_CODE, ITEMS
from returns.forms import DrillForm

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from returns.models import ReturnSnapshot

logger = logging.getLogger(__name__)

# A figure a stored version does not hold (an item defined after it was computed).
MISSING: dict[str, Any] = {"value": None, "numerator": None, "denominator": None}


def snapshot_url(snapshot: ReturnSnapshot, name: str = "returns:snapshot") -> str:
    return f"{reverse(name)}?fy={snapshot.fiscal_year}&n={snapshot.number}"


def _snapshot_from(request: HttpRequest, data: QueryDict) -> ReturnSnapshot:
    form = SnapshotRefForm(data)
    if not form.is_valid():
        raise Http404
    return selectors.snapshot_get(request.user, form.cleaned_data["fy"], form.cleaned_data["n"])


def _scope_label(scope: access.Scope) -> str:
    return _("目黒区(区全体)") if scope.is_ward else scope.agency_name


def scope_name(snapshot: ReturnSnapshot) -> str:
    return snapshot.agency.name if snapshot.agency is not None else _("目黒区(区全体)")


@require_GET
@never_cache
def index(request: HttpRequest) -> HttpResponse:
    scope = access.require_scope(request.user)
    return render(
        request,
        "returns/index.html",
        {
            "scope_label": _scope_label(scope),
            "scope": scope,
            "snapshots": selectors.snapshots(request.user)[:60],
            "compute_form": ComputeForm(),
            "items": ITEMS,
        },
    )


def _month_label(first: datetime.date) -> str:
    """4月 on a Japanese screen, April on an English one."""
    return formats.date_format(first, "F")


def _rows(snapshot: ReturnSnapshot, drillable: bool) -> list[dict[str, Any]]:
    """Per item: its definition, each month's figure and the year's, with the drill link
    (months after the records stop, in a year still running, are marked future)."""
    values = snapshot.values
    until = snapshot.covers_until
    base = f"{reverse('returns:drill')}?fy={snapshot.fiscal_year}&n={snapshot.number}"
    rows = []
    for item in ITEMS:
        cells = []
        for month in values["months"]:
            figure = month["figures"].get(item.code, MISSING)
            link = f"{base}&item={item.code}&month={month['month']}" if drillable else ""
            future = until is not None and datetime.date.fromisoformat(month["month"]) > until
            cells.append({"figure": figure, "link": link, "future": future})
        year = values["year"].get(item.code, MISSING)
        rows.append(
            {
                "item": item,
                "cells": cells,
                "year": {"figure": year, "link": f"{base}&item={item.code}" if drillable else ""},
            }
        )
    return rows


def _breakdown(snapshot: ReturnSnapshot) -> dict[str, Any]:
    """The ward's breakdown: the agencies as columns, the items as rows (year figures)."""
    breakdown = snapshot.values.get("breakdown") or {}
    items = breakdown.get("items") or {}
    return {
        "agencies": breakdown.get("agencies", []),
        "rows": [
            {"item": item, "cells": items[item.code], "rate": item.is_rate}
            for item in ITEMS
            if item.code in items
        ],
    }


def _improvement_items(snapshot: ReturnSnapshot) -> list[dict[str, Any]]:
    labels = dict(ChangeItem.choices)
    return [
        {**entry, "label": labels.get(entry["item"], entry["item"])}
        for entry in snapshot.values.get("improvement_items", [])
    ]


def _snapshot_page(
    request: HttpRequest, snapshot: ReturnSnapshot, approve_form: ApproveForm | None = None
) -> HttpResponse:
    replaces = None
    if not snapshot.is_approved:
        replaces = selectors.current_approval(snapshot.agency_id, snapshot.fiscal_year)
        if approve_form is None:
            approve_form = ApproveForm(snapshot=snapshot, replaces=replaces)
    months = [datetime.date.fromisoformat(m["month"]) for m in snapshot.values["months"]]
    until = snapshot.covers_until
    start, end = fiscal_year_bounds(snapshot.fiscal_year)
    return render(
        request,
        "returns/snapshot.html",
        {
            "snapshot": snapshot,
            "label": fiscal_year_on_screen(snapshot.fiscal_year),
            "period": pgettext("期間", "〜").join((date_on_screen(start), date_on_screen(end))),
            "scope_label": scope_name(snapshot),
            "months": [
                {"label": _month_label(m), "future": until is not None and m > until}
                for m in months
            ],
            "rows": _rows(snapshot, access.may_drill(request.user, snapshot)),
            "improvement_items": _improvement_items(snapshot),
            "breakdown": _breakdown(snapshot) if snapshot.is_ward else None,
            "approve_form": approve_form,
            "replaces": replaces,
        },
        status=form_status(request, approve_form),
    )


@require_GET
@never_cache
def snapshot_detail(request: HttpRequest) -> HttpResponse:
    access.require_scope(request.user)
    return _snapshot_page(request, _snapshot_from(request, request.GET))


@require_POST
def snapshot_approve(request: HttpRequest) -> HttpResponse:
    access.require_scope(request.user)
    snapshot = _snapshot_from(request, request.POST)
    replaces = selectors.current_approval(snapshot.agency_id, snapshot.fiscal_year)
    form = ApproveForm(request.POST, snapshot=snapshot, replaces=replaces)
    done, _saved = submitted(
        request,
        form,
        # require_scope above: the user is signed in.
        lambda data: services.return_approve(
            actor=cast("User", request.user),
            snapshot=snapshot,
            partial_year_confirmed=bool(data.get("partial_year_confirmed")),
            reason=data.get("reason", ""),
        ),
    )
    if not done:
        return _snapshot_page(request, snapshot, form)
    messages.success(request, _("支援状況調査の集計を承認しました。以後この値は変わりません。"))
    return redirect(snapshot_url(snapshot))


@require_POST
def compute(request: HttpRequest) -> HttpResponse:
    access.require_scope(request.user)
    form = ComputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("年度を選んでください。"))
        return redirect("returns:index")
    fy = form.cleaned_data["fiscal_year"]
    start_computation(
        request,
        lambda: tasks.compute_return.delay(fy, request.user.pk),
        _("%(label)sの集計を開始しました。終わると下書きが一覧に加わります。")
        % {"label": fiscal_year_on_screen(fy)},
    )
    return redirect("returns:index")


def _download(content: bytes | str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@never_cache
def export_csv(request: HttpRequest) -> HttpResponse:
    access.require_scope(request.user)
    snapshot = _snapshot_from(request, request.GET)
    return _download(
        exports.to_csv(snapshot), exports.filename(snapshot, "csv"), "text/csv; charset=utf-8"
    )


@require_GET
@never_cache
def export_xlsx(request: HttpRequest) -> HttpResponse:
    access.require_scope(request.user)
    snapshot = _snapshot_from(request, request.GET)
    return _download(
        exports.to_xlsx(snapshot),
        exports.filename(snapshot, "xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _period_label(fy: int, month: datetime.date | None) -> str:
    label = fiscal_year_on_screen(fy)
    return f"{label} {_month_label(month)}" if month else label


@require_GET
@never_cache
def drill_down(request: HttpRequest) -> HttpResponse:
    """The cases behind one figure of the agency's return: its supervisors only, logged."""
    access.require_scope(request.user)
    form = DrillForm(request.GET)
    if not form.is_valid():
        raise Http404
    snapshot = selectors.snapshot_get(request.user, form.cleaned_data["fy"], form.cleaned_data["n"])
    if snapshot.agency is None or not access.may_drill(request.user, snapshot):
        raise Http404  # the ward's return has no cases behind it for its readers
    user = cast("User", request.user)  # may_drill: a supervisor, signed in
    period = form.period(snapshot)
    if period is None:
        raise Http404
    item = BY_CODE[form.cleaned_data["item"]]
    month = form.cleaned_data.get("month")
    stored: dict[str, Any]
    if month:
        stored = next(
            (m["figures"] for m in snapshot.values["months"] if m["month"] == month.isoformat()),
            {},
        )
    else:
        stored = snapshot.values["year"]
    figure = stored.get(item.code, MISSING)
    period_label = _period_label(snapshot.fiscal_year, month)
    rows = drill.records_behind(item.code, period, snapshot.agency)
    # A つなぎ counts at the agency that sent it, whose case another agency may own: the
    # supervisor sees who it was only where they may read the case.
    readable = set(
        case_access.cases_readable_by(user)
        .filter(pk__in={row.case.pk for row in rows})
        .values_list("pk", flat=True)
    )
    shown = [row for row in rows if row.case.pk in readable]
    persons = {row.person.pk for row in rows}
    counted = {row.person.pk for row in rows if row.counted}
    live: Any = len(rows) if item.counting == "events" else len(persons)
    if item.is_rate:
        live = f"{len(counted)}/{len(persons)}"
        stored_value = (
            f"{figure['numerator']}/{figure['denominator']}"
            if figure["denominator"] is not None
            else None
        )
    else:
        stored_value = figure["value"]
    with translation.override(settings.LANGUAGE_CODE):  # the log is in the ward's language
        what = _("支援状況調査の内訳: %(code)s %(item)s %(period)s") % {
            "code": item.code,
            "item": item.name_ja,
            "period": _period_label(snapshot.fiscal_year, month),
        }
    case_access.log_list(
        user,
        what=what,
        cases=[row.case for row in shown],
        persons={row.person.pk for row in shown},
        always=True,
    )
    return render(
        request,
        "returns/drill.html",
        {
            "snapshot": snapshot,
            "item": item,
            "period_label": period_label,
            "rows": [{"row": row, "shown": row.case.pk in readable} for row in rows],
            "stored_value": stored_value,
            "live_value": live,
            "differs": str(live) != str(stored_value),
            "back": snapshot_url(snapshot),
        },
    )
