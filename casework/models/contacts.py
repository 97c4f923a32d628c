"""The accompaniment log: every contact with the person."""

import datetime

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


class ContactRecord(models.Model):
    """One accompaniment contact (経過記録)."""

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
    summary = models.TextField(_("内容"), max_length=4000)
    next_action = models.TextField(_("次回の対応"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("記録日時"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("経過記録")
        verbose_name_plural = _("経過記録")
        indexes = [models.Index(fields=["case", "-occurred_at"])]
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
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.occurred_at:%Y-%m-%d %H:%M} {self.get_method_display()}"

    def clean(self) -> None:
        # A few minutes of clock skew between devices is tolerated.
        if self.occurred_at and self.occurred_at > timezone.now() + datetime.timedelta(minutes=5):
            raise ValidationError({"occurred_at": _("未来の日時は記録できません。")})
