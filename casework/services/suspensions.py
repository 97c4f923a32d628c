"""The stop on the use of a person's record (利用停止): set, lifted, and checked by every
write that would pass the person's data on (a share with another worker, a referral)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import Person, UseSuspension
from casework.services.common import person_lock
from casework.wareki import wareki_date

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def use_suspension_of(person_id: int) -> UseSuspension | None:
    """The stop in force on the person's record, if any (the newest, when there are two)."""
    return UseSuspension.objects.filter(person_id=person_id, lifted_at__isnull=True).first()


def require_in_use(person_id: int, field: str | None = None) -> None:
    """Refuse a new referral or share while the person's record is stopped, saying why."""
    suspension = use_suspension_of(person_id)
    if suspension is None:
        return
    message = _(
        "本人の記録は利用停止中です(%(date)s から、理由: %(reason)s)。"
        "新たなつなぎや共有はできません。"
    ) % {
        "date": wareki_date(timezone.localdate(suspension.set_at)),
        "reason": suspension.reason,
    }
    raise ValidationError({field: message} if field else message)


@transaction.atomic
def use_suspend(*, actor: User, person: Person, reason: str) -> UseSuspension:
    person_lock(person.pk)
    suspension = UseSuspension(person=person, reason=reason.strip()[:300], set_by=actor)
    suspension.full_clean()
    suspension.save()
    return suspension


@transaction.atomic
def use_resume(*, actor: User, suspension: UseSuspension, reason: str) -> UseSuspension:
    person_lock(suspension.person_id)
    locked = UseSuspension.objects.select_for_update().get(pk=suspension.pk)
    if locked.lifted_at is None:
        locked.lifted_at = timezone.now()
        locked.lifted_by = actor
        locked.lift_reason = reason.strip()[:300]
        locked.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    return locked
