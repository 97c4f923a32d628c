"""The previous sign-in (home pages) and the factor's state (the login page)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest

from security import factor
from security.signals import PREVIOUS_SIGN_IN


def security(request: HttpRequest) -> dict[str, Any]:
    previous: dict[str, Any] | None = None
    session = getattr(request, "session", None)
    if session is not None and request.user.is_authenticated:
        stored = session.get(PREVIOUS_SIGN_IN)
        if stored is not None:
            previous = {"first": True}
            if stored:
                previous = {
                    "at": datetime.datetime.fromisoformat(stored["at"]),
                    "address": stored["address"],
                }
    return {"previous_sign_in": previous, "second_factor_off": factor.off_somewhere}
