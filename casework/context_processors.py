from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from casework import access, selectors
from casework.navigation import main_menu


def staff(request: HttpRequest) -> dict[str, object]:
    """The signed-in user's agency and role, and unread notifications, for every page.

    A page may render several templates with the request (the case page's panels): the
    unread count is asked of the database once per request, and only if a template shows it.
    """
    user = getattr(request, "user", None)
    membership = access.membership_of(user) if user is not None else None
    authenticated = user is not None and user.is_authenticated
    unread = getattr(request, "tsunagu_unread", None)
    if unread is None:
        unread = (
            SimpleLazyObject(lambda: selectors.unread_notification_count(user))  # type: ignore[arg-type]  # signed in
            if authenticated
            else 0
        )
        request.tsunagu_unread = unread  # type: ignore[attr-defined]  # once per request
    return {
        "membership": membership,
        "handles_cases": bool(membership and membership.handles_cases),
        # The role's menu, the entry of the page being shown marked (aria-current).
        "main_menu": SimpleLazyObject(lambda: main_menu(request, membership)),
        "unread_notifications": unread,
        # For the page's script: the idle timeout it warns of and keeps at bay while typing.
        "idle_seconds": settings.SESSION_IDLE_TIMEOUT_MINUTES * 60,
    }
