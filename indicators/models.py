"""What the indicators app stores: survey and reported figures, and frozen snapshots.

Nothing here points at a person or a case: a snapshot holds aggregates already suppressed.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import validate_record_date
from casework.wareki import fiscal_year_bounds
from indicators.definitions import REPORTED_CODES, SURVEY_CODES

SURVEY_CHOICES = [(c, c) for c in SURVEY_CODES]
REPORTED_CHOICES = [(c, c) for c in REPORTED_CODES]
MAX_RESPONDENTS = 10_000_000
MAX_REPORTED = 10_000_000


def validate_not_future(value: datetime.date | None) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(_("未来の日付は指定できません。"), code="future")


class SurveyResult(models.Model):
    """A percentage from the ward's resident survey, for one survey indicator."""

    indicator = models.CharField(_("指標"), max_length=10, choices=SURVEY_CHOICES)
    percent = models.DecimalField(
        _("割合(%)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    respondents = models.PositiveIntegerField(
        _("回答者数"), validators=[MinValueValidator(1), MaxValueValidator(MAX_RESPONDENTS)]
    )
    survey_name = models.CharField(_("調査名"), max_length=200)
    surveyed_on = models.DateField(
        _("調査日"), validators=[validate_record_date, validate_not_future]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-surveyed_on", "-recorded_at", "-pk"]
        verbose_name = _("調査結果")
        verbose_name_plural = _("調査結果")
        indexes = [models.Index(fields=["indicator", "surveyed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator__in=list(SURVEY_CODES)), name="survey_indicator_valid"
            ),
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100), name="survey_percent_range"
            ),
            models.CheckConstraint(
                condition=Q(respondents__gte=1) & Q(respondents__lte=MAX_RESPONDENTS),
                name="survey_respondents_range",
            ),
            models.CheckConstraint(condition=~Q(survey_name=""), name="survey_name_set"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.surveyed_on} {self.percent}%"


class ReportedFigure(models.Model):
    """A count reported by an outside body (老人クラブ, シルバー人材センター)."""

    indicator = models.CharField(_("指標"), max_length=10, choices=REPORTED_CHOICES)
    value = models.PositiveIntegerField(
        _("人数"), validators=[MinValueValidator(0), MaxValueValidator(MAX_REPORTED)]
    )
    reporting_body = models.CharField(_("報告元"), max_length=200)
    as_of = models.DateField(_("基準日"), validators=[validate_record_date, validate_not_future])
    note = models.CharField(_("備考"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-as_of", "-recorded_at", "-pk"]
        verbose_name = _("報告値")
        verbose_name_plural = _("報告値")
        indexes = [models.Index(fields=["indicator", "as_of"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(indicator__in=list(REPORTED_CODES)), name="reported_indicator_valid"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0) & Q(value__lte=MAX_REPORTED),
                name="reported_value_range",
            ),
            models.CheckConstraint(condition=~Q(reporting_body=""), name="reported_body_set"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.as_of} {self.value}"


FROZEN = "an approved snapshot never changes"


class SnapshotState(models.TextChoices):
    DRAFT = "draft", _("下書き")
    APPROVED = "approved", _("承認済み")


class FrozenQuerySet(models.QuerySet[Any]):
    """Bulk writes that never touch an approved snapshot."""

    def update(self, **kwargs: Any) -> int:
        if self.filter(state=SnapshotState.APPROVED).exists():
            raise PermissionError(FROZEN)
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(state=SnapshotState.APPROVED).exists():
            raise PermissionError(FROZEN)
        return super().delete()


SnapshotQuerySet = FrozenQuerySet


class SnapshotBase(models.Model):
    """Figures of one fiscal year as computed at one moment, frozen once approved: the
    indicators' snapshot, and the national return's (returns.models)."""

    class Via(models.TextChoices):
        WEB = "web", _("画面")
        TASK = "task", _("バックグラウンド処理")
        COMMAND = "command", _("コマンド")

    fiscal_year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    number = models.PositiveIntegerField(_("版"))
    state = models.CharField(
        _("状態"), max_length=10, choices=SnapshotState.choices, default=SnapshotState.DRAFT
    )
    definition_version = models.CharField(_("定義の版"), max_length=40)
    suppression_k = models.PositiveSmallIntegerField(_("秘匿の閾値"))
    values = models.JSONField(_("集計値"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("集計者"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    computed_via = models.CharField(_("集計の方法"), max_length=10, choices=Via.choices)
    computed_at = models.DateTimeField(_("集計日時"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承認者"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("承認日時"), null=True, blank=True)
    # A later approval of the same year names the approved snapshot it replaces. The
    # pointer sits on the new row: the replaced one is frozen and is never written again.
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("差し替え前の版"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    supersede_reason = models.CharField(_("差し替えの理由"), max_length=500, blank=True)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._stored_approved():
            raise PermissionError(FROZEN)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self._stored_approved():
            raise PermissionError(FROZEN)
        return super().delete(*args, **kwargs)

    def _stored_approved(self) -> bool:
        return self.pk is not None and (
            type(self)._default_manager.filter(pk=self.pk, state=SnapshotState.APPROVED).exists()
        )

    @property
    def is_approved(self) -> bool:
        return self.state == SnapshotState.APPROVED

    @property
    def replacement(self) -> Any:
        """The approved snapshot that replaced this one, if any."""
        try:
            return self.superseded_by  # type: ignore[attr-defined]
        except self.DoesNotExist:
            return None

    @property
    def is_superseded(self) -> bool:
        return self.replacement is not None

    @property
    def is_current_approval(self) -> bool:
        return self.is_approved and not self.is_superseded

    @property
    def covers_until(self) -> datetime.date | None:
        """The day the records stop, when computed before its fiscal year ended (the
        figures are partial); None for a finished year."""
        raise NotImplementedError

    @property
    def is_partial_year(self) -> bool:
        return self.covers_until is not None


class Snapshot(SnapshotBase):
    """The indicators of one fiscal year as computed at one moment, frozen once approved."""

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "-number"]
        verbose_name = _("指標のスナップショット")
        verbose_name_plural = _("指標のスナップショット")
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "number"], name="snapshot_number"),
            # The year's figure for the annual review is the end of one chain: one first
            # approval per year, each approved snapshot replaced at most once (supersedes is
            # one-to-one), and a replacement names an earlier approved snapshot of its own
            # year (a trigger, migration 0004). So a year has one current approval.
            models.UniqueConstraint(
                fields=["fiscal_year"],
                condition=Q(state="approved", supersedes__isnull=True),
                name="snapshot_one_first_approval_per_year",
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True, supersede_reason="")
                | (Q(state="approved", supersedes__isnull=False) & ~Q(supersede_reason="")),
                name="snapshot_supersession_recorded",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "approved"]), name="snapshot_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(computed_via__in=["web", "task", "command"]),
                name="snapshot_via_valid",
            ),
            models.CheckConstraint(
                condition=Q(state="draft", approved_by__isnull=True, approved_at__isnull=True)
                | Q(state="approved", approved_by__isnull=False, approved_at__isnull=False),
                name="snapshot_approval_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} #{self.number} ({self.state})"

    @property
    def covers_until(self) -> datetime.date | None:
        """The day the records stop, when the snapshot was computed before its fiscal year
        ended (a year still running: its figures are partial); None for a finished year."""
        computed_on = timezone.localtime(self.computed_at).date()
        return computed_on if computed_on <= fiscal_year_bounds(self.fiscal_year)[1] else None
