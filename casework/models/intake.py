"""Intake, screening and emergency support."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.cases import Case
from casework.models.common import valid_choice, validate_record_date


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
