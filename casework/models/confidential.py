"""Confidential marks (秘匿の指定): details hidden even from colleagues.

A mark on a person (住所・電話の秘匿, for example a DV victim's 住所秘匿) hides their address
and phone; a mark on a case (記録の秘匿, for example abuse notes) hides the words of its
contact records. Only the staff named on the mark see what it hides, and the worker who
wrote a hidden record sees that record. Everyone else who may see the person or the case
sees that something is hidden and whom to ask, never the hidden words: not on a page, in a
list, a search, a print, an export, a referral's summary or a notification.

Person.address_confidential and Case.records_confidential say an active mark exists, so a
page about an unmarked person or case decides without a query. casework/access_confidential.py
decides who sees what; casework/services/confidential.py is the only writer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.cases import Case
from casework.models.common import valid_choice
from casework.models.org import Agency
from casework.models.persons import Person


class MarkKind(models.TextChoices):
    ADDRESS = "address", _("住所・電話の秘匿")
    RECORDS = "records", _("記録の秘匿")


class ConfidentialMark(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("本人"), on_delete=models.PROTECT, related_name="confidential_marks"
    )
    # Set for a mark on a case's records; empty for a mark on the person's address.
    case = models.ForeignKey(
        Case,
        verbose_name=_("ケース"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="confidential_marks",
    )
    kind = models.CharField(_("秘匿の種類"), max_length=20, choices=MarkKind.choices)
    reason = models.CharField(_("秘匿の理由"), max_length=300)
    agency = models.ForeignKey(
        Agency, verbose_name=_("指定した機関"), on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("閲覧できる職員"),
        related_name="confidential_marks",
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("指定した職員"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    placed_at = models.DateTimeField(_("指定日時"), default=timezone.now, editable=False)
    lifted_at = models.DateTimeField(_("解除日時"), null=True, blank=True, editable=False)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("解除した職員"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lift_reason = models.CharField(_("解除の理由"), max_length=300, blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        verbose_name = _("秘匿の指定")
        verbose_name_plural = _("秘匿の指定")
        constraints = [
            valid_choice("kind", MarkKind, "confidential_kind_valid"),
            models.CheckConstraint(condition=~Q(reason=""), name="confidential_has_reason"),
            models.CheckConstraint(
                condition=(Q(kind=MarkKind.ADDRESS) & Q(case__isnull=True))
                | (Q(kind=MarkKind.RECORDS) & Q(case__isnull=False)),
                name="confidential_kind_target",
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True)
                | (Q(lifted_by__isnull=False) & ~Q(lift_reason="")),
                name="confidential_lift_complete",
            ),
            # One active mark of each kind per person (address) or case (records).
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(lifted_at__isnull=True, kind=MarkKind.ADDRESS),
                name="confidential_one_address_mark",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(lifted_at__isnull=True, kind=MarkKind.RECORDS),
                name="confidential_one_records_mark",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class MarkAction(models.TextChoices):
    PLACE = "place", _("指定")
    ADD = "add", _("閲覧できる職員に追加")
    REMOVE = "remove", _("閲覧できる職員から除外")
    LIFT = "lift", _("解除")


class MarkChange(models.Model):
    """What happened to a mark, by whom: placed, a name added or removed, lifted."""

    mark = models.ForeignKey(ConfidentialMark, on_delete=models.PROTECT, related_name="changes")
    action = models.CharField(_("操作"), max_length=20, choices=MarkAction.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("対象の職員"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作した職員"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("日時"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("秘匿の指定の変更")
        verbose_name_plural = _("秘匿の指定の変更")
        constraints = [valid_choice("action", MarkAction, "markchange_action_valid")]

    def __str__(self) -> str:
        return str(self.get_action_display())
