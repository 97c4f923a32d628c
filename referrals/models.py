"""Referrals (つなぎ) between agencies, and the access to a case that they carry."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Agency, Case, Consent, ContactRecord, valid_choice, validate_record_date


class Urgency(models.TextChoices):
    URGENT = "urgent", _("緊急")
    HIGH = "high", _("急ぎ")
    NORMAL = "normal", _("通常")


class Scope(models.TextChoices):
    SUMMARY = "summary", _("概要(本人・紹介理由・選んだ経過記録)")
    FULL = "full", _("ケース全体")


class ReferralState(models.TextChoices):
    SENT = "sent", _("回答待ち")
    ACCEPTED = "accepted", _("受理")
    DECLINED = "declined", _("お断り")
    COMPLETED = "completed", _("完了")
    WITHDRAWN = "withdrawn", _("取り下げ")


# While a referral is in one of these states the receiving side keeps its access.
OPEN_STATES = (ReferralState.SENT, ReferralState.ACCEPTED)


class Referral(models.Model):
    case = models.ForeignKey(
        Case, verbose_name=_("ケース"), on_delete=models.PROTECT, related_name="referrals"
    )
    sending_agency = models.ForeignKey(
        Agency, verbose_name=_("紹介元"), on_delete=models.PROTECT, related_name="sent_referrals"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("紹介した職員"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("送付日時"), default=timezone.now)
    receiving_agency = models.ForeignKey(
        Agency,
        verbose_name=_("紹介先"),
        on_delete=models.PROTECT,
        related_name="received_referrals",
    )
    reason = models.TextField(_("紹介の理由"), max_length=4000)
    urgency = models.CharField(
        _("緊急度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    answer_by = models.DateField(_("回答期限"), validators=[validate_record_date])
    scope = models.CharField(
        _("共有する範囲"), max_length=10, choices=Scope.choices, default=Scope.SUMMARY
    )
    shared_contacts = models.ManyToManyField(
        ContactRecord, verbose_name=_("共有する経過記録"), blank=True, related_name="+"
    )
    basis = models.ForeignKey(
        Consent,
        verbose_name=_("共有の根拠"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    # Referrals to public assistance (生活保護) are counted apart in the plan's figures.
    is_public_assistance = models.BooleanField(_("生活保護へのつなぎ"), default=False)
    state = models.CharField(
        _("状態"), max_length=10, choices=ReferralState.choices, default=ReferralState.SENT
    )
    answered_at = models.DateTimeField(_("回答日時"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回答した職員"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decline_reason = models.TextField(_("お断りの理由"), max_length=2000, blank=True)
    assigned_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("紹介先の担当者"),
        on_delete=models.PROTECT,
        related_name="assigned_referrals",
        null=True,
        blank=True,
    )
    completed_at = models.DateTimeField(_("完了日時"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("完了を記録した職員"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    completion_note = models.TextField(_("完了の報告"), max_length=2000, blank=True)
    withdrawn_at = models.DateTimeField(_("取り下げ日時"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("取り下げた職員"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    withdraw_reason = models.TextField(_("取り下げの理由"), max_length=2000, blank=True)

    # Not stored: what the user looking at the referral may do and see, set on the
    # instance by referrals.access_rules (referral_for_user, mark_identities).
    user_perms: frozenset[str]
    user_is_receiving: bool
    user_handles: bool
    identifies: bool
    shows_shared: bool

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("つなぎ")
        verbose_name_plural = _("つなぎ")
        indexes = [
            models.Index(fields=["receiving_agency", "state", "answer_by"]),
            models.Index(fields=["sending_agency", "state"]),
            models.Index(fields=["case", "state"]),
            # The reminder scan: referrals still waiting for an answer, by answer-by date.
            models.Index(
                fields=["answer_by"], condition=Q(state="sent"), name="referral_waiting_answer"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sending_agency=F("receiving_agency")),
                name="referral_to_another_agency",
            ),
            valid_choice("state", ReferralState, "referral_state_valid"),
            valid_choice("urgency", Urgency, "referral_urgency_valid"),
            valid_choice("scope", Scope, "referral_scope_valid"),
            models.CheckConstraint(condition=~Q(reason=""), name="referral_reason_set"),
            # Each answer records who gave it and when; a refusal says why.
            models.CheckConstraint(
                condition=Q(state="sent")
                | Q(state="withdrawn", answered_at__isnull=True)
                | Q(answered_at__isnull=False, answered_by__isnull=False),
                name="referral_answer_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(decline_reason=""),
                name="referral_decline_explained",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["accepted", "completed"])
                | Q(assigned_worker__isnull=False),
                name="referral_accepted_has_worker",
            ),
            models.CheckConstraint(
                condition=~Q(state="completed")
                | Q(completed_at__isnull=False, completed_by__isnull=False),
                name="referral_completion_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(state="withdrawn")
                | Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False),
                name="referral_withdrawal_recorded",
            ),
            # One open referral of a case to the same agency at a time.
            models.UniqueConstraint(
                fields=["case", "receiving_agency"],
                condition=Q(state__in=["sent", "accepted"]),
                name="referral_one_open_per_agency",
            ),
        ]

    def __str__(self) -> str:
        return _("つなぎ %(number)s") % {"number": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("referrals:detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_overdue(self) -> bool:
        return self.state == ReferralState.SENT and self.answer_by < timezone.localdate()
