"""Recording and withdrawing the person's consent."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import access
from casework.models import (
    Agency,
    CaseShare,
    Consent,
    ConsentBasis,
    Person,
)
from casework.services.cases import _revoke_share
from casework.services.common import person_lock

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def consent_record(
    *,
    actor: User,
    person: Person,
    basis: str,
    agencies: Iterable[Agency],
    given_on: datetime.date,
    note: str = "",
) -> Consent:
    if not access.person_in_agency_scope(actor, person):
        raise PermissionDenied
    agencies = list(agencies)
    if not agencies:
        raise ValidationError({"agencies": _("対象機関を一つ以上選んでください。")})
    if basis not in ConsentBasis.values:
        raise ValidationError({"basis": _("選択できない根拠です。")})
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("未来の日付は指定できません。")})
    membership = access.membership_of(actor)
    assert membership is not None  # the person is in the actor's agency's scope
    consent = Consent(
        person=person,
        basis=basis,
        given_on=given_on,
        note=note,
        recorded_by=actor,
        recorded_by_agency_id=membership.agency_id,
    )
    consent.full_clean()
    consent.save()
    consent.agencies.set(agencies)
    return consent


@transaction.atomic
def consent_withdraw(
    *, actor: User, consent: Consent, withdrawn_on: datetime.date | None = None
) -> Consent:
    """Withdraw a consent; every share that rested on it ends at once, and is logged."""
    # Lock order, everywhere a consent and a case meet: the person, then the rest.
    person_lock(consent.person_id)
    consent = (
        Consent.objects.select_for_update(of=("self",)).select_related("person").get(pk=consent.pk)
    )
    if not access.consent_is_own(actor, consent):
        raise PermissionDenied
    if consent.withdrawn_on is not None:
        raise ValidationError(_("この同意はすでに撤回されています。"))
    if withdrawn_on and withdrawn_on > timezone.localdate():
        raise ValidationError({"withdrawn_on": _("未来の日付は指定できません。")})
    if withdrawn_on and withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": _("撤回日は同意日以降にしてください。")})
    consent.withdrawn_on = withdrawn_on or timezone.localdate()
    consent.withdrawn_by = actor
    consent.full_clean()
    consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
    shares = CaseShare.objects.filter(consent=consent, revoked_at__isnull=True).select_related(
        "case__person", "user"
    )
    for share in shares:
        _revoke_share(share=share, actor=actor, reason="同意の撤回")
    # Referrals and whatever else rests on the consent end now too.
    access.consent_withdrawn(consent=consent, actor=actor)
    return consent
