"""Assessments of a person's situation."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.cases import Case
from casework.models.common import valid_choice, validate_record_date


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
