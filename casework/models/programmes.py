"""Programmes a person is enrolled in, and their outcomes."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.cases import Case
from casework.models.common import valid_choice, validate_record_date
from casework.models.persons import Person


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


class OutcomeKind(models.TextChoices):
    EMPLOYED = "employed", _("就労")
    INCOME_UP = "income_up", _("増収")


class ProgrammeOutcome(models.Model):
    """An outcome of the employment programme: 就労 (found work) or 増収 (more income)."""

    Kind = OutcomeKind

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
            valid_choice("kind", OutcomeKind, "outcome_kind_valid"),
            models.UniqueConstraint(
                fields=["enrolment", "kind", "achieved_on"], name="outcome_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.achieved_on}"
