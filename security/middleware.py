"""The request for the security log's signals, and the second factor's guard."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from security import events, factor


class RequestContextMiddleware:
    """Makes the request known to security.events while it is served."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = events.current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            events.current_request.reset(token)


class SecondFactorMiddleware:
    """A session signed in without the factor its role requires ends here (after
    django_otp's OTPMiddleware, which tells whether the session's device still exists: a
    factor reset by the system admin ends the sessions verified with it). The login page
    itself never signs in such a user (security.views); this guards every other way in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = request.user
        verified = getattr(user, "is_verified", None)  # django_otp's OTPMiddleware adds it
        if user.is_authenticated and factor.required_for(user) and not (verified and verified()):
            from security.models import EventKind
            from security.signals import LOGOUT_REASON

            setattr(request, LOGOUT_REASON, (EventKind.LOGOUT, "二要素認証なしのセッション"))
            logout(request)
            messages.info(request, _("二要素認証の確認が必要です。もう一度ログインしてください。"))
            return redirect(settings.LOGIN_URL)
        return self.get_response(request)
