"""The absolute session lifetime. The idle timeout is Django's own: SESSION_COOKIE_AGE with
SESSION_SAVE_EVERY_REQUEST renews the session on each request and lets it lapse when idle."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.translation import gettext as _

SESSION_KEY = "tsunagu_login_at"


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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
