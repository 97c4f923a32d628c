"""Signing in, the home page and the health check."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from casework import middleware
from casework.forms import (
    LoginForm,
)


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        middleware.mark_login(self.request)
        return response


def home(request: HttpRequest) -> HttpResponse:
    return redirect("casework:my_cases")


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
