"""Filing attachments with the record, and replacing their files by new versions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casework import access, attachment_files
from casework.models import (
    Attachment,
    AttachmentKind,
    AttachmentVersion,
    Case,
    Consent,
    Person,
    SupportPlan,
)
from casework.services.common import _require_open

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _file_error(error: ValidationError) -> ValidationError:
    return ValidationError({"file": error.error_list})


def _stored_version(
    *, actor: User, attachment: Attachment, number: int, file: Any, reason: str
) -> AttachmentVersion:
    """Check the file, keep its bytes, then the version row; the bytes go again if the row
    is not saved, so that no file is left that no record names. The callers save nothing
    after it: only a failed commit (or a crash) could leave bytes that no row names, never
    a row without its bytes."""
    try:
        found = attachment_files.check_upload(file)
    except ValidationError as error:
        raise _file_error(error) from None
    stored = attachment_files.store(file)
    try:
        version = AttachmentVersion(
            attachment=attachment,
            number=number,
            storage_key=stored.key,
            file_type=found.key,
            original_name=(file.name or "")[-255:],
            size=stored.size,
            sha256=stored.sha256,
            reason=reason,
            uploaded_by=actor,
        )
        version.full_clean()
        version.save()
    except BaseException:
        attachment_files.discard(stored.key)
        raise
    return version


@transaction.atomic
def attachment_add(
    *,
    actor: User,
    person: Person,
    kind: str,
    title: str,
    file: Any,
    case: Case | None = None,
    plan: SupportPlan | None = None,
    consent: Consent | None = None,
) -> Attachment:
    """File an attachment with the person alone, a case, a plan version of the case or a
    consent record of the person (at most one of case/plan and consent)."""
    if plan is not None:
        if case is not None and plan.case_id != case.pk:
            raise ValidationError({"plan": _("このケースの支援プランではありません。")})
        case = plan.case
    if case is not None and consent is not None:
        raise ValidationError({"consent": _("ケースの書類は同意の記録には添付しません。")})
    if case is not None:
        if case.person_id != person.pk:
            raise ValidationError(_("ケースの本人ではありません。"))
        if access.WORK not in access.case_permissions(actor, case):
            raise PermissionDenied
        _require_open(case)
    elif not access.may_attach_to_person(actor, person):
        raise PermissionDenied
    if consent is not None and (
        consent.person_id != person.pk or not access.consent_is_own(actor, consent)
    ):
        raise ValidationError({"consent": _("この本人の、この機関の同意の記録ではありません。")})
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": _("選択できない種類です。")})
    membership = access.membership_of(actor)
    assert membership is not None  # case staff only, checked above
    attachment = Attachment(
        person=person,
        agency_id=case.owning_agency_id if case is not None else membership.agency_id,
        case=case,
        plan=plan,
        consent=consent,
        kind=kind,
        title=title.strip(),
        created_by=actor,
    )
    attachment.full_clean()
    attachment.save()
    _stored_version(actor=actor, attachment=attachment, number=1, file=file, reason="")
    return attachment


@transaction.atomic
def attachment_replace(
    *, actor: User, attachment: Attachment, file: Any, reason: str
) -> AttachmentVersion:
    """A new version of the attachment's file; the earlier ones stay in its history."""
    if attachment.case is not None:
        if access.WORK not in access.case_permissions(actor, attachment.case):
            raise PermissionDenied
        _require_open(attachment.case)
    elif not access.may_attach_to_person(actor, attachment.person):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("差し替えの理由を書いてください。")})
    # One replacement at a time: the next number is read under the attachment's row lock.
    Attachment.objects.select_for_update().filter(pk=attachment.pk).exists()
    latest = attachment.versions.order_by("-number").values_list("number", flat=True).first()
    return _stored_version(
        actor=actor, attachment=attachment, number=(latest or 0) + 1, file=file, reason=reason
    )
