"""The core casework data: districts, agencies, staff, persons, cases, contacts, consent."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from casework.normalize import person_search_key

kana_validator = RegexValidator(
    r"^[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb\uff66-\uff9f\s　ー・]*$",
    _("ふりがなはひらがなかカタカナで入力してください。"),
)
# Records of this system start long after 2000: an earlier date is a typing mistake (and
# year 1 breaks date arithmetic), so it is refused next to the field.
EARLIEST_RECORD_DATE = datetime.date(2000, 1, 1)
LATEST_RECORD_YEAR = 2100


def validate_record_date(value) -> None:
    day = value.date() if isinstance(value, datetime.datetime) else value
    if day < EARLIEST_RECORD_DATE or day.year > LATEST_RECORD_YEAR:
        raise ValidationError(
            _("日付が正しくありません。2000年以降の日付を入力してください。"), code="record_date"
        )


def valid_choice(field: str, choices, name: str) -> models.CheckConstraint:
    """A database check that a choice field holds one of its choices."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": [c.value for c in choices]}), name=name
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
        constraints = [valid_choice("role", Role, "membership_role_valid")]

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
    # Unbounded: NFKC may turn one character into many (U+FDFA into 18).
    search_key = models.TextField(_("検索キー"), db_index=True, editable=False)
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
            valid_choice("sex", Sex, "person_sex_valid"),
            models.CheckConstraint(
                condition=~Q(family_name="") & ~Q(family_name_kana=""),
                name="person_family_name_required",
            ),
            models.CheckConstraint(condition=~Q(search_key=""), name="person_search_key_set"),
            models.CheckConstraint(
                condition=Q(birth_date__isnull=True) | Q(birth_date__gte=datetime.date(1900, 1, 1)),
                name="person_birth_date_plausible",
                violation_error_message=_("生年月日は1900年以降の日付を入力してください。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()

    def get_absolute_url(self) -> str:
        return reverse("casework:person_detail", kwargs={"pk": self.pk})

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
        if self.birth_date and self.birth_date < datetime.date(1900, 1, 1):
            raise ValidationError(
                {"birth_date": _("生年月日は1900年以降の日付を入力してください。")}
            )

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
    given_on = models.DateField(_("同意日"), validators=[validate_record_date])
    withdrawn_on = models.DateField(
        _("撤回日"), null=True, blank=True, validators=[validate_record_date]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記録者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The agency whose record this is: only it sees the record and records its withdrawal,
    # even after the recorder moves, and even when another agency comes to hold the person.
    recorded_by_agency = models.ForeignKey(
        Agency,
        verbose_name=_("記録した機関"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
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
            valid_choice("basis", ConsentBasis, "consent_basis_valid"),
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
    """Append-only: every read of a person's record and every grant or revocation.

    A detail or form page names one person (and case); a list or search request is one row
    whose `case_ids` and `person_ids` hold every case and person it showed."""

    class Action(models.TextChoices):
        VIEW_CASE = "view_case", _("ケース閲覧")
        VIEW_PERSON = "view_person", _("本人情報閲覧")
        VIEW_FORM = "view_form", _("入力画面での閲覧")
        VIEW_LIST = "view_list", _("一覧・検索")
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
        Person, verbose_name=_("本人"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("ケース"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    detail = models.CharField(_("詳細"), max_length=300, blank=True)
    # What a list or search showed, as ",12,34," so that one LIKE finds a row by an id on
    # every database (SQLite has no JSON containment).
    case_ids = models.TextField(_("表示したケース"), blank=True, default="")
    person_ids = models.TextField(_("表示した本人"), blank=True, default="")
    # The agencies owning the cases a list showed, so their supervisors find the row too.
    case_agencies = models.TextField(_("表示したケースの機関"), blank=True, default="")
    query = models.CharField(_("検索語"), max_length=200, blank=True, default="")

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

    @property
    def shown_case_count(self) -> int:
        return self.case_ids.count(",") - 1 if self.case_ids else 0

    @property
    def shown_person_count(self) -> int:
        return self.person_ids.count(",") - 1 if self.person_ids else 0


# --- issue 3: the consultation workflow ---------------------------------------------------


class IntakeRoute(models.TextChoices):
    VISIT = "visit", _("来所")
    PHONE = "phone", _("電話")
    HOME_VISIT = "home_visit", _("訪問")
    AGENCY = "agency", _("関係機関から")
    WATCH_NETWORK = "watch_network", _("見守りネットワーク")
    OTHER = "other", _("その他")


class IntakeConsent(models.TextChoices):
    GIVEN = "given", _("同意あり")
    NOT_GIVEN = "not_given", _("同意なし")
    PENDING = "pending", _("確認中")


class Intake(models.Model):
    """相談受付・申込票: how the consultation reached the ward."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="intake")
    received_on = models.DateField(_("受付日"), validators=[validate_record_date])
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受付者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    route = models.CharField(_("相談経路"), max_length=20, choices=IntakeRoute.choices)
    came_in_person = models.BooleanField(_("本人が相談"), default=True)
    visitor_name = models.CharField(_("相談者の氏名"), max_length=100, blank=True)
    visitor_relation = models.CharField(_("本人との関係"), max_length=50, blank=True)
    chief_complaint = models.TextField(_("主訴"), max_length=4000)
    consent_status = models.CharField(
        _("同意の状況"), max_length=20, choices=IntakeConsent.choices, default=IntakeConsent.PENDING
    )

    class Meta:
        verbose_name = _("相談受付")
        verbose_name_plural = _("相談受付")
        constraints = [
            valid_choice("route", IntakeRoute, "intake_route_valid"),
            valid_choice("consent_status", IntakeConsent, "intake_consent_valid"),
            # Someone other than the person came: who they are must be on record.
            models.CheckConstraint(
                condition=Q(came_in_person=True) | (~Q(visitor_name="") & ~Q(visitor_relation="")),
                name="intake_visitor_named",
            ),
            models.CheckConstraint(condition=~Q(chief_complaint=""), name="intake_complaint_set"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.received_on}"


class ScreeningResult(models.TextChoices):
    INFO_ONLY = "info_only", _("情報提供のみで終了")
    REFER = "refer", _("他制度・他機関へつなぎ")
    CONTINUE = "continue", _("継続支援")


class Screening(models.Model):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="screening")
    result = models.CharField(
        _("スクリーニング結果"), max_length=20, choices=ScreeningResult.choices
    )
    decided_on = models.DateField(_("判断日"), validators=[validate_record_date])
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("判断者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("所見"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("スクリーニング")
        verbose_name_plural = _("スクリーニング")
        constraints = [valid_choice("result", ScreeningResult, "screening_result_valid")]

    def __str__(self) -> str:
        return self.get_result_display()


class EmergencyKind(models.TextChoices):
    FOOD = "food", _("食料支援")
    SHELTER = "shelter", _("一時的な住まいの確保")
    LOAN = "loan", _("緊急小口資金等の貸付")
    MEDICAL = "medical", _("医療機関への受診・同行")
    SAFETY = "safety", _("安全確保(避難・保護)")
    OTHER = "other", _("その他")


class EmergencySupport(models.Model):
    """緊急支援: may be given at any stage, before any plan exists."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="emergency_supports")
    provided_on = models.DateField(_("実施日"), validators=[validate_record_date])
    kind = models.CharField(_("種類"), max_length=20, choices=EmergencyKind.choices)
    description = models.TextField(_("内容"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記録者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-provided_on", "-pk"]
        verbose_name = _("緊急支援")
        verbose_name_plural = _("緊急支援")
        constraints = [
            valid_choice("kind", EmergencyKind, "emergency_kind_valid"),
            models.CheckConstraint(condition=~Q(description=""), name="emergency_description_set"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.provided_on}"


class GuardianshipNeed(models.TextChoices):
    NONE = "none", _("なし")
    CONSIDER = "consider", _("検討が必要")
    NEEDED = "needed", _("利用が必要")
    IN_USE = "in_use", _("利用中")


class Assessment(models.Model):
    """インテーク・アセスメントシート. Each save is a new version; versions never change."""

    SECTIONS = (
        "health",
        "housing",
        "income",
        "debt",
        "employment",
        "family",
        "community",
        "capacity",
    )

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments")
    version = models.PositiveSmallIntegerField(_("版"))
    assessed_on = models.DateField(_("実施日"), validators=[validate_record_date])
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記入者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    health = models.TextField(_("健康・障害"), max_length=4000, blank=True)
    housing = models.TextField(_("住まい"), max_length=4000, blank=True)
    income = models.TextField(_("収入・家計"), max_length=4000, blank=True)
    debt = models.TextField(_("債務"), max_length=4000, blank=True)
    employment = models.TextField(_("就労"), max_length=4000, blank=True)
    family = models.TextField(_("家族・世帯"), max_length=4000, blank=True)
    community = models.TextField(_("地域とのつながり"), max_length=4000, blank=True)
    capacity = models.TextField(_("判断能力・権利擁護"), max_length=4000, blank=True)
    guardianship_need = models.CharField(
        _("成年後見制度の必要性"),
        max_length=20,
        choices=GuardianshipNeed.choices,
        default=GuardianshipNeed.NONE,
    )
    abuse_suspected = models.BooleanField(_("虐待の疑い"), default=False)
    abuse_note = models.TextField(_("虐待の疑いの内容"), max_length=4000, blank=True)
    summary = models.TextField(_("総合所見"), max_length=8000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("アセスメント")
        verbose_name_plural = _("アセスメント")
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="assessment_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="assessment_version_positive"),
            valid_choice("guardianship_need", GuardianshipNeed, "assessment_guardianship_valid"),
            models.CheckConstraint(
                condition=Q(abuse_suspected=False) | ~Q(abuse_note=""),
                name="assessment_abuse_described",
            ),
            models.CheckConstraint(condition=~Q(summary=""), name="assessment_summary_set"),
        ]

    def __str__(self) -> str:
        return _("アセスメント 第%(version)s版") % {"version": self.version}


class PlanState(models.TextChoices):
    DRAFT = "draft", _("下書き")
    SUBMITTED = "submitted", _("承認待ち")
    APPROVED = "approved", _("承認済み")
    SUPERSEDED = "superseded", _("改定により終了")


class SupportPlan(models.Model):
    """プラン兼事業等利用申込書. Approved versions are read-only; a new version supersedes."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveSmallIntegerField(_("版"))
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
        indexes = [models.Index(fields=["state", "next_monitoring_on"])]
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


class MonitoringEntry(models.Model):
    """Monitoring (モニタリング) and evaluation (評価シート) against an approved plan."""

    class Kind(models.TextChoices):
        MONITORING = "monitoring", _("モニタリング")
        EVALUATION = "evaluation", _("評価")

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
            models.CheckConstraint(
                condition=Q(kind__in=["monitoring", "evaluation"]), name="monitoring_kind_valid"
            ),
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


class MeetingKind(models.TextChoices):
    COORDINATION = "coordination", _("支援調整会議")
    SUPPORT_MEETING = "support_meeting", _("支援会議")
    MULTILAYER = "multilayer", _("重層的支援会議")
    COMMUNITY_CARE = "community_care", _("地域ケア会議")


class Meeting(models.Model):
    kind = models.CharField(_("会議の種類"), max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField(_("開催日"), validators=[validate_record_date])
    title = models.CharField(_("件名"), max_length=200)
    convening_agency = models.ForeignKey(
        Agency, verbose_name=_("開催機関"), on_delete=models.PROTECT, related_name="meetings"
    )
    attending_agencies = models.ManyToManyField(
        Agency, verbose_name=_("出席機関"), related_name="attended_meetings"
    )
    decisions = models.TextField(_("決定事項"), max_length=8000)
    cases = models.ManyToManyField(Case, verbose_name=_("対象ケース"), related_name="meetings")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記録者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("会議")
        verbose_name_plural = _("会議")
        constraints = [
            valid_choice("kind", MeetingKind, "meeting_kind_valid"),
            models.CheckConstraint(condition=~Q(decisions=""), name="meeting_decisions_set"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on} {self.title}"


class Programme(models.TextChoices):
    CHILD_STUDY = "child_study", _("子どもの学習・生活支援事業")
    EMPLOYMENT = "employment", _("自立支援プログラム(就労支援)")


class ProgrammeEnrolment(models.Model):
    """A person of the case's household in a programme, from enrolled_on to left_on.

    For the study programme the enrolled person is the child; "children registered in FY X"
    is one query over (programme, enrolled_on, left_on).
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey(
        Person, verbose_name=_("参加者"), on_delete=models.PROTECT, related_name="enrolments"
    )
    programme = models.CharField(_("事業"), max_length=20, choices=Programme.choices)
    enrolled_on = models.DateField(_("登録日"), validators=[validate_record_date])
    left_on = models.DateField(
        _("終了日"), null=True, blank=True, validators=[validate_record_date]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記録者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-enrolled_on", "-pk"]
        verbose_name = _("事業の利用")
        verbose_name_plural = _("事業の利用")
        indexes = [models.Index(fields=["programme", "enrolled_on", "left_on"])]
        constraints = [
            valid_choice("programme", Programme, "enrolment_programme_valid"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("enrolled_on")),
                name="enrolment_left_after_enrolled",
            ),
            # One open enrolment per person and programme.
            models.UniqueConstraint(
                fields=["person", "programme"],
                condition=Q(left_on__isnull=True),
                name="enrolment_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_programme_display()} {self.enrolled_on}"


class ProgrammeOutcome(models.Model):
    """An outcome of the employment programme: 就労 (found work) or 増収 (more income)."""

    class Kind(models.TextChoices):
        EMPLOYED = "employed", _("就労")
        INCOME_UP = "income_up", _("増収")

    enrolment = models.ForeignKey(
        ProgrammeEnrolment, on_delete=models.PROTECT, related_name="outcomes"
    )
    kind = models.CharField(_("成果"), max_length=20, choices=Kind.choices)
    achieved_on = models.DateField(_("達成日"), validators=[validate_record_date])
    note = models.CharField(_("備考"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記録者"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["achieved_on", "pk"]
        verbose_name = _("事業の成果")
        verbose_name_plural = _("事業の成果")
        indexes = [models.Index(fields=["kind", "achieved_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["employed", "income_up"]), name="outcome_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["enrolment", "kind", "achieved_on"], name="outcome_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.achieved_on}"


class ClosureReason(models.TextChoices):
    GOAL_ACHIEVED = "goal_achieved", _("目標達成")
    TRANSFERRED = "transferred", _("他機関へ移管")
    MOVED = "moved", _("転居")
    DIED = "died", _("死亡")
    UNREACHABLE = "unreachable", _("連絡不能")
    PERSON_WISH = "person_wish", _("本人の希望")
    INFO_ONLY = "info_only", _("情報提供のみで終了")
    OTHER = "other", _("その他")


class ClosureRequest(models.Model):
    """A worker asks to close a case; a supervisor of the owning agency decides."""

    class State(models.TextChoices):
        PENDING = "pending", _("承認待ち")
        APPROVED = "approved", _("承認")
        REJECTED = "rejected", _("差し戻し")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="closure_requests")
    reason = models.CharField(_("終結理由"), max_length=20, choices=ClosureReason.choices)
    note = models.TextField(_("説明"), max_length=2000, blank=True)
    closing_on = models.DateField(_("終結日"), validators=[validate_record_date])
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申請者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(_("状態"), max_length=20, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("判断者"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("判断の理由"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("終結の申請")
        verbose_name_plural = _("終結の申請")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(state="pending"), name="closure_one_pending"
            ),
            valid_choice("reason", ClosureReason, "closure_reason_valid"),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "approved", "rejected"]),
                name="closure_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(state="pending")
                | (Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="closure_decision_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(reason="other") | ~Q(note=""), name="closure_other_explained"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_reason_display()}"


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


class Relation(models.TextChoices):
    HEAD = "head", _("世帯主")
    SPOUSE = "spouse", _("配偶者")
    CHILD = "child", _("子")
    PARENT = "parent", _("親")
    SIBLING = "sibling", _("兄弟姉妹")
    GRANDCHILD = "grandchild", _("孫")
    GRANDPARENT = "grandparent", _("祖父母")
    OTHER_RELATIVE = "other_relative", _("その他の親族")
    OTHER = "other", _("同居人")


class Household(models.Model):
    """A household (世帯): persons living together, so an 8050 household shows together."""

    registered_by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="registered_households"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("世帯")
        verbose_name_plural = _("世帯")

    def __str__(self) -> str:
        return _("世帯 %(number)s") % {"number": self.pk}


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.OneToOneField(
        Person, verbose_name=_("世帯員"), on_delete=models.PROTECT, related_name="household_member"
    )
    relation = models.CharField(_("続柄"), max_length=20, choices=Relation.choices)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("世帯員")
        verbose_name_plural = _("世帯員")
        constraints = [valid_choice("relation", Relation, "household_relation_valid")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relation_display()})"


class Notification(models.Model):
    """A message in a user's in-app notification list (the bell)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(_("日時"), default=timezone.now)
    message = models.CharField(_("内容"), max_length=300)
    # A path inside the app; where it leads is checked again by the access policy.
    url = models.CharField(_("リンク"), max_length=200, blank=True)
    read_at = models.DateTimeField(_("既読日時"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("お知らせ")
        verbose_name_plural = _("お知らせ")
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(url="") | Q(url__startswith="/"), name="notification_url_local"
            )
        ]

    def __str__(self) -> str:
        return self.message


from casework.account_models import PasswordReset as PasswordReset  # noqa: E402
