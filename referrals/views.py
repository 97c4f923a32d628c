"""Thin views for referrals: authorize through casework.access, call one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casework import access
from casework.models import AccessLog
from casework.views import apply_errors
from referrals import selectors, services
from referrals.access_rules import referral_for_user
from referrals.forms import AcceptForm, CompleteForm, DeclineForm, ReferralForm, WithdrawForm
from referrals.models import ReferralState, Scope

PAGE_SIZE = 25


def _form(request, form, save, *, title, referral=None, case=None, success, submit):
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "referrals/form.html",
        {
            "form": form,
            "title": title,
            "referral": referral,
            "case": case or referral.case,
            "submit": submit,
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def send(request, pk):
    case = access.case_for_user(request.user, pk, access.WORK)
    if request.method == "GET":
        # The form lists the case's contact records to choose from.
        access.log_access(
            request.user,
            person=case.person,
            case=case,
            action=AccessLog.Action.VIEW_CASE,
            detail="referral form",
        )
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


@login_required
@require_GET
def inbox(request):
    access.require_case_role(request.user)
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "referrals/list.html", {"page": page, "box": "inbox"})


@login_required
@require_GET
def outbox(request):
    access.require_case_role(request.user)
    page = Paginator(selectors.outbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "referrals/list.html", {"page": page, "box": "outbox"})


@login_required
@never_cache
@require_GET
def detail(request, pk):
    referral = referral_for_user(request.user, pk)
    perms = referral.user_perms
    accepted_here = referral.user_is_receiving and referral.state == ReferralState.ACCEPTED
    # What the receiving side sees is what the sender shared, and only once accepted.
    show_shared = not referral.user_is_receiving or (
        accepted_here and bool(perms & {access.VIEW, access.SUMMARY})
    )
    show_shared = show_shared and referral.identifies
    if referral.identifies:
        access.log_access(
            request.user,
            person=referral.case.person,
            case=referral.case,
            action=AccessLog.Action.VIEW_CASE,
            detail=f"referral {referral.pk}",
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
                if show_shared and referral.scope == Scope.SUMMARY
                else []
            ),
            "show_shared": show_shared,
            "can_open_case": access.VIEW in perms,
            "can_answer": referral.user_is_receiving and referral.state == ReferralState.SENT,
            "can_complete": accepted_here,
            "can_withdraw": (
                not referral.user_is_receiving and referral.is_open and access.WORK in perms
            ),
        },
    )


def _answer_view(form_class, service, *, title, success, submit, receiving=True, kwargs=None):
    @login_required
    @never_cache
    @require_http_methods(["GET", "POST"])
    def view(request, pk):
        referral = referral_for_user(request.user, pk)
        if referral.user_is_receiving != receiving:
            raise PermissionDenied
        extra = kwargs(referral) if kwargs else {}
        form = form_class(request.POST or None, **extra)
        return _form(
            request,
            form,
            lambda data: service(actor=request.user, referral=referral, **data),
            title=title,
            referral=referral,
            success=success,
            submit=submit,
        )

    return view


accept = _answer_view(
    AcceptForm,
    services.referral_accept,
    title=_("つなぎを受理"),
    success=_("つなぎを受理しました。"),
    submit=_("受理する"),
    kwargs=lambda referral: {"workers": selectors.receiving_workers(referral)},
)
decline = _answer_view(
    DeclineForm,
    services.referral_decline,
    title=_("つなぎをお断り"),
    success=_("つなぎをお断りしました。"),
    submit=_("お断りする"),
)
complete = _answer_view(
    CompleteForm,
    services.referral_complete,
    title=_("つなぎを完了"),
    success=_("つなぎを完了しました。"),
    submit=_("完了する"),
)
withdraw = _answer_view(
    WithdrawForm,
    services.referral_withdraw,
    title=_("つなぎを取り下げ"),
    success=_("つなぎを取り下げました。紹介先の閲覧権限は取り消されました。"),
    submit=_("取り下げる"),
    receiving=False,
)
