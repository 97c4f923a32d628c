"""Support plans, their actions and monitoring."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.assessments import Assessment
from casework.models.cases import Case
from casework.models.common import valid_choice, validate_record_date
from casework.models.org import Agency


class PlanState(models.TextChoices):
    DRAFT = "draft", _("下書き")
    SUBMITTED = "submitted", _("承認待ち")
    APPROVED = "approved", _("承認済み")
    SUPERSEDED = "superseded", _("改定により終了")


class SupportPlan(models.Model):
    """プラン兼事業等利用申込書. Approved versions are read-only; a new version supersedes."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveSmallIntegerField(_("版"))
    # Raised by every saved edit of the draft: a form opened on an older one is refused.
    revision = models.PositiveIntegerField(default=1, editable=False)
    state = models.CharField(
        _("状態"), max_length=20, choices=PlanState.choices, default=PlanState.DRAFT
    )
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("根拠とするアセスメント"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    long_term_goal = models.TextField(_("長期目標"), max_length=2000)
    short_term_goals = models.TextField(_("短期目標"), max_length=4000)
    services_used = models.TextField(_("利用する制度・サービス・事業"), max_length=4000, blank=True)
    period_start = models.DateField(_("計画期間(開始)"), validators=[validate_record_date])
    period_end = models.DateField(_("計画期間(終了)"), validators=[validate_record_date])
    next_monitoring_on = models.DateField(
        _("次回モニタリング予定日"), validators=[validate_record_date]
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(_("提出日時"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承認者"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    approved_at = models.DateTimeField(_("承認日時"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("改定日時"), null=True, blank=True)
    return_note = models.TextField(_("差し戻しの理由"), max_length=2000, blank=True)
    # Everyone who wrote, edited or submitted the plan: none of them may approve it.
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成に関わった職員"),
        related_name="+",
        blank=True,
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("支援プラン")
        verbose_name_plural = _("支援プラン")
        indexes = [
            models.Index(fields=["state", "next_monitoring_on"]),
            # The plans awaiting approval (ケース点検, the supervisor's home): a few hundred
            # at ten times the ward, found without reading every plan being written.
            models.Index(fields=["case"], condition=Q(state="submitted"), name="plan_awaiting"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="plan_version_unique"),
            # At most one plan in force, and at most one being written, per case.
            models.UniqueConstraint(
                fields=["case"], condition=Q(state="approved"), name="plan_one_approved"
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(state__in=["draft", "submitted"]),
                name="plan_one_open_draft",
            ),
            valid_choice("state", PlanState, "plan_state_valid"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="plan_period_ordered"
            ),
            # Approval has an approver and a time, and the approver is never the author.
            models.CheckConstraint(
                condition=Q(state__in=["draft", "submitted"])
                | (Q(approved_by__isnull=False) & Q(approved_at__isnull=False)),
                name="plan_approval_recorded",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("author")),
                name="plan_not_self_approved",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False),
                name="plan_submission_recorded",
            ),
        ]

    def __str__(self) -> str:
        return _("支援プラン 第%(version)s版") % {"version": self.version}

    def get_absolute_url(self) -> str:
        return reverse("casework:plan_detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.state == PlanState.DRAFT

    @property
    def monitoring_overdue(self) -> bool:
        """In force, its next monitoring date passed, and no monitoring recorded on or after
        it (casework.selectors.plans.monitored_since_due, for one plan; reads `monitoring`,
        prefetched where a page lists plans)."""
        due = self.next_monitoring_on
        if self.state != PlanState.APPROVED or due is None or due >= timezone.localdate():
            return False
        return not any(entry.monitored_on >= due for entry in self.monitoring.all())


class PlanAction(models.Model):
    """One line of the plan: what is done, by which agency, how often."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("支援内容"), max_length=300)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("担当機関"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    agency_note = models.CharField(_("担当(機関外)"), max_length=100, blank=True)
    frequency = models.CharField(_("頻度"), max_length=100, blank=True)
    # The national return counts persons whose plan includes employment support
    # (就労支援対象者数): the worker marks the actions that are.
    is_employment_support = models.BooleanField(_("就労支援"), default=False)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("支援内容")
        verbose_name_plural = _("支援内容")
        constraints = [
            models.CheckConstraint(condition=~Q(description=""), name="plan_action_described"),
        ]

    def __str__(self) -> str:
        return self.description


class MonitoringProgress(models.TextChoices):
    ON_TRACK = "on_track", _("順調")
    PARTLY = "partly", _("一部達成")
    STALLED = "stalled", _("停滞")
    WORSE = "worse", _("悪化")
    ACHIEVED = "achieved", _("目標達成")


class MonitoringKind(models.TextChoices):
    MONITORING = "monitoring", _("モニタリング")
    EVALUATION = "evaluation", _("評価")


class MonitoringEntry(models.Model):
    """Monitoring (モニタリング) and evaluation (評価シート) against an approved plan."""

    Kind = MonitoringKind

    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="monitoring")
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices, default=Kind.MONITORING)
    monitored_on = models.DateField(_("実施日"), validators=[validate_record_date])
    progress = models.CharField(_("進捗"), max_length=20, choices=MonitoringProgress.choices)
    notes = models.TextField(_("所見"), max_length=4000)
    next_monitoring_on = models.DateField(
        _("次回モニタリング予定日"), null=True, blank=True, validators=[validate_record_date]
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記入者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-monitored_on", "-pk"]
        verbose_name = _("モニタリング・評価")
        verbose_name_plural = _("モニタリング・評価")
        constraints = [
            valid_choice("kind", MonitoringKind, "monitoring_kind_valid"),
            valid_choice("progress", MonitoringProgress, "monitoring_progress_valid"),
            models.CheckConstraint(condition=~Q(notes=""), name="monitoring_notes_set"),
            models.CheckConstraint(
                condition=Q(next_monitoring_on__isnull=True)
                | Q(next_monitoring_on__gt=F("monitored_on")),
                name="monitoring_next_after",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.monitored_on}"
