"""Confidential marks (秘匿の指定): placed, names added and removed, lifted.

Each change is a MarkChange row and a line of the access log (a grant or a revocation of
sight), and keeps Person.address_confidential / Case.records_confidential in step with the
active marks, in the same transaction. Who may do what: casework/access_confidential.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import access, extensions
from casework.access_confidential import (
    candidate_staff,
    forget_named,
    last_manager,
    may_manage_mark,
)
from casework.models import (
    AccessLog,
    Case,
    ConfidentialMark,
    HouseholdMember,
    MarkAction,
    MarkChange,
    MarkKind,
    Person,
)
from casework.services.common import person_lock
from casework.templatetags.tsunagu import staff_name

if TYPE_CHECKING:
    from django.contrib.auth.models import User

REASON_MAX = 300


def _reason(text: str, missing: str, too_long: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError({"reason": missing})
    if len(text) > REASON_MAX:
        raise ValidationError({"reason": too_long % {"n": REASON_MAX}})
    return text


def _placed(actor: User, mark: ConfidentialMark, named: list[User], what: str) -> None:
    """What follows a new mark: its named staff, its history, the flag, the stored copies
    (packages) told, the access log."""
    mark.staff.set(named)
    MarkChange.objects.create(mark=mark, action=MarkAction.PLACE, actor=actor)
    _sync_flags(mark)
    extensions.mark_placed(mark)
    _log(actor, mark, AccessLog.Action.GRANT, what)


def _sync_flags(mark: ConfidentialMark) -> None:
    """The flag on the person or case says whether an active mark of the kind is left."""
    active = ConfidentialMark.objects.filter(kind=mark.kind, lifted_at__isnull=True)
    if mark.kind == MarkKind.ADDRESS:
        on = active.filter(person_id=mark.person_id).exists()
        Person.objects.filter(pk=mark.person_id).update(address_confidential=on)
        mark.person.address_confidential = on
    elif mark.case is not None:
        on = active.filter(case_id=mark.case.pk).exists()
        Case.objects.filter(pk=mark.case.pk).update(records_confidential=on)
        mark.case.records_confidential = on


def _log(actor: User, mark: ConfidentialMark, action: str, what: str) -> None:
    access.log_access(
        actor,
        person=mark.person,
        case=mark.case,
        action=action,
        detail=f"秘匿の指定({mark.get_kind_display()}): {what}",
    )


def household_of(person: Person, actor: User) -> list[Person]:
    """The others who live with the person now, who share the address that is hidden: those
    the actor may hide it for, in a household the actor may read."""
    member = (
        HouseholdMember.objects.current()
        .filter(person_id=person.pk)
        .select_related("household")
        .first()
    )
    if member is None or not access.household_readable(actor, member.household):
        return []
    others = HouseholdMember.objects.current().filter(household_id=member.household_id)
    return [
        m.person
        for m in others.exclude(person_id=person.pk).select_related("person").order_by("pk")
        if access.may_mark_address(actor, m.person)
    ]


def _clean_staff(actor: User, agency_id: int, person: Person, staff: Iterable[User]) -> list[User]:
    allowed = set(candidate_staff(agency_id, person).values_list("pk", flat=True))
    chosen = {u.pk: u for u in staff}
    chosen.setdefault(actor.pk, actor)
    if not set(chosen) <= allowed:
        raise ValidationError(
            {"staff": _("閲覧できる職員には、この本人を担当できる職員だけを指定できます。")}
        )
    return list(chosen.values())


@transaction.atomic
def mark_place(
    *,
    actor: User,
    person: Person,
    kind: str,
    reason: str,
    staff: Iterable[User] = (),
    case: Case | None = None,
    household: Iterable[Person] = (),
) -> list[ConfidentialMark]:
    """Hide the person's address and phone (and those of the household members chosen,
    who share it), or the words of the case's contact records. The actor is always named."""
    membership = access.require_case_role(actor)
    reason = _reason(
        reason,
        _("秘匿の理由を入力してください。"),
        _("秘匿の理由は%(n)d文字以内で入力してください。"),
    )
    if kind == MarkKind.ADDRESS:
        if case is not None or not access.may_mark_address(actor, person):
            raise PermissionDenied
        household_ids = {p.pk for p in household_of(person, actor)}
        targets = [person, *(p for p in household if p.pk in household_ids)]
    elif kind == MarkKind.RECORDS:
        if case is None or case.person_id != person.pk or not access.may_mark_records(actor, case):
            raise PermissionDenied
        targets = [person]
    else:
        raise ValidationError({"kind": _("秘匿の種類を選んでください。")})
    named = _clean_staff(actor, membership.agency_id, person, staff)
    # Every person's lock first, in id order: two placements over one household wait for
    # each other instead of deadlocking.
    for pk in sorted({t.pk for t in targets}):
        person_lock(pk)
    marks = []
    for target in targets:
        active = ConfidentialMark.objects.filter(kind=kind, lifted_at__isnull=True)
        exists = (
            active.filter(person_id=target.pk)
            if kind == MarkKind.ADDRESS
            else active.filter(case=case)
        ).exists()
        if exists:
            if target.pk == person.pk:
                raise ValidationError({"kind": _("この秘匿はすでに指定されています。")})
            continue  # a household member already hidden keeps the mark they have
        try:
            with transaction.atomic():
                mark = ConfidentialMark.objects.create(
                    person=target,
                    case=case,
                    kind=kind,
                    reason=reason,
                    agency_id=membership.agency_id,
                    placed_by=actor,
                )
        except IntegrityError:  # placed meanwhile (SQLite takes no row lock)
            raise ValidationError({"kind": _("この秘匿はすでに指定されています。")}) from None
        names = "、".join(staff_name(u) for u in named)
        _placed(actor, mark, named, f"{names}のみ閲覧")
        marks.append(mark)
    forget_named(actor, *named)
    return marks


def _locked(actor: User, mark: ConfidentialMark) -> ConfidentialMark:
    person_lock(mark.person_id)
    locked = ConfidentialMark.objects.select_for_update().get(pk=mark.pk)
    locked.person, locked.case = mark.person, mark.case
    if not may_manage_mark(actor, locked):
        raise PermissionDenied
    return locked


@transaction.atomic
def mark_staff_add(*, actor: User, mark: ConfidentialMark, user: User) -> None:
    locked = _locked(actor, mark)
    _clean_staff(actor, locked.agency_id, locked.person, [user])
    if locked.staff.filter(pk=user.pk).exists():
        return
    locked.staff.add(user)
    MarkChange.objects.create(mark=locked, action=MarkAction.ADD, staff=user, actor=actor)
    _log(actor, locked, AccessLog.Action.GRANT, f"{staff_name(user)}を閲覧できる職員に追加")
    forget_named(actor, user)


@transaction.atomic
def mark_staff_remove(*, actor: User, mark: ConfidentialMark, user: User) -> None:
    locked = _locked(actor, mark)
    if not locked.staff.filter(pk=user.pk).exists():
        return
    if locked.staff.count() == 1:
        raise ValidationError(
            {"staff": _("閲覧できる職員を誰もいなくすることはできません。秘匿を解除してください。")}
        )
    if last_manager(locked, user):
        raise ValidationError(
            {
                "staff": _(
                    "秘匿を変更・解除できる職員(指定した職員か、機関のスーパーバイザー)が"
                    "いなくなるため、外せません。"
                )
            }
        )
    locked.staff.remove(user)
    MarkChange.objects.create(mark=locked, action=MarkAction.REMOVE, staff=user, actor=actor)
    _log(actor, locked, AccessLog.Action.REVOKE, f"{staff_name(user)}を閲覧できる職員から除外")
    forget_named(actor, user)


@transaction.atomic
def mark_lift(*, actor: User, mark: ConfidentialMark, reason: str) -> ConfidentialMark:
    reason = _reason(
        reason,
        _("解除の理由を入力してください。"),
        _("解除の理由は%(n)d文字以内で入力してください。"),
    )
    locked = _locked(actor, mark)
    locked.lifted_at = timezone.now()
    locked.lifted_by = actor
    locked.lift_reason = reason
    locked.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    MarkChange.objects.create(mark=locked, action=MarkAction.LIFT, actor=actor)
    _sync_flags(locked)
    _log(actor, locked, AccessLog.Action.REVOKE, "解除")
    forget_named(actor)
    return locked


def household_marks_extend(*, actor: User, household_id: int, newcomers: list[Person]) -> None:
    """A household shares one address: when someone joins a household whose address is
    hidden, the newcomer's is hidden too; when a person whose address is hidden joins a
    household, the address of everyone living there is. The mark is copied with the same
    named staff, reason, agency and placer (the join is recorded as its actor); called in the
    join's transaction, under the persons' locks."""
    current = list(
        HouseholdMember.objects.current()
        .filter(household_id=household_id)
        .select_related("person")
        .order_by("pk")
    )
    active = ConfidentialMark.objects.filter(kind=MarkKind.ADDRESS, lifted_at__isnull=True)
    marked = set(
        active.filter(person_id__in=[m.person_id for m in current]).values_list(
            "person_id", flat=True
        )
    )
    if not marked:
        return
    newcomer_ids = {p.pk for p in newcomers}
    if marked & newcomer_ids:
        targets = [m.person for m in current]  # a hidden person moved in: everyone there
    else:
        targets = [m.person for m in current if m.person_id in newcomer_ids]
    source = active.filter(person_id__in=marked).order_by("pk").first()
    assert source is not None
    named = list(source.staff.all())
    for person in targets:
        if person.pk in marked:
            continue
        mark = ConfidentialMark.objects.create(
            person=person,
            kind=MarkKind.ADDRESS,
            reason=source.reason,
            agency_id=source.agency_id,
            placed_by_id=source.placed_by_id,
        )
        _placed(actor, mark, named, "世帯の住所の秘匿を引き継ぎ")
    forget_named(actor, *named)
