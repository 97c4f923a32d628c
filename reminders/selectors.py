"""Reads of the reminders app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count

from casework import access
from casework.models import Role

from .models import AgencyReminderSettings, ChannelPreference, Reminder

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def channels_of(user: User) -> ChannelPreference:
    return ChannelPreference.objects.filter(user=user).first() or ChannelPreference(user=user)


def agency_settings_of(user: User) -> AgencyReminderSettings | None:
    """The settings of a supervisor's agency (defaults when none are saved); None otherwise."""
    membership = access.membership_of(user)
    if membership is None or membership.role != Role.SUPERVISOR:
        return None
    return AgencyReminderSettings.objects.filter(
        agency_id=membership.agency_id
    ).first() or AgencyReminderSettings(agency_id=membership.agency_id)


def my_reminder_counts(user: User) -> dict[str, int]:
    """How many of the user's reminders are in each state."""
    return dict(
        Reminder.objects.filter(recipient=user)
        .values("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
