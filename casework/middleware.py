"""The absolute session lifetime. The idle timeout is Django's own: SESSION_COOKIE_AGE with
SESSION_SAVE_EVERY_REQUEST renews the session on each request and lets it lapse when idle."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import middleware as auth_middleware
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

SESSION_KEY = "tsunagu_login_at"


def mark_login(request: HttpRequest) -> None:
    """Start the absolute lifetime at login (called by the login view)."""
    request.session[SESSION_KEY] = int(time.time())


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Default deny: every page needs a signed-in user unless its view is marked
    `login_not_required` (sign-in, sign-out, the password link, the language switch,
    /healthz). The admin's pages (its URL namespace) are left to the admin, which lets only
    staff in and sends everyone else to its own sign-in page."""

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[Any, Any],
    ) -> HttpResponseBase | None:
        match = getattr(request, "resolver_match", None)
        if match is not None and "admin" in match.namespaces:
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(SESSION_KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_HOURS * 3600:
                logout(request)
                messages.info(
                    request, _("ログインから時間が経ったため、もう一度ログインしてください。")
                )
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class LanguageMiddleware:
    """Japanese unless the user chose another language with the switcher (its cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language; the ward's
    screens are Japanese by default whatever the browser says.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class PrivateResponseMiddleware:
    """Pages for signed-in staff hold personal data: no browser or proxy may keep them
    (shared ward PCs, the Back button after logout). A Content-Security-Policy allows only
    what the app itself serves."""

    CSP = (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = "no-store, private"
        response.headers.setdefault("Content-Security-Policy", self.CSP)
        return response


# C0 (NUL, tab and newline included), DEL and C1: nothing a search box or a link of the app
# sends in a parameter, and PostgreSQL refuses a NUL outright.
_CONTROL_CHARACTER = re.compile("[\x00-\x1f\x7f-\x9f]")


class RequestInputMiddleware:
    """Refuse, with a plain 400 page, input that no screen of the app sends, before any view
    puts it into a query: a query-string key or value with a control character, a value
    longer than any field of the app takes, too many parameters; a form key with a control
    character. Form values are checked by the forms, next to the field (Django's CharField
    refuses a NUL; every text field has a max_length)."""

    MAX_PARAMETERS = 100
    MAX_KEY_LENGTH = 100
    MAX_VALUE_LENGTH = 1000

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not self._acceptable(request):
            return render(
                request,
                "400.html",
                {"reason": _("入力に使えない文字が含まれているか、入力が長すぎます。")},
                status=400,
            )
        return self.get_response(request)

    def _acceptable(self, request: HttpRequest) -> bool:
        query = request.GET
        if len(query) > self.MAX_PARAMETERS:
            return False
        for key, values in query.lists():
            if not self._key_ok(key):
                return False
            for value in values:
                if len(value) > self.MAX_VALUE_LENGTH or _CONTROL_CHARACTER.search(value):
                    return False
        if request.method == "POST" and not all(self._key_ok(key) for key in request.POST):
            return False
        # The admin's `_to_field` names a field; an empty one is no field, and Django's
        # admin fails on it (it refuses a field it does not allow with a 400 already).
        return "" not in query.getlist("_to_field") + request.POST.getlist("_to_field")

    def _key_ok(self, key: str) -> bool:
        return len(key) <= self.MAX_KEY_LENGTH and not _CONTROL_CHARACTER.search(key)
