"""Case meetings (支援会議)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.cases import Case
from casework.models.common import valid_choice, validate_record_date
from casework.models.org import Agency


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
