"""The factor's pages (the second step of signing in, enrolment, one's own codes), the
system admin's factor reset, and the security log's review page."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, cast

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from security import events, factor, selectors
from security.forms import CodeForm, EnrolForm, LogFilterForm, RenewForm, ResetForm
from security.models import EventKind, EventResult
from security.signals import FACTOR_USED

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The password step's result, waiting for the code: who, by which backend, since when.
PENDING = "tsunagu_factor_pending"
PENDING_SECONDS = 300
PENDING_TRIES = 5
TOO_MANY = gettext_lazy("確認コードの誤りが続いたため、もう一度ログインしてください。")


def start(request: HttpRequest, user: Any, next_url: str) -> HttpResponse:
    """After the password: not signed in yet; the code's page takes over."""
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        # A password changed or reset between the two steps voids the first.
        "hash": user.get_session_auth_hash(),
        "at": int(time.time()),
        "next": next_url,
        "tries": 0,
    }
    return redirect("security:factor")


def forget(request: HttpRequest) -> None:
    """A sign-in that needs no code ends any half-finished one of this browser."""
    request.session.pop(PENDING, None)


def _pending_user(request: HttpRequest) -> tuple[Any, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None or user.get_session_auth_hash() != pending.get("hash"):
        return None
    return user, pending


def _wrong_code(request: HttpRequest, user: Any, pending: dict[str, Any]) -> bool:
    """Count and log a wrong code; True when the tries are used up."""
    pending["tries"] += 1
    request.session[PENDING] = pending
    events.record(
        EventKind.FACTOR_FAILED,
        result=EventResult.FAILURE,
        request=request,
        actor=None,
        subject=user,
    )
    return pending["tries"] >= PENDING_TRIES


def _back_to_login(request: HttpRequest, message: Any) -> HttpResponse:
    request.session.pop(PENDING, None)
    messages.info(request, message)
    return redirect(settings.LOGIN_URL)


def _next(request: HttpRequest, pending: dict[str, Any]) -> str:
    target = pending.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _sign_in(request: HttpRequest, user: Any, pending: dict[str, Any], verified: Any, how: str):
    setattr(request, FACTOR_USED, how)
    auth_login(request, user, backend=pending["backend"])
    django_otp.login(request, verified)
    request.session.pop(PENDING, None)


@login_not_required
@never_cache  # the enrolment's secret and QR code, the recovery codes: never kept
@require_http_methods(["GET", "POST"])
def factor_step(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the code, or the enrolment at the first sign-in."""
    found = _pending_user(request)
    if found is None:
        return _back_to_login(request, _("時間が経ったため、もう一度ログインしてください。"))
    user, pending = found
    if factor.authenticator_of(user) is None:
        return _enrol(request, user, pending)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _not_throttled(form, user):
        verified = factor.verify(user, form.cleaned_data["code"])
        if verified is not None:
            how = factor.FACTOR_RECOVERY if verified.recovery else factor.FACTOR_TOTP
            if verified.recovery:
                events.record(
                    EventKind.RECOVERY_CODE_USED,
                    request=request,
                    actor=user,
                    subject=user,
                    detail=str(verified.recovery_left),
                )
            _sign_in(request, user, pending, verified.device, how)
            if verified.recovery:
                messages.warning(
                    request,
                    _("予備コードでログインしました。残りの予備コードは%(n)s個です。")
                    % {"n": verified.recovery_left},
                )
            return redirect(_next(request, pending))
        if _wrong_code(request, user, pending):
            return _back_to_login(request, TOO_MANY)
        form.add_error("code", _("確認コードが正しくありません。"))
    return render(request, "security/factor.html", {"form": form, "title": _("確認コード")})


def _not_throttled(form: Any, user: Any) -> bool:
    """After a wrong code django-otp refuses the next for a while (doubling): say so, next
    to the field, rather than calling a right code wrong."""
    wait = factor.wait_seconds(factor.device_for(user, form.cleaned_data["code"]))
    if wait:
        form.add_error(
            "code",
            _("確認コードの誤りが続いたため、あと%(seconds)s秒待ってから入力してください。")
            % {"seconds": wait},
        )
    return not wait


def _enrol(request: HttpRequest, user: Any, pending: dict[str, Any]) -> HttpResponse:
    device = factor.enrolment_device(user, pending.get("device"))
    if pending.get("device") != device.pk:
        pending["device"] = device.pk
        request.session[PENDING] = pending
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _not_throttled(form, user):
        codes = factor.enrol(user, device, form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            _sign_in(request, user, pending, device, factor.FACTOR_TOTP)
            return _show_codes(request, codes, _next(request, pending))
        if _wrong_code(request, user, pending):
            return _back_to_login(request, TOO_MANY)
        form.add_error(
            "code",
            _("確認コードが正しくありません。アプリの時刻が正しいか確かめてください。"),
        )
    return render(
        request,
        "security/enrol.html",
        {
            "form": form,
            "title": _("二要素認証の登録"),
            "qr_svg": factor.qr_svg(device),
            "secret": factor.secret_text(device),
        },
    )


def _show_codes(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    return render(
        request,
        "security/recovery_codes.html",
        {"codes": codes, "next_url": next_url, "title": _("予備コード")},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def my_factor(request: HttpRequest) -> HttpResponse:
    """One's own factor: since when, how many recovery codes are left, new codes."""
    user = request.user
    device = factor.authenticator_of(user)
    form = RenewForm(request.POST or None)
    if (
        request.method == "POST"
        and device is not None
        and form.is_valid()
        and _not_throttled(form, user)
    ):
        codes = factor.recovery_codes_renew(user, form.cleaned_data["code"])
        if codes is not None:
            return _show_codes(request, codes, resolve_url(settings.LOGIN_REDIRECT_URL))
        form.add_error("code", _("確認コードが正しくありません。"))
    return render(
        request,
        "security/my_factor.html",
        {
            "form": form,
            "device": device,
            "required": factor.required_for(user),
            "codes_left": factor.recovery_codes_left(user),
            "title": _("二要素認証"),
        },
    )


def _system_admin(request: HttpRequest) -> User:
    user = cast("User", request.user)
    if not factor.may_reset(user):
        raise PermissionDenied
    return user


@require_http_methods(["GET"])
def factors(request: HttpRequest) -> HttpResponse:
    """The system admin's list: who has an authenticator; a reset per account."""
    admin = _system_admin(request)
    query = request.GET.get("q", "").strip()[:150]
    accounts = selectors.staff_factors(admin)
    if query:
        accounts = accounts.filter(username__icontains=query)
    page = Paginator(accounts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "security/factors.html",
        {"page": page, "q": query, "title": _("二要素認証の管理")},
    )


@require_http_methods(["GET", "POST"])
def factor_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    admin = _system_admin(request)
    account = get_object_or_404(get_user_model(), pk=user_id)
    if account.pk == admin.pk:
        raise PermissionDenied
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        factor.factor_reset(actor=admin, user=account, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("%(name)sの二要素認証をリセットしました。本人に通知しました。")
            % {"name": account.get_username()},
        )
        return redirect("security:factors")
    return render(
        request,
        "security/factor_reset.html",
        {
            "form": form,
            "account": account,
            "has_factor": factor.authenticator_of(account) is not None,
            "title": _("二要素認証のリセット"),
        },
    )


@require_http_methods(["GET"])
def security_log(request: HttpRequest) -> HttpResponse:
    """The security log: everything for the system admin, their own staff's for an agency
    admin; filtered by kind, result, user name, address and dates; newest first."""
    user = cast("User", request.user)
    if not selectors.may_review(user):
        raise PermissionDenied
    form = LogFilterForm(request.GET or None)
    rows = selectors.events_visible_to(user)
    if form.is_bound and form.is_valid():
        rows = selectors.filtered(rows, form.cleaned_data)
    elif form.is_bound:
        rows = rows.none()
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "security/log.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "everything": user.is_superuser,
            "title": _("セキュリティ記録"),
        },
    )
