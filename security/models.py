"""The security log: append-only events about accounts and sign-in (docs/security.md).

Not the access log (casework.models.AccessLog), which records every read of a person's
record: this one records who signed in, failed, was locked out, changed a password, a
factor, a role or an agency, changed master data or settings, or exported personal data.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Agency
from casework.models.common import valid_choice


class EventKind(models.TextChoices):
    LOGIN = "login", _("ログイン")
    LOGIN_FAILED = "login_failed", _("ログインの失敗")
    FACTOR_FAILED = "factor_failed", _("確認コードの誤り")
    RECOVERY_CODE_USED = "recovery_code_used", _("予備コードの使用")
    LOCKOUT = "lockout", _("ロックアウト")
    UNLOCK = "unlock", _("ロックアウトの解除")
    ADDRESS_THROTTLED = "address_throttled", _("アドレスごとのログイン制限")
    LOGOUT = "logout", _("ログアウト")
    TIMEOUT = "timeout", _("セッションの時間切れ")
    PASSWORD_CHANGE = "password_change", _("パスワードの変更")
    PASSWORD_RESET = "password_reset", _("パスワードのリセット")
    FACTOR_ENROLLED = "factor_enrolled", _("二要素認証の登録")
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed", _("予備コードの再発行")
    FACTOR_RESET = "factor_reset", _("二要素認証のリセット")
    MEMBERSHIP_CHANGE = "membership_change", _("所属・役割の変更")
    ACTIVE_CHANGE = "active_change", _("アカウントの有効・無効")
    ADMIN_RIGHTS_CHANGE = "admin_rights_change", _("管理者権限の変更")
    MASTER_DATA_CHANGE = "master_data_change", _("マスタデータの変更")
    EXPORT = "export", _("個人情報の出力・印刷")
    SETTINGS_CHANGE = "settings_change", _("設定の変更")


class EventResult(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失敗")
    REFUSED = "refused", _("拒否")


class SecurityEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("the security log is append-only")

    def delete(self):
        raise PermissionError("the security log is append-only")


class SecurityEvent(models.Model):
    """One event: when, what, with which result, who did it (`actor`), whose account it
    concerns (`subject`, with their agency at that moment), from which address."""

    Kind = EventKind
    Result = EventResult

    at = models.DateTimeField(_("日時"), default=timezone.now)
    kind = models.CharField(_("種類"), max_length=30, choices=EventKind.choices)
    result = models.CharField(
        _("結果"), max_length=10, choices=EventResult.choices, default=EventResult.SUCCESS
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作した人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("対象のアカウント"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The subject's agency when the event happened (an agency admin reviews their own staff).
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("機関"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The user name as typed, for a failed sign-in (the account may not exist).
    username = models.CharField(_("入力されたユーザー名"), max_length=150, blank=True)
    address = models.CharField(_("アドレス"), max_length=45, blank=True)
    detail = models.CharField(_("詳細"), max_length=500, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("セキュリティ記録")
        verbose_name_plural = _("セキュリティ記録")
        indexes = [
            models.Index(fields=["-at", "-id"], name="securityevent_time"),
            models.Index(fields=["agency", "-at", "-id"], name="securityevent_agency_time"),
            models.Index(fields=["subject", "kind", "-at"], name="securityevent_subject_kind"),
            # Failed sign-ins from one address in the last minutes (password spraying).
            models.Index(fields=["address", "kind", "at"], name="securityevent_address"),
        ]
        constraints = [
            valid_choice("kind", EventKind, "securityevent_kind_valid"),
            valid_choice("result", EventResult, "securityevent_result_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.get_result_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the security log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the security log is append-only")


class SettingsState(models.Model):
    """The security-relevant settings a process last started with, to log their changes."""

    at = models.DateTimeField(_("日時"), default=timezone.now)
    values = models.JSONField(_("値"), default=dict)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("設定の記録")
        verbose_name_plural = _("設定の記録")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}"
