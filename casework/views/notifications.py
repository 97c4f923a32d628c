"""The notification list."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from casework import access, selectors, services
from casework.pages import AuthenticatedHttpRequest, page_of


@require_GET
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = page_of(request, selectors.notifications_for(request.user), 30)
    return render(request, "casework/notifications.html", {"page": page})


@require_POST
def notifications_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    raw = request.POST.get("id")
    services.notifications_mark_read(
        actor=request.user, notification_id=access.parse_id(raw) if raw else None
    )
    target = request.POST.get("next", "")
    # Only a path inside the app: never an open redirect.
    if not target.startswith("/") or target.startswith("//"):
        target = reverse("casework:notifications")
    return redirect(target)


@require_GET
def notification_open(request, pk):
    """Open a notification: it is read now, and the browser goes where it leads."""
    notification = access.notification_for_user(request.user, pk)
    services.notifications_mark_read(actor=request.user, notification_id=notification.pk)
    target = notification.url
    local = url_has_allowed_host_and_scheme(target, allowed_hosts=None)
    if not local or not target.startswith("/"):
        target = reverse("casework:notifications")
    return redirect(target)
