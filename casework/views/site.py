"""Signing in, the home page and the health check."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop
from django.views.decorators.http import require_GET, require_POST

from casework import access, extensions, services
from casework.forms import (
    LoginForm,
)
from casework.models import DraftKind, Role
from casework.pages import AuthenticatedHttpRequest, rendered_for


class LoginView(auth_views.LoginView):
    """The password step. Where the user's role requires the second factor, the user is
    not signed in here: the code's page (security.views.factor_step) does that."""

    authentication_form = LoginForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from directory import health

        return {**super().get_context_data(**kwargs), "directory_down": health.down_since()}

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        from security import factor
        from security import views as security_views

        user = form.get_user()
        if factor.required_for(user):
            return security_views.start(self.request, user, self.get_redirect_url())
        security_views.forget(self.request)
        # The session's clocks start with the sign-in (user_logged_in: casework.apps).
        return super().form_valid(form)


@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """「今日」: what waits for the user today, by role. The indicator officer's day starts at
    the dashboard; an account that sees no case information gets the welcome page."""
    membership = access.membership_of(request.user)
    if membership is not None and membership.role == Role.INDICATOR_OFFICER:
        return redirect("indicators:dashboard")
    if membership is None or not membership.handles_cases:
        return render(request, "casework/no_case_access.html", {"membership": membership})
    sections = extensions.today_sections(request.user, membership)
    notes = "".join(s.log_note for s in sections)
    access.log_list(
        request.user,
        what=_noop("今日") + notes,
        cases=[case for s in sections for case in s.cases],
        persons=[person for s in sections for person in s.persons],
        always=bool(notes),
    )
    return render(
        request,
        "casework/today.html",
        {"sections": sections, "membership": membership, "today": timezone.localdate()},
    )


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and compose: the database and the cache answer."""
    from django.core.cache import cache

    checks: dict[str, str] = {}
    try:
        connection.ensure_connection()
        checks["database"] = "ok"
    except Exception:  # the probe reports, never raises
        checks["database"] = "error"
    try:
        cache.set("healthz", "1", 5)
        checks["cache"] = "ok" if cache.get("healthz") == "1" else "error"
    except Exception:
        checks["cache"] = "error"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


def _same_origin(request: HttpRequest) -> bool:
    """Sent by a page of the app itself (the browser says so), not by another site."""
    if request.headers.get("Sec-Fetch-Site") == "same-origin":
        return True
    origin = request.headers.get("Origin")
    return origin is not None and origin == f"{request.scheme}://{request.get_host()}"


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with a stale CSRF token (the user signed in again in another tab, or the
    page was open across a sign-out). What was typed is kept as the user's draft and put
    back into the form, instead of Django's bare 403 page and the text gone."""
    if getattr(request, "tsunagu_csrf_probe", False):
        return HttpResponseForbidden()
    user = request.user
    # Kept only for the user the form was rendered for: a colleague who signed in on the
    # same browser meanwhile does not get another's text.
    if (
        request.method == "POST"
        and user.is_authenticated
        and _same_origin(request)
        and rendered_for(request)
    ):
        kept = services.draft_keep(
            user=user, path=request.path, data=request.POST, kind=DraftKind.LAPSED
        )
        if kept is not None:
            messages.info(
                request,
                _(
                    "画面の有効期限が切れたため、入力内容を下書きとして保存しました。"
                    "内容を確かめて、もう一度保存してください。"
                ),
            )
            return redirect(request.path)
    return render(
        request,
        "403_csrf.html",
        {"signed_in": user.is_authenticated, "login_url": resolve_url(settings.LOGIN_URL)},
        status=403,
    )


@require_POST
def session_keepalive(request: AuthenticatedHttpRequest) -> JsonResponse:
    """Typing counts as activity: the page's script calls this at most once a minute while
    the user types (SessionLifetimeMiddleware has already renewed the idle clock)."""
    return JsonResponse({"idle_seconds": settings.SESSION_IDLE_TIMEOUT_MINUTES * 60})


@require_POST
def draft_autosave(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A long form's script saves what is typed every 30 s, for the form at ?path=."""
    path = request.GET.get("path", "")
    kept = services.draft_keep(
        user=request.user, path=path, data=request.POST, kind=DraftKind.AUTOSAVE
    )
    return HttpResponse(status=204 if kept is not None else 400)


@require_POST
def draft_discard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Throw away the draft of the form at `path`, and go back to the (empty) form."""
    path = request.POST.get("path", "")
    local = url_has_allowed_host_and_scheme(path, allowed_hosts=None)
    if not local or not path.startswith("/"):
        path = reverse("casework:home")
    services.draft_discard(user=request.user, path=path)
    messages.info(request, _("下書きを破棄しました。"))
    return redirect(path)
