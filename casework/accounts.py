"""Accounts: whose account an admin manages, the password reset they issue, and the page where
a worker chooses a new password.

No one sets or reads another person's password in this app. A reset makes the worker's
password unusable at once (which also ends their open sessions: Django checks the password
hash on every request) and writes a PasswordReset row. The worker then chooses a new password
themselves, by one of two routes (docs/admin.md):

- a one-time link mailed to the worker's registered address (Django's
  PasswordResetTokenGenerator: the token is bound to the unusable password, so it stops
  working once used or once another reset is issued). Agency admins cannot change the
  address, so they cannot redirect the link to themselves.
- with no address, the account stays locked until the worker comes to the ward IT desk and
  types a password themselves into `manage.py changepassword`; at their next login this app
  makes them choose another one in private before any other page opens.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, get_user_model, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from casework import access, services
from casework.models import PasswordReset, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import User
else:
    User = get_user_model()

logger = logging.getLogger(__name__)

# An agency admin manages workers only: supervisors, agency admins and indicator officers
# are appointed by the system admin.
AGENCY_ADMIN_ROLES = (Role.CSW, Role.CONSULTATION)

# Set at login when the user has a reset still open; the middleware then opens only the
# password page. A reset issued later ends the session anyway (the password hash changes).
SESSION_FLAG = "tsunagu_must_change_password"


def manageable_users(actor: User) -> QuerySet[User]:
    """The accounts the actor administers: all for the system admin; for an agency admin,
    their agency's workers, never themselves, a supervisor or another admin."""
    users = User.objects.all()
    if actor.is_superuser:
        return users
    membership = access.membership_of(actor)
    if not actor.is_staff or membership is None or membership.role != Role.AGENCY_ADMIN:
        return users.none()
    return users.filter(
        membership__agency_id=membership.agency_id,
        membership__role__in=[r.value for r in AGENCY_ADMIN_ROLES],
        is_superuser=False,
        is_staff=False,
    ).exclude(pk=actor.pk)


def may_reset(actor: User, worker: User) -> bool:
    # One's own password is changed on the password page, knowing the old one.
    return worker.pk != actor.pk and manageable_users(actor).filter(pk=worker.pk).exists()


def cooloff_minutes() -> int:
    """How long a sign-in stays paused after too many failures (AXES_COOLOFF_MINUTES)."""
    return round(settings.AXES_COOLOFF_TIME * 60)


def is_locked_out(worker: User) -> bool:
    """Is signing in as `worker` paused now (too many failures, the pause not over)?"""
    from axes.models import AccessAttempt

    since = timezone.now() - datetime.timedelta(minutes=cooloff_minutes())
    return AccessAttempt.objects.filter(
        username=worker.get_username(),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=since,
    ).exists()


def lockout_lift(*, actor: User, worker: User) -> int:
    """Lift the pause on signing in as `worker` at once: an agency admin for their own
    staff (whom they may reset), the system admin for anyone. Returns how many failed-attempt
    records were cleared."""
    from axes.utils import reset

    if not may_reset(actor, worker):
        raise PermissionDenied
    from security import events
    from security.models import EventKind

    cleared = reset(username=worker.get_username())
    events.record(EventKind.UNLOCK, actor=actor, subject=worker, detail=str(cleared))
    return cleared


def must_change_password(user: User) -> bool:
    return PasswordReset.objects.filter(worker=user, completed_at__isnull=True).exists()


@transaction.atomic
def password_reset_issue(*, actor: User, worker: User, new_account: bool = False) -> PasswordReset:
    """Lock the worker's password and let only the worker choose a new one."""
    if not may_reset(actor, worker):
        raise PermissionDenied
    worker = User.objects.select_for_update().get(pk=worker.pk)
    worker.set_unusable_password()
    worker.save(update_fields=["password"])
    reset = PasswordReset(
        worker=worker, issued_by=actor, new_account=new_account, sent_to=worker.email or ""
    )
    reset.full_clean()
    reset.save()
    from security import events
    from security.models import EventKind

    events.record(
        EventKind.PASSWORD_RESET,
        actor=actor,
        subject=worker,
        detail="リンクをメールで送付" if reset.sent_to else "情報システム担当の窓口で設定",
    )
    when = timezone.localtime(reset.issued_at)
    services.notification_send(
        recipients=[worker],
        message=_(
            "%(when)s、%(admin)sがあなたのパスワードをリセットしました。"
            "心当たりがない場合は、区の情報システム担当に連絡してください。"
        )
        % {"when": f"{when:%Y-%m-%d %H:%M}", "admin": _staff_name(actor)},
    )
    if reset.sent_to:
        # The token is made from the new, unusable password: it is valid for this reset only.
        link = settings.TSUNAGU_BASE_URL.rstrip("/") + reverse(
            "password_reset_link",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(worker.pk)),
                "token": default_token_generator.make_token(worker),
            },
        )
        address = reset.sent_to
        transaction.on_commit(lambda: _send_link(address, link, new_account=new_account))
    return reset


@transaction.atomic
def password_set_by_worker(*, worker: User, form: SetPasswordForm[User]) -> int:
    """Save the password the worker chose (a bound, valid Django password form) and close
    their open resets."""
    form.save()
    return PasswordReset.objects.filter(worker=worker, completed_at__isnull=True).update(
        completed_at=timezone.now()
    )


def _staff_name(user: User) -> str:
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()


def _send_link(address: str, link: str, *, new_account: bool) -> None:
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    subject = _("【つなぐ】パスワードの設定") if new_account else _("【つなぐ】パスワードの再設定")
    body = _(
        "つなぐのパスワードを設定するには、%(days)s日以内に次のリンクを開いてください。"
        "リンクは一度だけ使えます。\n\n%(link)s\n\n"
        "心当たりがない場合は、リンクを開かずに区の情報システム担当に連絡してください。"
    ) % {"days": days, "link": link}
    try:
        send_mail(subject, body, None, [address])
    except Exception:
        # The reset itself stands (the old password is already void); the admin issues it
        # again once mail works. Never log the link: it is the worker's key.
        logger.exception("password reset link could not be mailed")


class PasswordChangeRequiredMiddleware:
    """After a reset, the worker's first session opens only the password page (and logout,
    the language switch and static files) until they have chosen a new password."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        before = request.session.get(SESSION_KEY) if signed_in else None
        if signed_in and request.session.get(SESSION_FLAG) and not self._open(request):
            return redirect("password_change")
        response = self.get_response(request)
        after = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        # Someone signed in during this request: one query, once per session.
        signed_in_now = after and after != before and request.user.is_authenticated
        if signed_in_now and must_change_password(cast("User", request.user)):
            request.session[SESSION_FLAG] = True
        return response

    @staticmethod
    def _open(request: HttpRequest) -> bool:
        path = request.path_info
        return path in (reverse("password_change"), reverse("logout")) or path.startswith(
            ("/i18n/", "/" + settings.STATIC_URL.lstrip("/"))
        )


@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)  # signed in: LoginRequiredMiddleware
    from directory.models import DirectoryAccount

    if DirectoryAccount.objects.filter(user_id=user.pk).exists():
        # The directory keeps this user's password: Tsunagu never accepts a local one.
        return render(
            request,
            "casework/password_change.html",
            {"form": None, "directory": True, "title": _("パスワードの変更")},
        )
    required = bool(request.session.get(SESSION_FLAG))
    # After a reset the worker signs in with the password they set at the IT desk, so they
    # know it; a session with no usable password (single sign-on, tests) sets one directly.
    form_class = PasswordChangeForm if user.has_usable_password() else SetPasswordForm
    form = form_class(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_set_by_worker(worker=user, form=form)
        update_session_auth_hash(request, form.user)
        request.session.pop(SESSION_FLAG, None)
        messages.success(request, _("新しいパスワードを設定しました。"))
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "casework/password_change.html",
        {"form": form, "required": required, "title": _("パスワードの変更")},
    )


class PasswordResetLinkView(auth_views.PasswordResetConfirmView):
    """The mailed link: Django's own confirm view, valid only while the reset is open."""

    template_name = "casework/password_change.html"
    success_url = reverse_lazy("login")

    def get_user(self, uidb64: str) -> User | None:
        user = super().get_user(uidb64)
        if user is not None and not must_change_password(user):
            return None
        return user

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        # Django's form_valid would save the form a second time, outside the transaction.
        password_set_by_worker(worker=self.user, form=form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("新しいパスワードを設定しました。ログインしてください。"))
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("パスワードの設定")
        context["link"] = True
        return context
