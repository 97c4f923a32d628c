"""Sessions: the idle timeout and the absolute lifetime; default deny; the language; what a
response may be cached as; input no screen sends."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import middleware as auth_middleware
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render, resolve_url
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _noop

from casework.models.drafts import DraftKind

SESSION_KEY = "tsunagu_login_at"
SEEN_KEY = "tsunagu_seen_at"
# The idle clock is written to the session at most this often (seconds), not on every request.
TOUCH_EVERY = 30


def mark_login(request: HttpRequest) -> None:
    """Start the absolute lifetime and the idle clock at login (called by the login view)."""
    now = int(time.time())
    request.session[SESSION_KEY] = now
    request.session[SEEN_KEY] = now


def _csrf_passes(request: HttpRequest) -> bool:
    """Would Django's CSRF check let this POST through? Asked before the view is reached,
    so that what a lapsed session sent is kept only when the user's own page sent it."""
    request.tsunagu_csrf_probe = True  # type: ignore[attr-defined]  # csrf_failure answers plainly
    check = CsrfViewMiddleware(lambda r: HttpResponse())
    no_view: Any = None  # no view is asked about, so none is csrf_exempt
    try:
        return check.process_view(request, no_view, (), {}) is None
    finally:
        request.tsunagu_csrf_probe = False  # type: ignore[attr-defined]


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
    """The idle timeout (SESSION_IDLE_TIMEOUT_MINUTES since the last request) and the
    absolute lifetime (SESSION_ABSOLUTE_HOURS since login). A form sent after either has
    ended is not lost: what it held is kept as the user's draft and put back into the form
    after they sign in again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(SESSION_KEY, now)
            seen = request.session.setdefault(SEEN_KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_HOURS * 3600:
                return self._ended(
                    request,
                    _("ログインから時間が経ったため、もう一度ログインしてください。"),
                    _noop("ログインからの上限時間"),
                )
            if now - seen > settings.SESSION_IDLE_TIMEOUT_MINUTES * 60:
                return self._ended(
                    request,
                    _("一定時間操作がなかったため、ログアウトしました。"),
                    _noop("無操作"),
                )
            if now - seen >= min(TOUCH_EVERY, settings.SESSION_IDLE_TIMEOUT_MINUTES * 15):
                request.session[SEEN_KEY] = now
        return self.get_response(request)

    def _ended(self, request: HttpRequest, why: str, log_reason: str) -> HttpResponseBase:
        from casework import services  # the services import the models: not at load time
        from casework.pages import rendered_for
        from security.models import EventKind
        from security.signals import LOGOUT_REASON

        match = getattr(request, "resolver_match", None) or _resolve(request.path)
        if match is not None and match.url_name in BACKGROUND_VIEWS:
            # The page's own script (keep-alive, autosave) does not end the session: the
            # form's next real sending does, and keeps what it holds.
            return JsonResponse({"ended": True}, status=401)
        user = request.user
        kept = None
        own_form = rendered_for(request) is not False  # no token, or one rendered for them
        if request.method == "POST" and own_form and _csrf_passes(request):
            kept = services.draft_keep(
                user=user,  # type: ignore[arg-type]  # signed in: checked by the caller
                path=request.path,
                data=request.POST,
                kind=DraftKind.LAPSED,
            )
        setattr(request, LOGOUT_REASON, (EventKind.TIMEOUT, log_reason))
        logout(request)
        if kept is not None:
            why = _(
                "セッションが切れたため、入力内容を下書きとして保存しました。"
                "もう一度ログインすると、入力した内容が画面に戻ります。"
            )
        messages.info(request, why)
        if request.method != "POST":
            back = request.get_full_path()
        elif kept is not None:
            back = request.path  # the form, where the draft comes back
        else:
            back = _local_referer(request)  # a button's POST: the page it was on
        return redirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': back})}")


# The views the page's script calls in the background (casework.urls names).
BACKGROUND_VIEWS = {"session_keepalive", "draft_autosave"}


def _resolve(path: str) -> Any:
    try:
        return resolve(path)
    except Resolver404:
        return None


def _local_referer(request: HttpRequest) -> str:
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        path = urlsplit(referer).path
        if path:
            return path
    return resolve_url("casework:home")


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


class MethodNotAllowedPageMiddleware:
    """A POST-only address opened with GET (a bookmark, a reload, a pasted link) answers 405
    with a page of the app that says what happened and leads back, instead of Django's
    empty response. The status and the Allow header stay as they were."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        empty = not getattr(response, "content", b"")
        if (
            response.status_code != 405
            or not empty
            or request.method not in ("GET", "HEAD")
            or "POST" not in response.headers.get("Allow", "")
        ):
            return response
        back = _page_above(request.path_info)
        if back:
            # Under a sub-path deployment the link keeps the prefix.
            back = request.path[: len(request.path) - len(request.path_info)] + back
        page = render(request, "405.html", {"back": back}, status=405)
        if "Allow" in response.headers:
            page.headers["Allow"] = response.headers["Allow"]
        return page


def _page_above(path: str) -> str:
    """The page an action belongs to: /plans/12/approve/ → /plans/12/, if it is a page."""
    from django.urls import Resolver404, resolve

    parent = path.rstrip("/").rsplit("/", 1)[0] + "/"
    if parent == path or parent == "/":
        return ""
    try:
        resolve(parent)
    except Resolver404:
        return ""
    return parent
