"""Reads of attachments for the case page, the person page and an attachment's history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from casework import access
from casework.models import Attachment, AttachmentVersion, Case, Person

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _with_latest(attachments: QuerySet[Attachment]) -> list[Attachment]:
    """Each with `latest` (its newest version) and `version_count`, in two queries."""
    rows: list[Attachment] = list(
        attachments.select_related("plan", "consent", "created_by").prefetch_related(
            Prefetch(
                "versions",
                queryset=AttachmentVersion.objects.select_related("uploaded_by").order_by(
                    "-number"
                ),
                to_attr="all_versions",
            )
        )
    )
    for row in rows:
        row.latest = row.all_versions[0] if row.all_versions else None  # type: ignore[attr-defined]
        row.version_count = len(row.all_versions)  # type: ignore[attr-defined]
    return rows


def case_attachment_rows(user: User, case: Case) -> list[Attachment]:
    return _with_latest(access.case_attachments(user, case))


def person_attachment_rows(user: User, person: Person) -> list[Attachment]:
    return _with_latest(access.person_attachments(user, person))


def attachment_versions(attachment: Attachment) -> QuerySet[AttachmentVersion]:
    return attachment.versions.select_related("uploaded_by").order_by("-number")
