"""The core casework data: districts, agencies, staff, persons, cases, contacts, consent."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from casework.normalize import person_search_key

kana_validator = RegexValidator(
    r"^[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb\uff66-\uff9f\s　ー・]*$",
    _("ふりがなはひらがなかカタカナで入力してください。"),
)
phone_validator = RegexValidator(
    r"^[0-9０-９\-－()（） ]{0,20}$",
    _("電話番号は数字とハイフンで入力してください。"),
)


class District(models.Model):
    """One of the ward's five districts (地区)."""

    code = models.SlugField(_("コード"), max_length=20, unique=True)
    name = models.CharField(_("地区名"), max_length=20, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("地区")
        verbose_name_plural = _("地区")

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    class Kind(models.TextChoices):
        GENERAL_CONSULTATION = "general_consultation", _("福祉の総合相談窓口")
        CSW = "csw", _("社会福祉協議会 CSW")
        COMPREHENSIVE_CENTER = "comprehensive_center", _("地域包括支援センター")
        SELF_RELIANCE = "self_reliance", _("自立相談支援機関")
        PUBLIC_ASSISTANCE = "public_assistance", _("生活福祉課 生活保護")
        DISABILITY = "disability", _("障害者支援")
        CHILD_FAMILY = "child_family", _("子ども家庭支援")
        HEALTH_CENTER = "health_center", _("保健センター")
        OTHER = "other", _("その他")

    name = models.CharField(_("機関名"), max_length=100, unique=True)
    kind = models.CharField(_("種別"), max_length=30, choices=Kind.choices)
    district = models.ForeignKey(
        District,
        verbose_name=_("地区"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("機関")
        verbose_name_plural = _("機関")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "general_consultation",
                        "csw",
                        "comprehensive_center",
                        "self_reliance",
                        "public_assistance",
                        "disability",
                        "child_family",
                        "health_center",
                        "other",
                    ]
                ),
                name="agency_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CSW = "csw", _("CSW")
    CONSULTATION = "consultation", _("相談員")
    SUPERVISOR = "supervisor", _("スーパーバイザー")
    AGENCY_ADMIN = "agency_admin", _("機関管理者")
    INDICATOR_OFFICER = "indicator_officer", _("指標担当")


# Roles that handle cases; the others never see personal case data.
CASE_ROLES = (Role.CSW, Role.CONSULTATION, Role.SUPERVISOR)


class StaffMembership(models.Model):
    """A user's one agency and one role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ユーザー"),
        on_delete=models.CASCADE,
        related_name="membership",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("機関"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("職員の所属")
        verbose_name_plural = _("職員の所属")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]), name="membership_role_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.agency} / {self.get_role_display()})"

    @property
    def handles_cases(self) -> bool:
        return self.role in CASE_ROLES


class Sex(models.TextChoices):
    MALE = "male", _("男性")
    FEMALE = "female", _("女性")
    OTHER = "other", _("その他")
    UNKNOWN = "unknown", _("不明")


class Person(models.Model):
    """Someone the ward supports. A person may exist without a case."""

    family_name = models.CharField(_("姓"), max_length=50)
    given_name = models.CharField(_("名"), max_length=50, blank=True)
    family_name_kana = models.CharField(
        _("姓(ふりがな)"), max_length=100, validators=[kana_validator]
    )
    given_name_kana = models.CharField(
        _("名(ふりがな)"), max_length=100, blank=True, validators=[kana_validator]
    )
    search_key = models.CharField(_("検索キー"), max_length=400, db_index=True, editable=False)
    birth_date = models.DateField(_("生年月日"), null=True, blank=True)
    sex = models.CharField(_("性別"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    address = models.CharField(_("住所"), max_length=200, blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("地区"), on_delete=models.PROTECT, null=True, blank=True
    )
    phone = models.CharField(_("電話番号"), max_length=20, blank=True, validators=[phone_validator])
    registered_by_agency = models.ForeignKey(
        Agency,
        verbose_name=_("登録した機関"),
        on_delete=models.PROTECT,
        related_name="registered_persons",
    )
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["search_key", "pk"]
        verbose_name = _("本人")
        verbose_name_plural = _("本人")
        constraints = [
            models.CheckConstraint(
                condition=Q(sex__in=[s.value for s in Sex]), name="person_sex_valid"
            ),
            models.CheckConstraint(
                condition=~Q(family_name="") & ~Q(family_name_kana=""),
                name="person_family_name_required",
            ),
            models.CheckConstraint(condition=~Q(search_key=""), name="person_search_key_set"),
            models.CheckConstraint(
                condition=Q(birth_date__isnull=True) | Q(birth_date__gte=datetime.date(1900, 1, 1)),
                name="person_birth_date_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()

    @property
    def kana(self) -> str:
        return f"{self.family_name_kana} {self.given_name_kana}".strip()

    def refresh_search_key(self) -> None:
        self.search_key = person_search_key(
            self.family_name, self.given_name, self.family_name_kana, self.given_name_kana
        )

    def clean(self) -> None:
        self.refresh_search_key()
        if self.birth_date and self.birth_date > timezone.localdate():
            raise ValidationError({"birth_date": _("生年月日に未来の日付は指定できません。")})

    def age_on(self, day: datetime.date) -> int | None:
        if not self.birth_date:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


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


class Case(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("本人"), on_delete=models.PROTECT, related_name="cases"
    )
    owning_agency = models.ForeignKey(
        Agency, verbose_name=_("担当機関"), on_delete=models.PROTECT, related_name="cases"
    )
    opened_on = models.DateField(_("受付日"))
    status = models.CharField(
        _("状況"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.INTAKE
    )
    main_concern = models.CharField(_("主な相談内容"), max_length=20, choices=Concern.choices)
    closed_on = models.DateField(_("終結日"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登録者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("ケース")
        verbose_name_plural = _("ケース")
        permissions = [("work_case", _("ケースに支援記録を書く"))]
        indexes = [models.Index(fields=["owning_agency", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in CaseStatus]), name="case_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(main_concern__in=[c.value for c in Concern]),
                name="case_main_concern_valid",
            ),
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
        ]

    def __str__(self) -> str:
        return _("ケース %(number)s") % {"number": self.number}

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
            models.CheckConstraint(
                condition=Q(concern__in=[c.value for c in Concern]), name="case_concern_valid"
            ),
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
    occurred_at = models.DateTimeField(_("日時"))
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
            models.CheckConstraint(
                condition=Q(method__in=[m.value for m in ContactMethod]),
                name="contact_method_valid",
            ),
            models.CheckConstraint(condition=~Q(summary=""), name="contact_summary_required"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.occurred_at:%Y-%m-%d %H:%M} {self.get_method_display()}"

    def clean(self) -> None:
        # A few minutes of clock skew between devices is tolerated.
        if self.occurred_at and self.occurred_at > timezone.now() + datetime.timedelta(minutes=5):
            raise ValidationError({"occurred_at": _("未来の日時は記録できません。")})


class ConsentBasis(models.TextChoices):
    CONSENT = "consent", _("本人同意")
    SUPPORT_MEETING = "support_meeting", _("支援会議(社会福祉法第106条の6)")
    ABUSE_RESPONSE = "abuse_response", _("虐待対応")
    PROTECT_LIFE = "protect_life", _("生命・身体の保護")


class Consent(models.Model):
    """The basis on which a person's information may be shared with named agencies.

    A record with a history: withdrawal sets withdrawn_on and never deletes the row.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("本人"), on_delete=models.PROTECT, related_name="consents"
    )
    basis = models.CharField(_("根拠"), max_length=20, choices=ConsentBasis.choices)
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("対象機関"), related_name="consents_covering"
    )
    given_on = models.DateField(_("同意日"))
    withdrawn_on = models.DateField(_("撤回日"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記録者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回を記録した職員"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    note = models.TextField(_("備考"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("記録日時"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("同意・共有の根拠")
        verbose_name_plural = _("同意・共有の根拠")
        constraints = [
            models.CheckConstraint(
                condition=Q(basis__in=[b.value for b in ConsentBasis]), name="consent_basis_valid"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("given_on")),
                name="consent_withdrawn_after_given",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True, withdrawn_by__isnull=True)
                | Q(withdrawn_on__isnull=False, withdrawn_by__isnull=False),
                name="consent_withdrawal_has_author",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_basis_display()} ({self.given_on})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


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


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("the access log is append-only")

    def delete(self):
        raise PermissionError("the access log is append-only")


class AccessLog(models.Model):
    """Append-only: every read of a person's record and every grant or revocation."""

    class Action(models.TextChoices):
        VIEW_CASE = "view_case", _("ケース閲覧")
        VIEW_PERSON = "view_person", _("本人情報閲覧")
        EXPORT = "export", _("出力")
        GRANT = "grant", _("アクセス付与")
        REVOKE = "revoke", _("アクセス取消")

    at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("職員"),
        on_delete=models.PROTECT,
        related_name="access_log",
    )
    # The agency the user acted for at that moment, kept even if they move later.
    agency = models.ForeignKey(
        Agency, verbose_name=_("機関"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("本人"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("ケース"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    detail = models.CharField(_("詳細"), max_length=300, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("アクセス記録")
        verbose_name_plural = _("アクセス記録")
        indexes = [models.Index(fields=["case", "-at"]), models.Index(fields=["agency", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the access log is append-only")
