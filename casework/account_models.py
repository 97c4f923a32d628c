"""The audit record of the password resets issued in the Django admin.

Kept in its own module (imported at the end of casework/models.py) so that account
administration stays apart from the case records.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PasswordReset(models.Model):
    """One reset: who issued it, for whom, when, where the set-password link went, and when
    the worker chose their new password. The issuer never learns that password."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("対象の職員"),
        on_delete=models.PROTECT,
        related_name="password_resets",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("発行した管理者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("発行日時"), default=timezone.now)
    new_account = models.BooleanField(_("新しいアカウント"), default=False)
    # Empty when the worker had no e-mail address: the account stays locked until the worker
    # sets a password at the ward IT desk (docs/admin.md).
    sent_to = models.EmailField(_("リンクの送信先"), blank=True)
    completed_at = models.DateTimeField(_("本人が設定した日時"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("パスワードのリセット")
        verbose_name_plural = _("パスワードのリセット")
        indexes = [models.Index(fields=["worker", "completed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(completed_at__gte=F("issued_at")),
                name="password_reset_completed_after_issue",
            ),
            models.CheckConstraint(
                condition=~Q(worker=F("issued_by")), name="password_reset_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} ({timezone.localtime(self.issued_at):%Y-%m-%d %H:%M})"
