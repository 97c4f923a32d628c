"""Every write of the indicators app. It writes only its own tables."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import access
from indicators.coverage import mark_coverage, records_began
from indicators.definitions import DEFINITION_VERSION
from indicators.joint import protect_document
from indicators.models import (
    ReportedFigure,
    Snapshot,
    SnapshotBase,
    SnapshotState,
    SurveyResult,
)
from indicators.publish import publishable, suppression_k
from indicators.rollup import roll_up
from indicators.selectors import (
    computable_years,
    current_approval,
    reports_for_year,
    surveys_for_year,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_S = TypeVar("_S", bound=SnapshotBase)


def _require_officer(actor: User) -> None:
    if not access.is_indicator_officer(actor):
        raise PermissionDenied


@transaction.atomic
def survey_record(
    *,
    actor: User,
    indicator: str,
    percent: Decimal,
    respondents: int,
    survey_name: str,
    surveyed_on: datetime.date,
) -> SurveyResult:
    _require_officer(actor)
    result = SurveyResult(
        indicator=indicator,
        percent=percent,
        respondents=respondents,
        survey_name=survey_name.strip(),
        surveyed_on=surveyed_on,
        recorded_by=actor,
    )
    result.full_clean()
    result.save()
    return result


@transaction.atomic
def reported_record(
    *,
    actor: User,
    indicator: str,
    value: int,
    reporting_body: str,
    as_of: datetime.date,
    note: str = "",
) -> ReportedFigure:
    _require_officer(actor)
    figure = ReportedFigure(
        indicator=indicator,
        value=value,
        reporting_body=reporting_body.strip(),
        as_of=as_of,
        note=note.strip(),
        recorded_by=actor,
    )
    figure.full_clean()
    figure.save()
    return figure


def validate_fiscal_year(fy: Any) -> int:  # anything: what is not a year is refused
    try:
        fy = int(fy)
    except (TypeError, ValueError):
        fy = None
    if fy not in computable_years():
        years = computable_years()
        raise ValidationError(
            {
                "fiscal_year": _("年度は%(first)s〜%(last)sの間で指定してください。")
                % {"first": years[0], "last": years[-1]}
            }
        )
    return fy


def snapshot_compute(
    *, actor: User | None, fiscal_year: int, via: str = Snapshot.Via.WEB
) -> Snapshot:
    """Roll the fiscal year up from the records into a new draft snapshot.

    `actor` is None only when the command line computes it (nobody signed in).
    """
    if actor is not None:
        _require_officer(actor)
    fy = validate_fiscal_year(fiscal_year)
    k = suppression_k()
    raw: dict[tuple[str, int], list[int]] = {}
    document = publishable(roll_up(fy), surveys_for_year(fy), reports_for_year(fy), k, raw)
    # Every snapshot ever made was the latest draft once, so someone may hold it: audit
    # against all of them (those of other years matter only for cumulative indicators).
    held = [(s.fiscal_year, s.values) for s in Snapshot.objects.order_by("fiscal_year", "number")]
    document = protect_document(document, raw, held, k)
    mark_coverage(document, records_began())
    for _attempt in range(3):
        try:
            with transaction.atomic():
                number = (
                    Snapshot.objects.filter(fiscal_year=fy).aggregate(n=Max("number"))["n"] or 0
                ) + 1
                return Snapshot.objects.create(
                    fiscal_year=fy,
                    number=number,
                    state=SnapshotState.DRAFT,
                    definition_version=DEFINITION_VERSION,
                    suppression_k=k,
                    values=document,
                    computed_by=actor,
                    computed_via=via,
                )
        except IntegrityError:
            continue  # another computation took the number: take the next
    raise ValidationError(_("集計が重なりました。もう一度お試しください。"))


@transaction.atomic
def snapshot_approve(
    *, actor: User, snapshot: Snapshot, partial_year_confirmed: bool = False, reason: str = ""
) -> Snapshot:
    """Approve a draft: it becomes the year's figure and never changes again.

    A year computed before it ended is approved only once the approver has confirmed that
    its figures are partial. When the year already has an approved snapshot, the new one
    replaces it (with a reason); the replaced one stays stored, frozen, and readable."""
    _require_officer(actor)
    if snapshot.definition_version != DEFINITION_VERSION:
        raise ValidationError(
            _("指標の定義が更新されています。この年度を集計し直してから承認してください。")
        )
    if snapshot.suppression_k < suppression_k():
        raise ValidationError(
            _("秘匿の閾値が現在の設定より小さい集計です。集計し直してから承認してください。")
        )
    already = _("このスナップショットはすでに承認されています。")
    if snapshot.is_approved:
        raise ValidationError(already)
    current = current_approval(snapshot.fiscal_year)
    check_approval(snapshot, current, partial_year_confirmed, reason)
    return record_approval(snapshot, current, actor, reason, already)


def check_approval(
    snapshot: SnapshotBase,
    current: SnapshotBase | None,
    partial_year_confirmed: bool,
    reason: str,
) -> None:
    """What an approval of a draft needs, as the approver is told next to the fields: the
    confirmation of a year still running, and a reason to replace the year's approval."""
    errors: dict[str, str] = {}
    if snapshot.is_partial_year and not partial_year_confirmed:
        errors["partial_year_confirmed"] = _(
            "年度途中の集計です。年度途中であることを確認したうえで、確認欄にチェックを入れてください。"
        )
    if current is not None:
        if current.number > snapshot.number:
            raise ValidationError(
                _("この版より新しい承認済みの版(第%(n)s版)があります。") % {"n": current.number}
            )
        if not reason.strip():
            errors["reason"] = _(
                "この年度には承認済みの第%(n)s版があります。差し替える理由を入力してください。"
            ) % {"n": current.number}
    if errors:
        raise ValidationError(errors)


def record_approval(
    snapshot: _S, current: SnapshotBase | None, actor: User, reason: str, already: str
) -> _S:
    """Approve the draft, replacing `current`. A conditional update: of two approvals at
    once, one wins; an approved row never moves. The database allows one first approval
    per year (and scope) and replaces each approval at most once, so two replacements of
    the same approval cannot both succeed either."""
    try:
        with transaction.atomic():
            changed = (
                type(snapshot)
                ._default_manager.filter(pk=snapshot.pk, state=SnapshotState.DRAFT)
                .update(
                    state=SnapshotState.APPROVED,
                    approved_by=actor,
                    approved_at=timezone.now(),
                    supersedes=current,
                    supersede_reason=reason.strip() if current is not None else "",
                )
            )
    except IntegrityError:
        raise ValidationError(
            _("同じ年度の承認が同時に行われました。画面を読み込み直してください。")
        ) from None
    if not changed:
        raise ValidationError(already)
    snapshot.refresh_from_db()
    return snapshot
