"""Reads of the notification list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from casework.models import (
    Notification,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_notification_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
