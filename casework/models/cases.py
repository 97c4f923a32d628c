"""A case: its concerns, who is assigned, who it is shared with, its status history."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from casework.models.common import EARLIEST_RECORD_DATE, valid_choice, validate_record_date
from casework.models.consent import Consent
from casework.models.org import Agency
from casework.models.persons import Person


class Concern(models.TextChoices):
    """The national intake checklist (生活困窮者自立支援制度 相談受付・申込票)."""

    HEALTH = "health", _("病気・健康・障害")
    HOUSING = "housing", _("住まい")
    INCOME = "income", _("収入・生活費")
    RENT_LOAN = "rent_loan", _("家賃・ローン")
    TAX_UTILITIES = "tax_utilities", _("税金・公共料金")
    DEBT = "debt", _("債務")
    JOB_SEARCH = "job_search", _("仕事探し")
    WORK_WORRY = "work_worry", _("仕事上の不安")
    COMMUNITY = "community", _("地域との関係")
    FAMILY = "family", _("家族との関係")
    CHILDCARE = "childcare", _("子育て")
    CARE = "care", _("介護")
    WITHDRAWAL = "withdrawal", _("ひきこもり・不登校")
    ABUSE = "abuse", _("DV・虐待")
    FOOD = "food", _("食べるものがない")
    OTHER = "other", _("その他")


class CaseStatus(models.TextChoices):
    INTAKE = "intake", _("受付")
    SCREENING = "screening", _("スクリーニング")
    ASSESSMENT = "assessment", _("アセスメント")
    PLANNING = "planning", _("プラン")
    SUPPORT = "support", _("支援中")
    MONITORING = "monitoring", _("モニタリング")
    CLOSED = "closed", _("終結")


# Every status but 終結, listed: `status IN (…)` is a condition of the (owning_agency, status)
# index, where `status <> 'closed'` is only a filter.
OPEN_STATUSES = tuple(s.value for s in CaseStatus if s != CaseStatus.CLOSED)


class Case(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("本人"), on_delete=models.PROTECT, related_name="cases"
    )
    owning_agency = models.ForeignKey(
        Agency, verbose_name=_("担当機関"), on_delete=models.PROTECT, related_name="cases"
    )
    opened_on = models.DateField(_("受付日"), validators=[validate_record_date])
    status = models.CharField(
        _("状況"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.INTAKE
    )
    main_concern = models.CharField(_("主な相談内容"), max_length=20, choices=Concern.choices)
    closed_on = models.DateField(
        _("終結日"), null=True, blank=True, validators=[validate_record_date]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登録者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now, editable=False)
    # Set when the case's record was disposed of (made anonymous) after its retention period.
    disposed_at = models.DateTimeField(_("廃棄日時"), null=True, blank=True, editable=False)
    # An active 記録の秘匿 mark exists (casework/models/confidential.py).
    records_confidential = models.BooleanField(_("記録の秘匿"), default=False, editable=False)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("ケース")
        verbose_name_plural = _("ケース")
        permissions = [
            ("work_case", _("ケースに支援記録を書く")),
            ("view_case_summary", _("共有された範囲だけを見る")),
        ]
        indexes = [models.Index(fields=["owning_agency", "status"])]
        constraints = [
            valid_choice("status", CaseStatus, "case_status_valid"),
            valid_choice("main_concern", Concern, "case_main_concern_valid"),
            # A closed case has a closing date and an open one has none.
            models.CheckConstraint(
                condition=(Q(status="closed") & Q(closed_on__isnull=False))
                | (~Q(status="closed") & Q(closed_on__isnull=True)),
                name="case_closed_on_iff_closed",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="case_closed_after_opened",
            ),
            models.CheckConstraint(
                condition=Q(opened_on__gte=EARLIEST_RECORD_DATE), name="case_opened_plausible"
            ),
        ]

    def __str__(self) -> str:
        return _("ケース %(number)s") % {"number": self.number}

    def get_absolute_url(self) -> str:
        return reverse("casework:case_detail", kwargs={"pk": self.pk})

    @property
    def number(self) -> str:
        return f"{self.pk:06d}" if self.pk else "-"

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    def clean(self) -> None:
        if self.opened_on and self.opened_on > timezone.localdate():
            raise ValidationError({"opened_on": _("受付日に未来の日付は指定できません。")})


class CaseConcern(models.Model):
    """A further concern of a case, beyond its main one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="other_concerns")
    concern = models.CharField(_("相談内容"), max_length=20, choices=Concern.choices)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("その他の相談内容")
        verbose_name_plural = _("その他の相談内容")
        constraints = [
            models.UniqueConstraint(fields=["case", "concern"], name="case_concern_unique"),
            valid_choice("concern", Concern, "case_concern_valid"),
        ]

    def __str__(self) -> str:
        return self.get_concern_display()


class CaseAssignment(models.Model):
    """A worker assigned to a case (担当), with its history."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assignments")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        verbose_name = _("担当")
        verbose_name_plural = _("担当")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "worker"],
                condition=Q(ended_at__isnull=True),
                name="assignment_one_active_per_worker",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="assignment_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["worker", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.worker} → {self.case}"


class CaseShare(models.Model):
    """Read access to one case given to one user, with the basis that allows it.

    Within the owning agency no basis is needed; towards another agency the share rests
    on a consent (or legal basis) record covering that agency, and ends when it is withdrawn.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="shares")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_shares"
    )
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="shares"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["granted_at", "pk"]
        verbose_name = _("ケースの共有")
        verbose_name_plural = _("ケースの共有")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=Q(revoked_at__isnull=True),
                name="share_one_active_per_user",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=F("granted_at")),
                name="share_revoked_after_granted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.user}"


class CaseUserObjectPermission(UserObjectPermissionBase):
    """Guardian grants to one user on one case, with a real foreign key to the case."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["user", "permission", "content_object"])]


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseStatusChange(models.Model):
    """The history of a case's status: every move, who made it, when and why."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="status_history")
    from_status = models.CharField(_("変更前"), max_length=20, choices=CaseStatus.choices)
    to_status = models.CharField(_("変更後"), max_length=20, choices=CaseStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("変更者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("日時"), default=timezone.now)
    reason = models.CharField(_("理由"), max_length=500, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("状況の変更")
        verbose_name_plural = _("状況の変更")

    def __str__(self) -> str:
        return f"{self.case}: {self.from_status} → {self.to_status}"
