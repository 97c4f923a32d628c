"""Outreach and community work: awareness events, activity groups with their sessions and
participants, and new community life-support services (the plan's indicators count them)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Agency, District, Person, valid_choice, validate_record_date

if TYPE_CHECKING:
    from outreach.selectors import Visited


def validate_not_future(value: datetime.date | None) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(_("未来の日付は指定できません。"), code="future")


class EventTheme(models.TextChoices):
    HELP_SEEKING = "help_seeking", _("助けてと言える社会づくり")
    DEMENTIA = "dementia", _("認知症の理解")
    GUARDIANSHIP = "guardianship", _("成年後見・権利擁護")
    CARE_PREVENTION = "care_prevention", _("介護予防")
    OTHER = "other", _("その他")


class EventCategory(models.TextChoices):
    LECTURE = "lecture", _("講演会")
    SYMPOSIUM = "symposium", _("シンポジウム")
    WORKSHOP = "workshop", _("研修・ワークショップ")
    OTHER = "other", _("その他")


class AwarenessEvent(models.Model):
    """A held awareness event (啓発活動) and how many took part."""

    title = models.CharField(_("名称"), max_length=200)
    theme = models.CharField(_("テーマ"), max_length=20, choices=EventTheme.choices)
    category = models.CharField(_("形式"), max_length=20, choices=EventCategory.choices)
    held_on = models.DateField(_("開催日"), validators=[validate_record_date, validate_not_future])
    district = models.ForeignKey(
        District,
        verbose_name=_("地区(区全域は空欄)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    participants = models.PositiveIntegerField(_("参加者数"))
    organizer = models.ForeignKey(
        Agency, verbose_name=_("主催"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("啓発活動")
        verbose_name_plural = _("啓発活動")
        indexes = [models.Index(fields=["theme", "held_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(participants__gte=0), name="event_participants_ok"),
            valid_choice("theme", EventTheme, "event_theme_valid"),
            valid_choice("category", EventCategory, "event_category_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class GroupKind(models.TextChoices):
    EXERCISE = "exercise", _("運動(めぐろ手ぬぐい体操など)")
    SALON = "salon", _("地域交流サロン")
    NUTRITION_ORAL = "nutrition_oral", _("栄養・口腔")
    DEMENTIA_PREVENTION = "dementia_prevention", _("認知症予防")
    OTHER = "other", _("その他")


class ActivityGroup(models.Model):
    """A regular community activity group: its sessions count attendances (延べ人数)."""

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("種類"), max_length=30, choices=GroupKind.choices)
    is_care_prevention = models.BooleanField(_("介護予防事業"), default=False)
    district = models.ForeignKey(District, verbose_name=_("地区"), on_delete=models.PROTECT)
    venue = models.CharField(_("会場"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("定員"), null=True, blank=True)
    supporting_agency = models.ForeignKey(
        Agency, verbose_name=_("支援する機関"), on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("開始日"), validators=[validate_record_date])
    ended_on = models.DateField(
        _("終了日"), null=True, blank=True, validators=[validate_record_date]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["district__sort_order", "name"]
        verbose_name = _("活動グループ")
        verbose_name_plural = _("活動グループ")
        constraints = [
            models.UniqueConstraint(fields=["name", "district"], name="group_name_unique"),
            valid_choice("kind", GroupKind, "group_kind_valid"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="group_capacity_ok"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="group_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("outreach:group_detail", kwargs={"pk": self.pk})


class GroupSession(models.Model):
    """One session of a group and how many attended it (one person at 10 sessions = 10)."""

    group = models.ForeignKey(ActivityGroup, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField(_("実施日"), validators=[validate_record_date, validate_not_future])
    attendance = models.PositiveIntegerField(_("参加者数(延べ)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("実施回")
        verbose_name_plural = _("実施回")
        indexes = [models.Index(fields=["held_on"])]
        constraints = [
            models.UniqueConstraint(fields=["group", "held_on"], name="session_one_per_day"),
            models.CheckConstraint(condition=Q(attendance__gte=0), name="session_attendance_ok"),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.held_on}"


class GroupParticipant(models.Model):
    """A registered participant of a group. For care-prevention groups, whether they also
    take part in a community activity (the plan counts the share who do)."""

    group = models.ForeignKey(ActivityGroup, on_delete=models.PROTECT, related_name="participants")
    person = models.ForeignKey(
        Person, verbose_name=_("参加者"), on_delete=models.PROTECT, related_name="+"
    )
    joined_on = models.DateField(_("登録日"), validators=[validate_record_date])
    left_on = models.DateField(
        _("退会日"), null=True, blank=True, validators=[validate_record_date]
    )
    in_community_activity = models.BooleanField(_("地域活動に参加している"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["joined_on", "pk"]
        verbose_name = _("登録参加者")
        verbose_name_plural = _("登録参加者")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"],
                condition=Q(left_on__isnull=True),
                name="participant_once_per_group",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="participant_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.person}"


class ServiceKind(models.TextChoices):
    WATCHING = "watching", _("見守り")
    MEALS = "meals", _("配食・会食")
    PLACE = "place", _("居場所")
    TRANSPORT = "transport", _("移動支援")
    HOUSEWORK = "housework", _("家事援助")
    SHOPPING = "shopping", _("買い物支援")
    OTHER = "other", _("その他")


class LifeSupportService(models.Model):
    """A new community life-support service (新たな生活支援サービス) created in a district."""

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("種類"), max_length=20, choices=ServiceKind.choices)
    district = models.ForeignKey(District, verbose_name=_("地区"), on_delete=models.PROTECT)
    created_on = models.DateField(
        _("創出日"), validators=[validate_record_date, validate_not_future]
    )
    council = models.CharField(_("支援した協議体"), max_length=200, blank=True)
    supported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("支援した職員"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("内容"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_on", "-pk"]
        verbose_name = _("新たな生活支援サービス")
        verbose_name_plural = _("新たな生活支援サービス")
        indexes = [models.Index(fields=["created_on"])]
        constraints = [
            valid_choice("kind", ServiceKind, "service_kind_valid"),
            models.CheckConstraint(
                condition=~Q(council="") | Q(supported_by__isnull=False),
                name="service_supporter_named",
            ),
        ]

    def __str__(self) -> str:
        return self.name


# --- the watch network and outreach visits --------------------------------------------------


class ReporterKind(models.TextChoices):
    MINSEI = "minsei", _("民生委員")
    NEIGHBOUR = "neighbour", _("近隣住民")
    NEWSPAPER = "newspaper", _("事業者(新聞)")
    MEALS = "meals", _("事業者(配食)")
    GAS = "gas", _("事業者(ガス)")
    ELECTRICITY = "electricity", _("事業者(電気)")
    DELIVERY = "delivery", _("事業者(宅配)")
    POLICE = "police", _("警察")
    ANONYMOUS = "anonymous", _("匿名")
    OTHER = "other", _("その他")


class ReportUrgency(models.TextChoices):
    URGENT = "urgent", _("緊急")
    NORMAL = "normal", _("通常")


class ReportState(models.TextChoices):
    NEW = "new", _("未対応")
    ASSIGNED = "assigned", _("担当者決定")
    LINKED = "linked", _("本人・ケースに連携")
    CASE_OPENED = "case_opened", _("ケースを開始")
    CLOSED = "closed", _("懸念なしで終了")


TRIAGE_OPEN_STATES = (ReportState.NEW, ReportState.ASSIGNED)


class WatchReport(models.Model):
    """A concern reported through the watch network (見守りネットワーク). It holds what was
    reported and no more; the reporter is never shown the case."""

    reporter_kind = models.CharField(_("通報者"), max_length=20, choices=ReporterKind.choices)
    reporter_name = models.CharField(_("通報者の氏名・事業者名"), max_length=100, blank=True)
    reporter_contact = models.CharField(_("通報者の連絡先"), max_length=100, blank=True)
    received_at = models.DateTimeField(_("受付日時"), validators=[validate_record_date])
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受付者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("場所(住所)"), max_length=200)
    district = models.ForeignKey(District, verbose_name=_("地区"), on_delete=models.PROTECT)
    subject_name = models.CharField(_("対象者の氏名(わかれば)"), max_length=100, blank=True)
    subject_description = models.CharField(_("対象者の様子"), max_length=200, blank=True)
    noticed = models.TextField(_("気づいたこと"), max_length=4000)
    urgency = models.CharField(
        _("緊急度"), max_length=10, choices=ReportUrgency.choices, default=ReportUrgency.NORMAL
    )
    state = models.CharField(
        _("状態"), max_length=20, choices=ReportState.choices, default=ReportState.NEW
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("担当者"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("本人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    case = models.ForeignKey(
        "casework.Case",
        verbose_name=_("ケース"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    close_reason = models.TextField(_("終了の理由"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("見守り通報")
        verbose_name_plural = _("見守り通報")
        indexes = [
            models.Index(fields=["district", "state", "urgency", "received_at"]),
            # The reminder scan: reports nobody has taken up yet, by time of receipt.
            models.Index(fields=["received_at"], condition=Q(state="new"), name="report_new"),
        ]
        constraints = [
            valid_choice("reporter_kind", ReporterKind, "report_reporter_valid"),
            valid_choice("urgency", ReportUrgency, "report_urgency_valid"),
            valid_choice("state", ReportState, "report_state_valid"),
            models.CheckConstraint(condition=~Q(noticed=""), name="report_noticed_set"),
            # An anonymous report keeps no name of who made it.
            models.CheckConstraint(
                condition=~Q(reporter_kind="anonymous") | Q(reporter_name="", reporter_contact=""),
                name="report_anonymous_unnamed",
            ),
            models.CheckConstraint(
                condition=~Q(state="closed") | (Q(closed_at__isnull=False) & ~Q(close_reason="")),
                name="report_closure_explained",
            ),
            models.CheckConstraint(
                condition=~Q(state="case_opened") | Q(case__isnull=False),
                name="report_case_opened_has_case",
            ),
        ]

    def __str__(self) -> str:
        return _("見守り通報 %(number)s") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("outreach:report_detail", kwargs={"pk": self.pk})


class VisitResult(models.TextChoices):
    MET = "met", _("面会できた")
    ABSENT = "absent", _("不在")
    REFUSED = "refused", _("拒否")
    CANCELLED = "cancelled", _("中止")


class Observation(models.TextChoices):
    MAIL_PILED = "mail_piled", _("郵便物の滞留")
    ODOUR = "odour", _("異臭")
    UTILITIES_OFF = "utilities_off", _("電気・ガス停止の兆候")
    WEAKNESS = "weakness", _("衰弱")
    DISORDER = "disorder", _("室内の荒れ")
    OTHER = "other", _("その他")


class OutreachVisit(models.Model):
    """An outreach home visit (アウトリーチ) for a case, or for a watch report before any
    case exists. Planned first; its result is recorded afterwards, once."""

    case = models.ForeignKey(
        "casework.Case",
        verbose_name=_("ケース"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outreach_visits",
    )
    report = models.ForeignKey(
        WatchReport,
        verbose_name=_("見守り通報"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    planned_at = models.DateTimeField(_("予定日時"), validators=[validate_record_date])
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("訪問する職員"), related_name="outreach_visits"
    )
    purpose = models.CharField(_("目的"), max_length=300, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(_("結果"), max_length=20, choices=VisitResult.choices, blank=True)
    visited_at = models.DateTimeField(
        _("訪問日時"), null=True, blank=True, validators=[validate_record_date]
    )
    observations = models.JSONField(_("気づいた様子"), default=list, blank=True)
    notes = models.TextField(_("記録"), max_length=4000, blank=True)
    next_visit_on = models.DateField(
        _("次回訪問予定日"), null=True, blank=True, validators=[validate_record_date]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The visit's entry in the case's contact timeline, written once with the result.
    contact = models.OneToOneField(
        "casework.ContactRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outreach_visit",
    )

    # Not stored: who the visit goes to, as the visiting staff may read it, set on the
    # instance by outreach.selectors for the visits pages.
    visited: Visited

    class Meta:
        ordering = ["-planned_at", "-pk"]
        verbose_name = _("アウトリーチ訪問")
        verbose_name_plural = _("アウトリーチ訪問")
        indexes = [
            models.Index(fields=["agency", "planned_at"]),
            models.Index(fields=["case", "visited_at"]),
            # The reminder scan: planned visits without a result, by planned time.
            models.Index(fields=["planned_at"], condition=Q(result=""), name="visit_unrecorded"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(report__isnull=False),
                name="visit_for_case_or_report",
            ),
            models.CheckConstraint(
                condition=Q(result="") | Q(result__in=[r.value for r in VisitResult]),
                name="visit_result_valid",
            ),
            models.CheckConstraint(
                condition=Q(result="", visited_at__isnull=True, recorded_by__isnull=True)
                | (~Q(result="") & Q(visited_at__isnull=False, recorded_by__isnull=False)),
                name="visit_result_recorded",
            ),
        ]

    def __str__(self) -> str:
        return _("訪問 %(number)s") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("outreach:visit_detail", kwargs={"pk": self.pk})

    @property
    def is_recorded(self) -> bool:
        return bool(self.result)

    def observation_labels(self) -> list[str]:
        labels = dict(Observation.choices)
        return [str(labels.get(o, o)) for o in self.observations]
