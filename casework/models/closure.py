"""Closing a case: the request and its approval."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.cases import Case
from casework.models.common import valid_choice, validate_record_date


class ClosureReason(models.TextChoices):
    GOAL_ACHIEVED = "goal_achieved", _("目標達成")
    TRANSFERRED = "transferred", _("他機関へ移管")
    MOVED = "moved", _("転居")
    DIED = "died", _("死亡")
    UNREACHABLE = "unreachable", _("連絡不能")
    PERSON_WISH = "person_wish", _("本人の希望")
    INFO_ONLY = "info_only", _("情報提供のみで終了")
    OTHER = "other", _("その他")


class ClosureState(models.TextChoices):
    PENDING = "pending", _("承認待ち")
    APPROVED = "approved", _("承認")
    REJECTED = "rejected", _("差し戻し")


class ClosureRequest(models.Model):
    """A worker asks to close a case; a supervisor of the owning agency decides."""

    State = ClosureState

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
            valid_choice("state", ClosureState, "closure_state_valid"),
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
