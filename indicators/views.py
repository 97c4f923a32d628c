"""Indicator pages: thin. Access through indicators.access, reads through selectors,
writes through services. Nothing here shows a person or a record id."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.pages import ALREADY_SAVED, form_data, form_page, form_status, save_once, submitted
from casework.wareki import fiscal_year_on_screen
from indicators import access, exports, selectors, services, tasks
from indicators.charts import bar_chart
from indicators.definitions import INDICATORS, progress
from indicators.forms import ApproveForm, ComputeForm, ReportedForm, SnapshotRefForm, SurveyForm

if TYPE_CHECKING:
    from django import forms
    from django.contrib.auth.models import User

    from indicators.models import Snapshot

logger = logging.getLogger(__name__)


def snapshot_url(snapshot: Snapshot, name: str = "indicators:snapshot") -> str:
    return f"{reverse(name)}?fy={snapshot.fiscal_year}&n={snapshot.number}"


def _snapshot_from(request: HttpRequest, data: QueryDict) -> Snapshot:
    form = SnapshotRefForm(data)
    if not form.is_valid():
        raise Http404
    return selectors.snapshot_get(request.user, form.cleaned_data["fy"], form.cleaned_data["n"])


@require_GET
@never_cache
def dashboard(request: HttpRequest) -> HttpResponse:
    access.require_view(request.user)
    series = selectors.dashboard_series(request.user)
    charts = [
        {
            "series": s,
            "chart": bar_chart(s, title=f"{s.indicator.code} {s.indicator.name}"),
        }
        for s in series
    ]
    return render(
        request,
        "indicators/dashboard.html",
        {
            "charts": charts,
            "snapshots": selectors.snapshots(request.user)[:50],
            "is_officer": access.is_indicator_officer(request.user),
            "compute_form": ComputeForm(),
        },
    )


def _display_rows(snapshot: Snapshot) -> list[dict[str, Any]]:
    """Per indicator: its entry, whether the year has data, and progress only for a year
    computed after it ended (partial figures are not compared with the target)."""
    rows = []
    for indicator in INDICATORS:
        entry = snapshot.values.get("indicators", {}).get(indicator.code, {})
        no_data = selectors.entry_has_no_data(indicator, entry)
        final = not snapshot.is_partial_year and not no_data
        rows.append(
            {
                "indicator": indicator,
                "entry": entry,
                "no_data": no_data,
                "progress": progress(indicator, entry.get("value")) if final else None,
                "tables": [_table(t) for t in entry.get("breakdowns", [])],
            }
        )
    return rows


def _tr(labels: list[str]) -> list[str]:
    """Stored labels are the Japanese originals (msgids): shown in the user's language."""
    return [_(str(label)) if label else label for label in labels]


def _table(table: dict[str, Any]) -> dict[str, Any]:
    """A breakdown as header and body rows for the template."""
    kind = table["kind"]
    table = {
        **table,
        **{key: _tr(table[key]) for key in ("labels", "row_labels", "col_labels") if key in table},
    }
    if kind == "1d":
        header = ["", *table["labels"], _("合計")]
        body = [[_("人数・件数"), *table["values"], table["total"]]]
    elif kind == "2d":
        header = ["", *table["col_labels"], _("計")]
        body = [
            [label, *cells, total]
            for label, cells, total in zip(
                table["row_labels"], table["cells"], table["row_totals"], strict=True
            )
        ]
        body.append([_("計"), *table["col_totals"], table["total"]])
    else:
        header = ["", *table["labels"], _("合計")]
        body = [
            [_("分子"), *table["numerators"], table["numerator_total"]],
            [_("分母"), *table["denominators"], table["denominator_total"]],
            [_("割合(%)"), *table["rates"], ""],
        ]
    return {"title": _(table["title"]), "header": header, "body": body}


def _snapshot_page(
    request: HttpRequest, snapshot: Snapshot, approve_form: ApproveForm | None = None
) -> HttpResponse:
    is_officer = access.is_indicator_officer(request.user)
    replaces = None
    if is_officer and not snapshot.is_approved:
        replaces = selectors.current_approval(snapshot.fiscal_year)
        if approve_form is None:
            approve_form = ApproveForm(snapshot=snapshot, replaces=replaces)
    return render(
        request,
        "indicators/snapshot.html",
        {
            "snapshot": snapshot,
            "label": fiscal_year_on_screen(snapshot.fiscal_year),
            "rows": _display_rows(snapshot),
            "is_officer": is_officer,
            "approve_form": approve_form,
            "replaces": replaces,
            "history": selectors.approval_history(snapshot),
        },
        status=form_status(request, approve_form),
    )


@require_GET
@never_cache
def snapshot_detail(request: HttpRequest) -> HttpResponse:
    access.require_view(request.user)
    return _snapshot_page(request, _snapshot_from(request, request.GET))


@require_POST
def snapshot_approve(request: HttpRequest) -> HttpResponse:
    access.require_officer(request.user)
    snapshot = _snapshot_from(request, request.POST)
    form = ApproveForm(
        request.POST, snapshot=snapshot, replaces=selectors.current_approval(snapshot.fiscal_year)
    )
    done, _saved = submitted(
        request,
        form,
        # require_officer above: the user is signed in.
        lambda data: services.snapshot_approve(
            actor=cast("User", request.user),
            snapshot=snapshot,
            partial_year_confirmed=bool(data.get("partial_year_confirmed")),
            reason=data.get("reason", ""),
        ),
    )
    if not done:
        return _snapshot_page(request, snapshot, form)
    messages.success(request, _("スナップショットを承認しました。以後この値は変わりません。"))
    return redirect(snapshot_url(snapshot))


def start_computation(request: HttpRequest, enqueue: Callable[[], Any], started: str) -> None:
    """Queue a computation once the request's transaction commits, and say so: a double
    click starts one computation (the form's one-time token); a broker that is down is
    said, not hidden."""
    failed: list[bool] = []

    def send() -> None:
        try:
            enqueue()
        except Exception:  # the broker is down: say so rather than pretend it started
            logger.exception("could not enqueue a computation")
            failed.append(True)

    _none, _url, fresh = save_once(request, lambda: transaction.on_commit(send), lambda _s: "")
    if not fresh:
        messages.info(request, ALREADY_SAVED)
    elif failed:
        messages.error(
            request, _("集計を開始できませんでした。時間をおいてもう一度お試しください。")
        )
    else:
        messages.success(request, started)


@require_POST
def compute(request: HttpRequest) -> HttpResponse:
    access.require_officer(request.user)
    form = ComputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("年度を選んでください。"))
        return redirect("indicators:dashboard")
    fy = form.cleaned_data["fiscal_year"]
    start_computation(
        request,
        lambda: tasks.compute_snapshot.delay(fy, request.user.pk),
        _("%(label)sの集計を開始しました。終わると下書きのスナップショットが一覧に加わります。")
        % {"label": fiscal_year_on_screen(fy)},
    )
    return redirect("indicators:dashboard")


# `save` runs only after require_officer: its callers' request.user is a signed-in User.
def _entry_form(
    request: HttpRequest,
    form_class: type[forms.Form],
    save: Callable[[dict[str, Any]], object],
    *,
    title: str,
    success: str,
) -> HttpResponse:
    access.require_officer(request.user)
    form = form_class(form_data(request))
    return form_page(
        request,
        form,
        save,
        template="indicators/form.html",
        success=success,
        then=lambda _saved: "indicators:dashboard",
        context={
            "title": title,
            "recent_surveys": selectors.recent_surveys(),
            "recent_reports": selectors.recent_reports(),
        },
    )


@require_http_methods(["GET", "POST"])
@never_cache
def survey_new(request: HttpRequest) -> HttpResponse:
    return _entry_form(
        request,
        SurveyForm,
        lambda data: services.survey_record(actor=cast("User", request.user), **data),
        title=_("調査結果を入力"),
        success=_("調査結果を記録しました。"),
    )


@require_http_methods(["GET", "POST"])
@never_cache
def reported_new(request: HttpRequest) -> HttpResponse:
    return _entry_form(
        request,
        ReportedForm,
        lambda data: services.reported_record(actor=cast("User", request.user), **data),
        title=_("報告値を入力"),
        success=_("報告値を記録しました。"),
    )


def _filename(snapshot: Snapshot, ext: str) -> str:
    return f"indicators_FY{snapshot.fiscal_year}_v{snapshot.number}.{ext}"


@require_GET
@never_cache
def export_csv(request: HttpRequest) -> HttpResponse:
    access.require_view(request.user)
    snapshot = _snapshot_from(request, request.GET)
    response = HttpResponse(exports.to_csv(snapshot), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(snapshot, "csv")}"'
    return response


@require_GET
@never_cache
def export_xlsx(request: HttpRequest) -> HttpResponse:
    access.require_view(request.user)
    snapshot = _snapshot_from(request, request.GET)
    response = HttpResponse(
        exports.to_xlsx(snapshot),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(snapshot, "xlsx")}"'
    return response
