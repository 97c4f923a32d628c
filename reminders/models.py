"""Reminders: one row per (rule, object, due date, recipient), delivered exactly once.

The database, not the broker, is the source of truth. A scan inserts the reminders that are
due; a worker claims a row with a conditional update before it delivers, so a crash or a
second worker neither loses nor doubles a reminder.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Agency, Notification, valid_choice


class Rule(models.TextChoices):
    PLAN_MONITORING_DUE = "plan_due", _("モニタリング期日")
    PLAN_MONITORING_OVERDUE = "plan_overdue", _("モニタリング期日超過")
    REFERRAL_UNANSWERED = "referral_unanswered", _("つなぎの回答待ち")
    VISIT_TOMORROW = "visit_tomorrow", _("明日の訪問")
    VISIT_NOT_RECORDED = "visit_unrecorded", _("訪問結果の未記録")
    REPORT_UNTRIAGED = "report_untriaged", _("見守り通報の未対応")
    NO_CONTACT = "no_contact", _("支援記録のない期間")
    RIGHTS_DEADLINE = "rights_deadline", _("開示等の請求の決定期限")


class ReminderState(models.TextChoices):
    PENDING = "pending", _("配信待ち")
    CLAIMED = "claimed", _("配信中")
    SENT = "sent", _("配信済み")
    FAILED = "failed", _("配信失敗")
    CANCELLED = "cancelled", _("取り消し")


class EmailState(models.TextChoices):
    NONE = "", _("なし")
    PENDING = "pending", _("送信待ち")
    SENT = "sent", _("送信済み")
    FAILED = "failed", _("送信失敗")


class Reminder(models.Model):
    rule = models.CharField(_("種類"), max_length=30, choices=Rule.choices)
    # The id of the rule's object (a plan, a referral, a visit, a report or a case).
    object_id = models.PositiveBigIntegerField(_("対象"))
    due_on = models.DateField(_("期日"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("宛先"),
        on_delete=models.PROTECT,
        related_name="reminders",
    )
    state = models.CharField(
        _("状態"), max_length=10, choices=ReminderState.choices, default=ReminderState.PENDING
    )
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)
    enqueued_at = models.DateTimeField(_("配信依頼日時"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("着手日時"), null=True, blank=True)
    claim_token = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("試行回数"), default=0)
    finished_at = models.DateTimeField(_("完了日時"), null=True, blank=True)
    notification = models.OneToOneField(
        Notification,
        verbose_name=_("お知らせ"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminder",
    )
    # What was delivered, kept for the e-mail that follows and for the admin.
    message = models.CharField(_("内容"), max_length=300, blank=True)
    url = models.CharField(_("リンク"), max_length=200, blank=True)
    # The e-mail goes out after the in-app delivery has committed, with its own retries:
    # a mail server that is down never holds back or undoes the bell.
    email_state = models.CharField(
        _("メール"), max_length=10, choices=EmailState.choices, default="", blank=True
    )
    email_attempts = models.PositiveSmallIntegerField(_("メール試行回数"), default=0)
    email_next_at = models.DateTimeField(_("次のメール試行"), null=True, blank=True)
    note = models.CharField(_("備考"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("リマインダー")
        verbose_name_plural = _("リマインダー")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "object_id", "due_on", "recipient"], name="reminder_once"
            ),
            valid_choice("rule", Rule, "reminder_rule_valid"),
            valid_choice("state", ReminderState, "reminder_state_valid"),
            valid_choice("email_state", EmailState, "reminder_email_state_valid"),
            models.CheckConstraint(
                condition=Q(email_state="") | Q(state="sent"), name="reminder_email_after_sent"
            ),
            models.CheckConstraint(
                condition=~Q(state="claimed") | (Q(claimed_at__isnull=False) & ~Q(claim_token="")),
                name="reminder_claim_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["sent", "failed", "cancelled"])
                | Q(finished_at__isnull=False),
                name="reminder_finish_recorded",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "enqueued_at"], name="reminder_state_enqueued"),
            models.Index(fields=["state", "claimed_at"], name="reminder_state_claimed"),
            models.Index(fields=["recipient", "state"], name="reminder_recipient_state"),
            models.Index(
                fields=["email_next_at"],
                condition=Q(email_state="pending"),
                name="reminder_email_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} {self.object_id} {self.due_on} → {self.recipient}"


class AgencyReminderSettings(models.Model):
    """An agency's own reminder periods; an agency without a row uses the defaults."""

    DEFAULT_MONITORING_DUE_DAYS = 7
    DEFAULT_MONITORING_OVERDUE_DAYS = 14
    DEFAULT_NO_CONTACT_DAYS = 30

    agency = models.OneToOneField(
        Agency,
        verbose_name=_("機関"),
        on_delete=models.CASCADE,
        related_name="reminder_settings",
    )
    monitoring_due_days = models.PositiveSmallIntegerField(
        _("モニタリング期日の何日前に知らせるか"),
        default=DEFAULT_MONITORING_DUE_DAYS,
        help_text=_("1〜60日。期日の当日にも知らせます。"),
    )
    monitoring_overdue_days = models.PositiveSmallIntegerField(
        _("期日を何日過ぎたらスーパーバイザーに知らせるか"),
        default=DEFAULT_MONITORING_OVERDUE_DAYS,
        help_text=_("1〜90日。"),
    )
    no_contact_days = models.PositiveSmallIntegerField(
        _("支援記録のない日数"),
        default=DEFAULT_NO_CONTACT_DAYS,
        help_text=_("7〜365日。この日数、支援記録のない継続中のケースを担当者に知らせます。"),
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更新者"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("機関のリマインダー設定")
        verbose_name_plural = _("機関のリマインダー設定")
        constraints = [
            models.CheckConstraint(
                condition=Q(monitoring_due_days__gte=1, monitoring_due_days__lte=60),
                name="reminder_settings_due_range",
            ),
            models.CheckConstraint(
                condition=Q(monitoring_overdue_days__gte=1, monitoring_overdue_days__lte=90),
                name="reminder_settings_overdue_range",
            ),
            models.CheckConstraint(
                condition=Q(no_contact_days__gte=7, no_contact_days__lte=365),
                name="reminder_settings_no_contact_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.agency)


class ChannelPreference(models.Model):
    """How a user wants to receive reminders. A user without a row gets them in the app."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ユーザー"),
        on_delete=models.CASCADE,
        related_name="reminder_channels",
    )
    in_app = models.BooleanField(_("アプリのお知らせ"), default=True)
    email = models.BooleanField(_("メール"), default=False)

    class Meta:
        verbose_name = _("通知方法")
        verbose_name_plural = _("通知方法")
        constraints = [
            # Nothing may be forgotten: at least one channel stays on.
            models.CheckConstraint(
                condition=Q(in_app=True) | Q(email=True), name="reminder_channel_at_least_one"
            )
        ]

    def __str__(self) -> str:
        return str(self.user)
