"""Reading the security log: the system admin reads all of it, an agency admin the events
about their own agency's staff (the agency the account belonged to at the event)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from security.models import SecurityEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def may_review(user: User) -> bool:
    from casework import access
    from casework.models import Role

    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    membership = access.membership_of(user)
    return bool(user.is_staff and membership and membership.role == Role.AGENCY_ADMIN)


def events_visible_to(user: User) -> QuerySet[SecurityEvent]:
    from casework import access

    events = SecurityEvent.objects.select_related("actor", "subject", "agency")
    if user.is_superuser:
        return events
    membership = access.membership_of(user)
    if not may_review(user) or membership is None:
        return events.none()
    return events.filter(agency_id=membership.agency_id)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filtered(events: QuerySet[SecurityEvent], data: dict[str, Any]) -> QuerySet[SecurityEvent]:
    if data.get("kind"):
        events = events.filter(kind=data["kind"])
    if data.get("result"):
        events = events.filter(result=data["result"])
    if data.get("username"):
        name = data["username"].strip()
        events = events.filter(
            Q(username=name) | Q(actor__username=name) | Q(subject__username=name)
        )
    if data.get("address"):
        events = events.filter(address=data["address"].strip())
    if data.get("date_from"):
        events = events.filter(at__gte=_day_start(data["date_from"]))
    if data.get("date_to"):
        events = events.filter(at__lt=_day_start(data["date_to"] + datetime.timedelta(days=1)))
    return events.order_by("-at", "-pk")


def staff_factors(user: User) -> QuerySet[Any]:
    """Every account with whether it has an authenticator, for the system admin."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not user.is_superuser:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.select_related("membership__agency")
        .annotate(has_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .order_by("username")
    )
