"""Requests a person makes about what the ward holds on them (個人情報保護法): to see it
(開示請求), to correct it (訂正請求), to stop its use (利用停止請求).

Each request has a legal deadline: the decision is due a set number of days after the day
it was received (TSUNAGU_RIGHTS_DEADLINE_DAYS, 30 by law), and may be extended once, with a
reason told to the person (TSUNAGU_RIGHTS_EXTENSION_DAYS at most)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from casework.models import Agency, ContactRecordVersion, Person, UseSuspension
from casework.models.common import valid_choice


class RequestKind(models.TextChoices):
    DISCLOSURE = "disclosure", _("開示請求")
    CORRECTION = "correction", _("訂正請求")
    SUSPENSION = "suspension", _("利用停止請求")


class RequestState(models.TextChoices):
    OPEN = "open", _("受付中")
    DECIDED = "decided", _("決定済み")
    DELIVERED = "delivered", _("交付・通知済み")
    WITHDRAWN = "withdrawn", _("取下げ")


class Decision(models.TextChoices):
    FULL = "full", _("全部認める(全部開示)")
    PARTIAL = "partial", _("一部認める(一部開示)")
    REFUSED = "refused", _("認めない(不開示)")


class Delivery(models.TextChoices):
    COUNTER = "counter", _("窓口で交付")
    POST = "post", _("郵送")
    NOTICE = "notice", _("決定の通知のみ")


OPEN_STATES = (RequestState.OPEN,)


class RightsRequest(models.Model):
    kind = models.CharField(_("種類"), max_length=20, choices=RequestKind.choices)
    person = models.ForeignKey(
        Person, verbose_name=_("本人"), on_delete=models.PROTECT, related_name="rights_requests"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("受け付けた機関"),
        on_delete=models.PROTECT,
        related_name="rights_requests",
    )
    received_on = models.DateField(_("受付日"))
    requester = models.CharField(
        _("請求者"),
        max_length=100,
        default="本人",
        help_text=_("本人、法定代理人、任意代理人など。"),
    )
    content = models.TextField(
        _("請求の内容"),
        help_text=_("開示を求める記録、訂正を求める箇所と内容、利用停止を求める理由など。"),
    )
    due_on = models.DateField(_("決定期限"), editable=False)
    extended_to = models.DateField(_("延長後の期限"), null=True, blank=True, editable=False)
    extension_reason = models.TextField(_("延長の理由"), blank=True, editable=False)
    state = models.CharField(
        _("状態"), max_length=20, choices=RequestState.choices, default=RequestState.OPEN
    )
    decision = models.CharField(_("決定"), max_length=20, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("決定の理由"), blank=True)
    decided_on = models.DateField(_("決定日"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("決定した職員"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    delivered_on = models.DateField(_("交付・通知日"), null=True, blank=True)
    delivery = models.CharField(
        _("交付の方法"), max_length=20, choices=Delivery.choices, blank=True
    )
    withdrawn_reason = models.TextField(_("取下げの理由"), blank=True)
    # The disclosure package as assembled (rights/package.py), frozen by the decision: what
    # is printed and delivered is what was decided on.
    package = models.JSONField(_("開示資料"), null=True, blank=True, editable=False)
    package_at = models.DateTimeField(_("資料の作成日時"), null=True, blank=True, editable=False)
    # The stop on the use of the record a 利用停止請求 set when it was received.
    suspension = models.ForeignKey(
        UseSuspension, on_delete=models.PROTECT, null=True, blank=True, editable=False
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受け付けた職員"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("登録日時"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("開示等の請求")
        verbose_name_plural = _("開示等の請求")
        indexes = [models.Index(fields=["agency", "state"], name="rights_agency_state")]
        constraints = [
            valid_choice("kind", RequestKind, "rights_kind_valid"),
            valid_choice("state", RequestState, "rights_state_valid"),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision__in=[c.value for c in Decision]),
                name="rights_decision_valid",
            ),
            models.CheckConstraint(
                condition=Q(delivery="") | Q(delivery__in=[c.value for c in Delivery]),
                name="rights_delivery_valid",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("received_on")), name="rights_due_after_received"
            ),
            models.CheckConstraint(
                condition=Q(extended_to__isnull=True)
                | (Q(extended_to__gt=models.F("due_on")) & ~Q(extension_reason="")),
                name="rights_extension_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(state=RequestState.OPEN)
                | Q(state=RequestState.WITHDRAWN)
                | (~Q(decision="") & Q(decided_on__isnull=False)),
                name="rights_decided_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("rights:detail", kwargs={"pk": self.pk})

    def display(self, field: str = "kind") -> str:
        """A choice as the records keep it (the access log, the package): in the ward's
        language, whatever the screen's."""
        with translation.override(settings.LANGUAGE_CODE):
            return str(getattr(self, f"get_{field}_display")())

    @property
    def record_name(self) -> str:
        return f"{self.display()} No.{self.pk}"

    @property
    def deadline(self) -> datetime.date:
        return self.extended_to or self.due_on

    @property
    def releasable(self) -> bool:
        """The released copy of the package is for the person once disclosure was decided."""
        return self.state in (RequestState.DECIDED, RequestState.DELIVERED) and self.decision in (
            Decision.FULL,
            Decision.PARTIAL,
        )

    @property
    def is_open(self) -> bool:
        return self.state == RequestState.OPEN

    def days_left(self, today: datetime.date | None = None) -> int:
        """Days until the deadline (0 on the day, negative once it has passed)."""
        return (self.deadline - (today or timezone.localdate())).days


class CorrectionLink(models.Model):
    """A correction of the record (a 訂正 version) made in answer to a 訂正請求: a corrected
    contact record's version, or a version of the person's details (its history row)."""

    request = models.ForeignKey(RightsRequest, on_delete=models.PROTECT, related_name="corrections")
    contact_version = models.ForeignKey(
        ContactRecordVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The id of the person's history row (simple_history's HistoricalPerson).
    person_history_id = models.PositiveBigIntegerField(null=True, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField(default=timezone.now, editable=False)
    # How many agencies that received the corrected data through a referral were told.
    agencies_told = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["linked_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact_version__isnull=False, person_history_id__isnull=True)
                | Q(contact_version__isnull=True, person_history_id__isnull=False),
                name="rights_correction_one_target",
            ),
            models.UniqueConstraint(
                fields=["request", "contact_version"], name="rights_correction_contact_once"
            ),
            models.UniqueConstraint(
                fields=["request", "person_history_id"], name="rights_correction_person_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} / {self.contact_version_id or self.person_history_id}"
