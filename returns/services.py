"""Every write of the returns app: compute a draft, approve it. It writes only its own table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from casework.models import Agency
from indicators.publish import suppression_k
from indicators.services import check_approval, record_approval, validate_fiscal_year
from returns import access, document
from returns.definitions import DEFINITION_VERSION
from returns.models import ReturnSnapshot, ReturnState
from returns.selectors import current_approval

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def return_compute(
    *, actor: User, fiscal_year: Any, via: str = ReturnSnapshot.Via.WEB
) -> ReturnSnapshot:
    """Compute the fiscal year's return of the actor's scope into a new draft. A draft
    already there stays: each computation is a new version."""
    scope = access.require_scope(actor)
    fy = validate_fiscal_year(fiscal_year)
    k = suppression_k()
    agency = Agency.objects.get(pk=scope.agency_id) if scope.agency_id else None
    values = document.build(fy, agency)
    raw = document.agency_years(fy) if agency is None else None
    for _attempt in range(3):
        try:
            with transaction.atomic():
                versions = ReturnSnapshot.objects.of_scope(scope.agency_id).filter(fiscal_year=fy)
                number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
                if raw is not None:
                    # What an earlier version of the year hid stays hidden. Read with the
                    # number: a computation that stored one meanwhile takes this number
                    # first, and this one retries with it among the held.
                    held = list(versions.values_list("values", flat=True))
                    values = {**values, "breakdown": document.breakdown(raw, k, held)}
                return ReturnSnapshot.objects.create(
                    agency=agency,
                    fiscal_year=fy,
                    number=number,
                    state=ReturnState.DRAFT,
                    definition_version=DEFINITION_VERSION,
                    suppression_k=k,
                    values=values,
                    computed_by=actor,
                    computed_via=via,
                )
        except IntegrityError:
            continue  # another computation took the number: take the next
    raise ValidationError(_("集計が重なりました。もう一度お試しください。"))


@transaction.atomic
def return_approve(
    *,
    actor: User,
    snapshot: ReturnSnapshot,
    partial_year_confirmed: bool = False,
    reason: str = "",
) -> ReturnSnapshot:
    """Approve a draft: the agency's supervisor for the agency's return, the ward's planner
    for the ward's. It never changes again; an approval already there is replaced (with a
    reason) and stays stored and readable."""
    if not access.may_read(actor, snapshot):
        raise PermissionDenied
    already = _("この集計はすでに承認されています。")
    if snapshot.is_approved:
        raise ValidationError(already)
    if snapshot.definition_version != DEFINITION_VERSION:
        raise ValidationError(
            _("支援状況調査の定義が更新されています。集計し直してから承認してください。")
        )
    if snapshot.is_ward and snapshot.suppression_k < suppression_k():
        raise ValidationError(
            _("秘匿の閾値が現在の設定より小さい集計です。集計し直してから承認してください。")
        )
    current = current_approval(snapshot.agency_id, snapshot.fiscal_year)
    check_approval(snapshot, current, partial_year_confirmed, reason)
    return record_approval(snapshot, current, actor, reason, already)
