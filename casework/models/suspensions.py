"""A stop on the use of a person's record (利用停止): while it holds, no new referral or
share of the person's cases can be made. Set when a 利用停止請求 is received (rights app)
and lifted when it is refused or withdrawn; the reason is shown wherever it stops staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.persons import Person


class UseSuspension(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("本人"), on_delete=models.PROTECT, related_name="use_suspensions"
    )
    reason = models.CharField(_("利用停止の理由"), max_length=300)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("設定した職員"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_at = models.DateTimeField(_("設定日時"), default=timezone.now, editable=False)
    lifted_at = models.DateTimeField(_("解除日時"), null=True, blank=True, editable=False)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("解除した職員"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lift_reason = models.CharField(_("解除の理由"), max_length=300, blank=True)

    class Meta:
        ordering = ["-set_at", "-pk"]
        verbose_name = _("利用停止")
        verbose_name_plural = _("利用停止")
        indexes = [
            models.Index(
                fields=["person"], condition=Q(lifted_at__isnull=True), name="suspension_active"
            )
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="suspension_has_reason"),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | Q(lifted_by__isnull=False),
                name="suspension_lift_has_actor",
            ),
        ]

    def __str__(self) -> str:
        return str(self.reason)
