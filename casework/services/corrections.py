"""Corrections (訂正) of the record: a person's details, a household's members, a 経過記録.

Nothing is overwritten without trace. A person's and a household member's every saved
version is kept by django-simple-history with who, when and why; a 経過記録 gains a new
version (ContactRecordVersion, append-only in the database) and can be marked 誤記録,
which takes it off the timeline and keeps it in the history.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import access
from casework.models import (
    ContactRecord,
    Household,
    HouseholdMember,
    LeaveReason,
    Person,
    Relation,
)
from casework.selectors.corrections import field_display, field_label
from casework.services.common import Refusal, _not_future, person_lock
from casework.services.contacts import contact_fields_check, contact_version_add

if TYPE_CHECKING:
    from django.contrib.auth.models import User

REASON_MAX_LENGTH = 500


class StaleRecord(Refusal):
    """The record changed after the form was opened: nothing was saved. `changes` lists
    (field label, the value on record now) for each field that changed meanwhile."""

    def __init__(self, changes: list[tuple[str, str]], version: int):
        super().__init__(
            _(
                "この記録は、画面を開いた後に他の職員が変更しました。"
                "いまの内容を確認して、もう一度保存してください。"
            ),
            code="stale",
        )
        self.changes = changes
        self.version = version


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Refusal({"reason": _("訂正の理由を入力してください。")})
    if len(reason) > REASON_MAX_LENGTH:
        raise Refusal(
            {"reason": _("理由は%(n)d文字以内で入力してください。") % {"n": REASON_MAX_LENGTH}}
        )
    return reason


def _same(old: Any, new: Any) -> bool:
    # A form shows a time to the minute: a record's seconds are not a change.
    if isinstance(old, datetime.datetime) and isinstance(new, datetime.datetime):
        return old.replace(second=0, microsecond=0) == new.replace(second=0, microsecond=0)
    return bool(old == new)


def _changed(obj: Any, fields: tuple[str, ...], values: dict[str, Any]) -> list[str]:
    return [f for f in fields if f in values and not _same(getattr(obj, f), values[f])]


def _save_with_history(obj: Any, *, actor: User, reason: str) -> None:
    obj._history_user = actor
    obj._change_reason = reason
    obj.save()


@transaction.atomic
def person_correct(
    *, actor: User, person: Person, version: int, reason: str, **values: Any
) -> Person:
    """Correct the person's details (訂正). `values` holds the fields of Person.CORRECTABLE
    as the form sent them; `version` is the one the form was opened on."""
    if not access.may_correct_person(actor, person):
        raise PermissionDenied
    person_lock(person.pk)
    current = Person.objects.get(pk=person.pk)
    if current.disposed_at is not None:
        raise Refusal(_("保存期間を過ぎて廃棄した本人の情報は訂正できません。"))
    for field in ("family_name", "given_name", "family_name_kana", "given_name_kana", "address"):
        if isinstance(values.get(field), str):
            values[field] = values[field].strip()
    if isinstance(values.get("phone"), str):
        values["phone"] = values["phone"].strip()
    if current.version != version:
        opened = person.history.filter(version=version).first()
        fields = [
            f
            for f in (*Person.CORRECTABLE, "died_on")
            if opened is None or getattr(opened, f) != getattr(current, f)
        ]
        raise StaleRecord(
            [(field_label(Person, f), field_display(current, f)) for f in fields],
            current.version,
        )
    changed = _changed(current, Person.CORRECTABLE, values)
    if not changed:
        raise Refusal(_("変更された項目がありません。"))
    reason = _reason(reason)
    for field in changed:
        setattr(current, field, values[field])
    current.full_clean()
    current.version += 1
    _save_with_history(current, actor=actor, reason=reason)
    return current


def _current_member(member: HouseholdMember) -> HouseholdMember:
    # The household first: two changes of its members (two new 世帯主) run one after the other.
    Household.objects.select_for_update().filter(pk=member.household_id).first()
    person_lock(member.person_id)
    current = HouseholdMember.objects.select_related("household", "person").get(pk=member.pk)
    if current.left_on is not None:
        raise Refusal(_("この方はすでに世帯を離れています。"))
    return current


@transaction.atomic
def household_member_leave(
    *, actor: User, member: HouseholdMember, reason: str, left_on: datetime.date | None
) -> HouseholdMember:
    """A member leaves the household: moves out (転出) or dies (死亡, with the date, which
    is also kept on the person). The row stays, as the household's past."""
    if not access.may_edit_household(actor, member.household):
        raise PermissionDenied
    member = _current_member(member)
    if reason not in LeaveReason.values:
        raise Refusal({"left_reason": _("転出か死亡かを選んでください。")})
    if left_on is None:
        raise Refusal({"left_on": _("日付を入力してください。")})
    _not_future(left_on, "left_on")
    label = LeaveReason(reason).label
    if reason == LeaveReason.DIED:
        person = member.person
        if person.birth_date and left_on < person.birth_date:
            raise Refusal({"left_on": _("死亡日は生年月日より後の日付にしてください。")})
        person.died_on = left_on
        person.version += 1
        _save_with_history(person, actor=actor, reason=str(label))
    member.left_on, member.left_reason = left_on, reason
    _save_with_history(member, actor=actor, reason=str(label))
    return member


@transaction.atomic
def household_relation_change(
    *, actor: User, member: HouseholdMember, relation: str, reason: str
) -> HouseholdMember:
    """Change a present member's 続柄. A household has at most one 世帯主."""
    if not access.may_edit_household(actor, member.household):
        raise PermissionDenied
    member = _current_member(member)
    if relation not in Relation.values:
        raise Refusal({"relation": _("続柄を選んでください。")})
    if relation == member.relation:
        raise Refusal({"relation": _("続柄が変わっていません。")})
    reason = _reason(reason)
    if relation == Relation.HEAD and household_head(member.household_id) is not None:
        raise Refusal(
            {
                "relation": _(
                    "世帯主はすでに登録されています。世帯主を替えるときは、"
                    "先にいまの世帯主の続柄を変えてください。"
                )
            }
        )
    member.relation = relation
    _save_with_history(member, actor=actor, reason=reason)
    return member


def household_head(household_id: int) -> HouseholdMember | None:
    return (
        HouseholdMember.objects.current()
        .filter(household_id=household_id, relation=Relation.HEAD)
        .first()
    )


CONTACT_FIELDS = ("occurred_at", "method", "minutes", "summary", "next_action")


def _locked_contact(record: ContactRecord) -> ContactRecord:
    locked = (
        ContactRecord.all_records.select_for_update(of=("self",))
        .select_related("case", "case__owning_agency")
        .get(pk=record.pk)
    )
    if locked.voided_at is not None:
        raise Refusal(_("誤記録とされた経過記録は訂正できません。"))
    return locked


@transaction.atomic
def contact_record_correct(
    *, actor: User, record: ContactRecord, version: int, reason: str, **values: Any
) -> ContactRecord:
    """Correct a 経過記録 (訂正): a new version with its reason; the old ones stay."""
    may_correct, _may_void = access.contact_correction_rights(actor, record)
    if not may_correct:
        raise PermissionDenied
    current = _locked_contact(record)
    _not_disposed(current)
    for field in ("summary", "next_action"):
        if isinstance(values.get(field), str):
            values[field] = values[field].strip()
    if current.version != version:
        opened = current.versions.filter(number=version).first()
        fields = [
            f for f in CONTACT_FIELDS if opened is None or getattr(opened, f) != getattr(current, f)
        ]
        raise StaleRecord(
            [(field_label(ContactRecord, f), field_display(current, f)) for f in fields],
            current.version,
        )
    changed = _changed(current, CONTACT_FIELDS, values)
    if not changed:
        raise Refusal(_("変更された項目がありません。"))
    reason = _reason(reason)
    contact_fields_check(current.case, values.get("occurred_at", current.occurred_at))
    for field in changed:
        setattr(current, field, values[field])
    current.full_clean()
    current.version += 1
    current.corrected_at = timezone.now()
    current.save()
    contact_version_add(current, author=actor, reason=reason)
    return current


def _not_disposed(record: ContactRecord) -> None:
    """`record` as _locked_contact read it, with its case."""
    if record.case.disposed_at is not None:
        raise Refusal(_("保存期間を過ぎて廃棄したケースの記録は変更できません。"))


@transaction.atomic
def contact_record_void(*, actor: User, record: ContactRecord, reason: str) -> ContactRecord:
    """A supervisor marks a 経過記録 誤記録 (entered on the wrong case, a duplicate): it
    leaves the timeline and stays in the history with who, when and why."""
    _may_correct, may_void = access.contact_correction_rights(actor, record)
    if not may_void:
        raise PermissionDenied
    current = _locked_contact(record)
    _not_disposed(current)
    current.void_reason = _reason(reason)
    current.voided_at = timezone.now()
    current.voided_by = actor
    current.save(update_fields=["void_reason", "voided_at", "voided_by"])
    return current
