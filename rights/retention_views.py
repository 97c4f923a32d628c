"""The supervisors' page 保存期間と廃棄 and the legal holds: thin views over rights.disposal
and rights.services."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import gettext_noop as _noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casework import access
from casework.models import DisposalEntry, LegalHold
from casework.pages import form_data, form_page
from rights import disposal, services
from rights.forms import HoldForm, HoldLiftForm

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest, HttpResponse

LEDGER_ROWS = 100


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)


@never_cache
@require_GET
def retention(request: HttpRequest) -> HttpResponse:
    """The periods in force, what of the agency's is coming up for disposal (with the day a
    run takes it), the persons held, and the ward's 廃棄簿 (which names nobody)."""
    membership = access.require_supervisor(_user(request))
    today = timezone.localdate()
    held = disposal.held_person_ids()
    coming = list(
        disposal.expired_cases(today, set())
        .filter(owning_agency_id=membership.agency_id)
        .select_related("person")[:500]
    )
    for case in coming:
        case.disposal_day = disposal.disposal_day(case)  # type: ignore[attr-defined]
        case.held = case.person_id in held  # type: ignore[attr-defined]
    holds = list(
        LegalHold.objects.filter(
            lifted_at__isnull=True, person__cases__owning_agency_id=membership.agency_id
        )
        .select_related("person", "placed_by")
        .distinct()
    )
    for hold in holds:
        hold.liftable = services.may_lift(_user(request), hold)  # type: ignore[attr-defined]
    access.log_list(
        _user(request),
        what=_noop("保存期間と廃棄"),
        cases=coming,
        persons=[hold.person_id for hold in holds],
    )
    periods = [
        (_lazy("終結したケースの記録"), disposal.CASE_RULE.years, _lazy("終結の日から")),
        (_lazy("アクセス記録"), disposal.ACCESS_LOG_RULE.years, _lazy("記録した日から")),
        (
            _lazy("セキュリティ記録"),
            disposal.SECURITY_LOG_RULE.years,
            _lazy("記録した日から"),
        ),
    ]
    return render(
        request,
        "rights/retention.html",
        {
            "periods": periods,
            "notice_days": settings.TSUNAGU_DISPOSAL_NOTICE_DAYS,
            "coming": coming,
            "holds": holds,
            "ledger": DisposalEntry.objects.select_related("run")[:LEDGER_ROWS],
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def hold_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.person_for_user(_user(request), pk)
    services.require_hold_supervisor(_user(request), person)
    title = _lazy("法的保存を設定する(廃棄を止める)")
    return form_page(
        request,
        HoldForm(form_data(request)),
        lambda data: services.hold_place(actor=_user(request), person=person, **data),
        template="rights/form.html",
        success=_lazy("法的保存を設定しました。解除するまで、この方の記録は廃棄されません。"),
        then=lambda hold: hold.person.get_absolute_url(),
        shown=lambda: access.log_form_read(_user(request), person, cast(str, title)),
        context={
            "title": title,
            "about": person,
            "submit": _lazy("設定する"),
            "back": person.get_absolute_url(),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def hold_lift(request: HttpRequest, pk: int) -> HttpResponse:
    hold = services.hold_for_user(_user(request), pk)
    title = _lazy("法的保存を解除する")
    return form_page(
        request,
        HoldLiftForm(form_data(request)),
        lambda data: services.hold_lift(actor=_user(request), hold=hold, **data),
        template="rights/form.html",
        success=_lazy("法的保存を解除しました。"),
        then=lambda lifted: lifted.person.get_absolute_url(),
        shown=lambda: access.log_form_read(_user(request), hold.person, cast(str, title)),
        context={
            "title": title,
            "about": hold.person,
            "submit": _lazy("解除する"),
            "back": hold.person.get_absolute_url(),
        },
    )
