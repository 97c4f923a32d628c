"""Thin views for referrals: authorize through casework.access, call one service."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import gettext_noop as _noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casework import access
from casework.models import AccessLog
from casework.pages import form_page, page_of
from referrals import selectors, services
from referrals.access_rules import mark_identities, may_withdraw, referral_for_user
from referrals.forms import AcceptForm, CompleteForm, DeclineForm, ReferralForm, WithdrawForm
from referrals.models import ReferralState, Scope


def _form(request, form, save, *, title, referral=None, case=None, success, submit):
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
            "case": case or referral.case,
            "submit": submit,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def send(request, pk):
    case = access.case_for_user(request.user, pk, access.WORK)
    if request.method == "GET":
        # The form lists the case's contact records to choose from.
        access.log_form_read(request.user, case, _noop("他機関へつなぐ(経過記録の選択)"))
    form = ReferralForm(request.POST or None, case=case)
    return _form(
        request,
        form,
        lambda data: services.referral_send(actor=request.user, case=case, **data),
        title=_("他機関へつなぐ"),
        case=case,
        success=_("つなぎを送りました。紹介先の回答を待っています。"),
        submit=_("つなぐ"),
    )


@require_GET
def inbox(request):
    return _box(request, selectors.inbox(request.user), "inbox", _noop("受け取ったつなぎ"))


def _box(request, referrals, box: str, what: str):
    page = page_of(request, referrals)
    page.object_list = mark_identities(request.user, page.object_list)
    access.log_list(
        request.user, what=what, cases=[r.case for r in page.object_list if r.identifies]
    )
    return render(request, "referrals/list.html", {"page": page, "box": box})


@require_GET
def outbox(request):
    return _box(request, selectors.outbox(request.user), "outbox", _noop("送ったつなぎ"))


@never_cache
@require_GET
def detail(request, pk):
    referral = referral_for_user(request.user, pk)
    perms = referral.user_perms
    if referral.identifies:
        access.log_access(
            request.user,
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
    request, pk, form_class, service, *, title, success, submit, receiving=True, form_kwargs=None
):
    """An answer to a referral: by the receiving side's supervisors or named worker, or (a
    withdrawal) by the sending side; `service(actor, referral, **data)`. `form_kwargs`,
    what the form needs of the referral, is read only once the answerer is allowed."""
    referral = referral_for_user(request.user, pk)
    if referral.user_is_receiving != receiving:
        raise PermissionDenied
    if receiving and not referral.user_handles:
        raise PermissionDenied
    if not receiving and not may_withdraw(request.user, referral):
        raise PermissionDenied
    if request.method == "GET" and referral.identifies:
        access.log_form_read(request.user, referral.case, title)
    form = form_class(request.POST or None, **(form_kwargs(referral) if form_kwargs else {}))
    return _form(
        request,
        form,
        lambda data: service(actor=request.user, referral=referral, **data),
        title=title,
        referral=referral,
        success=success,
        submit=submit,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request, pk):
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


def _accept_choices(referral) -> dict:
    """Whom the receiving supervisor may assign: the receiving agency's workers."""
    return {"workers": selectors.receiving_workers(referral)}


@never_cache
@require_http_methods(["GET", "POST"])
def decline(request, pk):
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
def complete(request, pk):
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
def withdraw(request, pk):
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
