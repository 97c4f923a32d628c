"""Thin views for referrals: authorize through casework.access, call one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import gettext_noop as _noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casework import access
from casework.models import AccessLog
from casework.pages import form_data, form_page, page_of
from referrals import selectors, services
from referrals.access_rules import mark_identities, may_withdraw, referral_for_user
from referrals.forms import AcceptForm, CompleteForm, DeclineForm, ReferralForm, WithdrawForm
from referrals.models import Referral, ReferralState, Scope

if TYPE_CHECKING:
    from django import forms
    from django.contrib.auth.models import User
    from django.db.models import QuerySet
    from django.http import HttpRequest, HttpResponse
    from django_stubs_ext import StrOrPromise

    from casework.models import Case


def _user(request: HttpRequest) -> User:
    """The signed-in user: LoginRequiredMiddleware lets no one else reach these views."""
    return cast("User", request.user)


def _form(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], Referral],
    *,
    title: StrOrPromise,
    referral: Referral | None = None,
    case: Case | None = None,
    success: StrOrPromise,
    submit: StrOrPromise,
) -> HttpResponse:
    if case is None:
        assert referral is not None  # a referral's own page, or a new one for the case
        case = referral.case
    return form_page(
        request,
        form,
        save,
        template="referrals/form.html",
        success=success,
        then=lambda saved: saved.get_absolute_url(),
        context={
            "title": title,
            "referral": referral,
            "case": case,
            "submit": submit,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def send(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.case_for_user(_user(request), pk, access.WORK)
    if request.method == "GET":
        # The form lists the case's contact records to choose from.
        access.log_form_read(_user(request), case, _noop("他機関へつなぐ(経過記録の選択)"))
    form = ReferralForm(form_data(request), case=case)

    def save(data: dict[str, Any]) -> Referral:
        try:
            return services.referral_send(actor=_user(request), case=case, **data)
        except services.NoSharingBasis:
            # The form comes back as typed, with a link to record the consent beside it.
            request.consent_for = (  # type: ignore[attr-defined]  # read by the template
                reverse("casework:consent_new", kwargs={"pk": case.person_id})
                + f"?agency={data['receiving_agency'].pk}"
            )
            raise

    return _form(
        request,
        form,
        save,
        title=_("他機関へつなぐ"),
        case=case,
        success=_("つなぎを送りました。紹介先の回答を待っています。"),
        submit=_("つなぐ"),
    )


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    return _box(request, selectors.inbox(_user(request)), "inbox", _noop("受け取ったつなぎ"))


def _box(request: HttpRequest, referrals: QuerySet[Referral], box: str, what: str) -> HttpResponse:
    page = page_of(request, referrals)
    page.object_list = mark_identities(_user(request), page.object_list)
    access.log_list(
        _user(request), what=what, cases=[r.case for r in page.object_list if r.identifies]
    )
    return render(request, "referrals/list.html", {"page": page, "box": box})


@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    return _box(request, selectors.outbox(_user(request)), "outbox", _noop("送ったつなぎ"))


@never_cache
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = referral_for_user(_user(request), pk)
    perms = referral.user_perms
    if referral.identifies:
        access.log_access(
            _user(request),
            case=referral.case,
            person=referral.case.person,
            action=AccessLog.Action.VIEW_CASE,
            detail=f"つなぎ No.{referral.pk}",
        )
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "case": referral.case,
            "person": referral.case.person,
            "shared_contacts": (
                selectors.shared_contacts(referral)
                if referral.shows_shared and referral.scope == Scope.SUMMARY
                else []
            ),
            "show_shared": referral.shows_shared,
            "can_open_case": access.VIEW in perms,
            "can_answer": referral.user_handles and referral.state == ReferralState.SENT,
            "can_complete": referral.user_handles and referral.state == ReferralState.ACCEPTED,
            "can_withdraw": (
                not referral.user_is_receiving and referral.is_open and access.WORK in perms
            ),
        },
    )


def _answer(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form],
    service: Callable[..., Referral],
    *,
    title: StrOrPromise,
    success: StrOrPromise,
    submit: StrOrPromise,
    receiving: bool = True,
    form_kwargs: Callable[[Referral], dict[str, Any]] | None = None,
) -> HttpResponse:
    """An answer to a referral: by the receiving side's supervisors or named worker, or (a
    withdrawal) by the sending side; `service(actor, referral, **data)`. `form_kwargs`,
    what the form needs of the referral, is read only once the answerer is allowed."""
    referral = referral_for_user(_user(request), pk)
    if referral.user_is_receiving != receiving:
        raise PermissionDenied
    if receiving and not referral.user_handles:
        raise PermissionDenied
    if not receiving and not may_withdraw(_user(request), referral):
        raise PermissionDenied
    if request.method == "GET" and referral.identifies:
        # A lazy title is fine: the log keeps it in the ward's language.
        access.log_form_read(_user(request), referral.case, cast(str, title))
    form = form_class(form_data(request), **(form_kwargs(referral) if form_kwargs else {}))
    return _form(
        request,
        form,
        lambda data: service(actor=_user(request), referral=referral, **data),
        title=title,
        referral=referral,
        success=success,
        submit=submit,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request,
        pk,
        AcceptForm,
        services.referral_accept,
        title=_lazy("つなぎを受理"),
        success=_lazy("つなぎを受理しました。"),
        submit=_lazy("受理する"),
        form_kwargs=_accept_choices,
    )


def _accept_choices(referral: Referral) -> dict[str, QuerySet[User]]:
    """Whom the receiving supervisor may assign: the receiving agency's workers."""
    return {"workers": selectors.receiving_workers(referral)}


@never_cache
@require_http_methods(["GET", "POST"])
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request,
        pk,
        DeclineForm,
        services.referral_decline,
        title=_lazy("つなぎをお断り"),
        success=_lazy("つなぎをお断りしました。"),
        submit=_lazy("お断りする"),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request,
        pk,
        CompleteForm,
        services.referral_complete,
        title=_lazy("つなぎを完了"),
        success=_lazy("つなぎを完了しました。"),
        submit=_lazy("完了する"),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request,
        pk,
        WithdrawForm,
        services.referral_withdraw,
        title=_lazy("つなぎを取り下げ"),
        success=_lazy("つなぎを取り下げました。紹介先の閲覧権限は取り消されました。"),
        submit=_lazy("取り下げる"),
        receiving=False,
    )
