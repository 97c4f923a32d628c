"""Who may see and file attachments.

Part of the access policy: casework.access re-exports every name here. An attachment filed
with a case (or a plan version of it) goes with the case: whoever may read the case may read
it, whoever may work the case may add one or a new version. One filed with the person alone
or with a consent record is its agency's own, as consent records are: the staff of that
agency who hold the person (access.person_in_agency_scope) see and file it; nobody else
learns that it exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from casework import access
from casework.access_records import agency_record_is_own
from casework.models import Attachment, AttachmentVersion, Case, Person

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet


def attachment_for_user(user: User, pk: str | int, perm: str = access.VIEW) -> Attachment:
    """The attachment, 404 when the user may not know it, 403 when they see it but lack
    `perm` (access.WORK: add a version). Carries `user_perms` and, for a case's, its case."""
    pk = access.parse_id(pk)
    attachment = (
        Attachment.objects.select_related("person", "case", "consent", "plan", "agency")
        .filter(pk=pk)
        .first()
    )
    if attachment is None:
        raise Http404
    if attachment.case_id is not None:
        case = access.case_for_user(user, attachment.case_id, access.VIEW)
        perms = access.case_permissions(user, case)
        attachment.case = case
    else:
        if not agency_record_is_own(user, attachment.agency_id, attachment.person):
            raise Http404
        perms = frozenset({access.VIEW, access.WORK})
    if perm not in perms:
        raise PermissionDenied
    attachment.user_perms = perms  # type: ignore[attr-defined]  # carried for the views
    return attachment


def attachment_version_for_user(user: User, pk: str | int) -> AttachmentVersion:
    """A version to download: the same answers as its attachment."""
    pk = access.parse_id(pk)
    version = AttachmentVersion.objects.filter(pk=pk).first()
    if version is None:
        raise Http404
    version.attachment = attachment_for_user(user, version.attachment_id)
    return version


def case_attachments(user: User, case: Case) -> QuerySet[Attachment]:
    """The attachments of a case the user reads (its plans' included)."""
    if access.VIEW not in access.case_permissions(user, case):
        return Attachment.objects.none()
    return Attachment.objects.filter(case=case)


def person_attachments(user: User, person: Person) -> QuerySet[Attachment]:
    """The attachments filed with the person alone or a consent record, of the user's
    agency, when it holds the person; none for anyone else."""
    membership = access.membership_of(user)
    if membership is None or not membership.handles_cases:
        return Attachment.objects.none()
    if not access.person_in_agency_scope(user, person):
        return Attachment.objects.none()
    return Attachment.objects.filter(
        person=person, case__isnull=True, agency_id=membership.agency_id
    )


def may_attach_to_person(user: User, person: Person) -> bool:
    return access.person_in_agency_scope(user, person)
