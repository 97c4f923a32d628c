from __future__ import annotations

from typing import TYPE_CHECKING

from celery.schedules import ParseException
from django.contrib import admin
from django_celery_beat.admin import CrontabScheduleAdmin
from django_celery_beat.models import CrontabSchedule

from .models import AgencyReminderSettings, ChannelPreference, Reminder

if TYPE_CHECKING:
    from django.http import HttpRequest

admin.site.unregister(CrontabSchedule)


@admin.register(CrontabSchedule)
class ReadableCrontabScheduleAdmin(CrontabScheduleAdmin):
    """django-celery-beat's own, except that a form shown again with a wrong value (say a
    minute of -1) shows no description instead of failing on it (celery's ParseException
    is no ValueError, which is all the model's description catches)."""

    def human_readable(self, obj: CrontabSchedule) -> str:
        try:
            return obj.human_readable
        except ParseException:
            return "-"


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Read-only: reminders change state only through the delivery services."""

    list_display = ("rule", "object_id", "due_on", "recipient", "state", "attempts", "finished_at")
    list_filter = ("state", "rule", "due_on")
    search_fields = ("recipient__username",)
    date_hierarchy = "due_on"
    list_select_related = ("recipient",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Reminder | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Reminder | None = None) -> bool:
        return False


@admin.register(AgencyReminderSettings)
class AgencyReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ("agency", "monitoring_due_days", "monitoring_overdue_days", "no_contact_days")
    readonly_fields = ("updated_at", "updated_by")


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "in_app", "email")
