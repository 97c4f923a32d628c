"""The person's consent to share their record between agencies."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models.common import valid_choice, validate_record_date
from casework.models.org import Agency
from casework.models.persons import Person
from casework.wareki import date_on_screen


class ConsentBasis(models.TextChoices):
    CONSENT = "consent", _("本人同意")
    SUPPORT_MEETING = "support_meeting", _("支援会議(社会福祉法第106条の6)")
    ABUSE_RESPONSE = "abuse_response", _("虐待対応")
    PROTECT_LIFE = "protect_life", _("生命・身体の保護")


class Consent(models.Model):
    """The basis on which a person's information may be shared with named agencies.

    A record with a history: withdrawal sets withdrawn_on and never deletes the row.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("本人"), on_delete=models.PROTECT, related_name="consents"
    )
    basis = models.CharField(_("根拠"), max_length=20, choices=ConsentBasis.choices)
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("対象機関"), related_name="consents_covering"
    )
    given_on = models.DateField(_("同意日"), validators=[validate_record_date])
    withdrawn_on = models.DateField(
        _("撤回日"), null=True, blank=True, validators=[validate_record_date]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記録者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The agency whose record this is: only it sees the record and records its withdrawal,
    # even after the recorder moves, and even when another agency comes to hold the person.
    recorded_by_agency = models.ForeignKey(
        Agency,
        verbose_name=_("記録した機関"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回を記録した職員"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    note = models.TextField(_("備考"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("記録日時"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("同意・共有の根拠")
        verbose_name_plural = _("同意・共有の根拠")
        constraints = [
            valid_choice("basis", ConsentBasis, "consent_basis_valid"),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("given_on")),
                name="consent_withdrawn_after_given",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True, withdrawn_by__isnull=True)
                | Q(withdrawn_on__isnull=False, withdrawn_by__isnull=False),
                name="consent_withdrawal_has_author",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_basis_display()} ({date_on_screen(self.given_on)})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None
