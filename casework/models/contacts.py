"""The accompaniment log: every contact with the person."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.cases import Case
from casework.models.common import valid_choice, validate_record_date


class ContactMethod(models.TextChoices):
    VISIT_OFFICE = "office", _("来所")
    PHONE = "phone", _("電話")
    HOME_VISIT = "home_visit", _("訪問")
    ACCOMPANY = "accompany", _("同行")
    ONLINE = "online", _("オンライン")
    OTHER = "other", _("その他")


# A 経過記録 holds a long note after a home visit; text beyond this is refused, never cut.
SUMMARY_MAX_LENGTH = 20000
NEXT_ACTION_MAX_LENGTH = 2000


class LiveContactManager(models.Manager["ContactRecord"]):
    """The timeline: every record but those marked 誤記録."""

    def get_queryset(self) -> models.QuerySet[ContactRecord]:
        return super().get_queryset().filter(voided_at__isnull=True)


class AllContactsManager(models.Manager["ContactRecord"]):
    """Every record, those marked 誤記録 included: the history, and related lookups."""


class ContactRecord(models.Model):
    """One accompaniment contact (経過記録).

    Never edited in place nor deleted: a correction (訂正) adds a ContactRecordVersion and
    these fields show the latest one. A record marked 誤記録 leaves the timeline and stays
    in the history (`ContactRecord.all_records`).
    """

    case = models.ForeignKey(
        Case, verbose_name=_("ケース"), on_delete=models.PROTECT, related_name="contacts"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("対応者"),
        on_delete=models.PROTECT,
        related_name="contact_records",
    )
    occurred_at = models.DateTimeField(_("日時"), validators=[validate_record_date])
    method = models.CharField(_("方法"), max_length=20, choices=ContactMethod.choices)
    minutes = models.PositiveSmallIntegerField(
        _("所要時間(分)"), validators=[MinValueValidator(1), MaxValueValidator(1440)]
    )
    summary = models.TextField(_("内容"), max_length=SUMMARY_MAX_LENGTH)
    next_action = models.TextField(_("次回の対応"), max_length=NEXT_ACTION_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("記録日時"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(_("版"), default=1, editable=False)
    corrected_at = models.DateTimeField(_("訂正日時"), null=True, blank=True, editable=False)
    voided_at = models.DateTimeField(_("誤記録とした日時"), null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("誤記録とした職員"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    void_reason = models.CharField(_("誤記録の理由"), max_length=500, blank=True, editable=False)

    objects = LiveContactManager()
    all_records = AllContactsManager()

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("経過記録")
        verbose_name_plural = _("経過記録")
        indexes = [
            models.Index(fields=["case", "-occurred_at"]),
            # ケース点検: each worker's recent contacts.
            models.Index(fields=["worker", "-occurred_at"], name="contact_worker_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=1440), name="contact_minutes_range"
            ),
            valid_choice("method", ContactMethod, "contact_method_valid"),
            models.CheckConstraint(condition=~Q(summary=""), name="contact_summary_required"),
            models.CheckConstraint(
                condition=Q(occurred_at__gte=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)),
                name="contact_occurred_plausible",
            ),
            models.CheckConstraint(
                condition=(Q(voided_at__isnull=True) & Q(voided_by__isnull=True))
                | (Q(voided_at__isnull=False) & Q(voided_by__isnull=False) & ~Q(void_reason="")),
                name="contact_void_with_reason",
            ),
        ]
        base_manager_name = "all_records"

    def __str__(self) -> str:
        return f"{self.case} {self.occurred_at:%Y-%m-%d %H:%M} {self.get_method_display()}"

    def clean(self) -> None:
        # A few minutes of clock skew between devices is tolerated.
        if self.occurred_at and self.occurred_at > timezone.now() + datetime.timedelta(minutes=5):
            raise ValidationError({"occurred_at": _("未来の日時は記録できません。")})


class ContactRecordVersion(models.Model):
    """One version of a 経過記録: the first as written, then each correction with its
    reason. Append-only: the database refuses UPDATE, DELETE and TRUNCATE."""

    record = models.ForeignKey(
        ContactRecord, on_delete=models.PROTECT, related_name="versions", verbose_name=_("経過記録")
    )
    number = models.PositiveIntegerField(_("版"))
    occurred_at = models.DateTimeField(_("日時"))
    method = models.CharField(_("方法"), max_length=20, choices=ContactMethod.choices)
    minutes = models.PositiveSmallIntegerField(_("所要時間(分)"))
    summary = models.TextField(_("内容"))
    next_action = models.TextField(_("次回の対応"), blank=True)
    reason = models.CharField(_("訂正の理由"), max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記録した職員"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("記録日時"), default=timezone.now)

    class Meta:
        ordering = ["record", "number"]
        verbose_name = _("経過記録の版")
        verbose_name_plural = _("経過記録の版")
        constraints = [
            models.UniqueConstraint(fields=["record", "number"], name="contact_version_unique"),
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(reason=""), name="contact_correction_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("a version of a 経過記録 is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("a version of a 経過記録 is never deleted")
