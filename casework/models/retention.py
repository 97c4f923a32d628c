"""The record's life: legal holds that stop disposal, and the disposal ledger (廃棄簿).

A disposal run (rights/disposal.py) is one transaction. While its DisposalRun row is
`running` — visible to that transaction alone, since the run marks it done before it
commits and a failure rolls everything back — the append-only tables' triggers let rows be
updated (made anonymous) or deleted; at any other time they refuse, as before. TRUNCATE is
refused always. The ledger keeps what class of record, how many, when and under which
rule, never who: it names no person and no record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.common import valid_choice
from casework.models.persons import Person


class HoldKind(models.TextChoices):
    APPEAL = "appeal", _("審査請求")
    ABUSE = "abuse", _("虐待対応")
    LAWSUIT = "lawsuit", _("訴訟")
    OTHER = "other", _("その他")


class LegalHold(models.Model):
    """Stops the disposal of everything about the person until it is lifted. An open
    開示・訂正・利用停止 request holds the person too, without a row here."""

    person = models.ForeignKey(
        Person, verbose_name=_("本人"), on_delete=models.PROTECT, related_name="legal_holds"
    )
    kind = models.CharField(_("理由の種類"), max_length=20, choices=HoldKind.choices)
    reason = models.CharField(_("理由"), max_length=300)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("設定した職員"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    placed_at = models.DateTimeField(_("設定日時"), default=timezone.now, editable=False)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("解除した職員"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lifted_at = models.DateTimeField(_("解除日時"), null=True, blank=True, editable=False)
    lift_reason = models.CharField(_("解除の理由"), max_length=300, blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        verbose_name = _("法的保存")
        verbose_name_plural = _("法的保存")
        indexes = [
            models.Index(
                fields=["person"], condition=Q(lifted_at__isnull=True), name="legal_hold_active"
            )
        ]
        constraints = [
            valid_choice("kind", HoldKind, "legal_hold_kind_valid"),
            models.CheckConstraint(condition=~Q(reason=""), name="legal_hold_has_reason"),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True)
                | (Q(lifted_by__isnull=False) & ~Q(lift_reason="")),
                name="legal_hold_lift_has_actor_and_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.reason}"


class DisposalRun(models.Model):
    class State(models.TextChoices):
        RUNNING = "running", _("実行中")
        DONE = "done", _("完了")

    started_at = models.DateTimeField(_("開始日時"), default=timezone.now)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    state = models.CharField(_("状態"), max_length=10, choices=State.choices)
    # The periodic task ("task") or the command ("command", run from the operator's shell).
    source = models.CharField(_("実行元"), max_length=20)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("実行した職員"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("廃棄の実行")
        verbose_name_plural = _("廃棄の実行")
        constraints = [
            models.UniqueConstraint(
                fields=["state"], condition=Q(state="running"), name="disposal_one_running"
            ),
            models.CheckConstraint(
                condition=Q(state="running") | Q(finished_at__isnull=False),
                name="disposal_done_has_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"


class RecordClass(models.TextChoices):
    CASE = "case", _("終結したケースの記録")
    PERSON = "person", _("本人の情報")
    CONTACT = "contact", _("経過記録")
    ATTACHMENT = "attachment", _("添付書類のファイル")
    REQUEST = "request", _("開示等の請求")
    ACCESS_LOG = "access_log", _("アクセス記録")
    SECURITY_LOG = "security_log", _("セキュリティ記録")


class DisposalMethod(models.TextChoices):
    ANONYMIZED = "anonymized", _("匿名化")
    DELETED = "deleted", _("削除")


class DisposalEntry(models.Model):
    """One line of the 廃棄簿. Never changed nor deleted (the database refuses it)."""

    run = models.ForeignKey(DisposalRun, on_delete=models.PROTECT, related_name="entries")
    record_class = models.CharField(_("記録の種類"), max_length=20, choices=RecordClass.choices)
    method = models.CharField(_("方法"), max_length=20, choices=DisposalMethod.choices)
    count = models.PositiveIntegerField(_("件数"))
    # The rule, as the settings said at the time: "終結から5年(TSUNAGU_RETENTION_CASE_YEARS=5)".
    rule = models.CharField(_("根拠"), max_length=300)
    disposed_at = models.DateTimeField(_("廃棄日時"), default=timezone.now)

    class Meta:
        ordering = ["-disposed_at", "pk"]
        verbose_name = _("廃棄簿")
        verbose_name_plural = _("廃棄簿")
        constraints = [
            valid_choice("record_class", RecordClass, "disposal_class_valid"),
            valid_choice("method", DisposalMethod, "disposal_method_valid"),
            models.CheckConstraint(condition=Q(count__gt=0), name="disposal_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_record_class_display()} {self.count}"
