from django.conf import settings

from casework import access, selectors


def staff(request):
    """The signed-in user's agency and role, and unread notifications, for every page."""
    user = getattr(request, "user", None)
    membership = access.membership_of(user) if user is not None else None
    authenticated = user is not None and user.is_authenticated
    return {
        "membership": membership,
        "handles_cases": bool(membership and membership.handles_cases),
        "unread_notifications": (selectors.unread_notification_count(user) if authenticated else 0),
        # For the page's script: the idle timeout it warns of and keeps at bay while typing.
        "idle_seconds": settings.SESSION_IDLE_TIMEOUT_MINUTES * 60,
    }
