"""What disposal leaves of a record: its structure, never its words.

A disposed case keeps its row, dates, state, agency and concerns, its contact records'
dates, methods and minutes, its enrolments and outcomes: what the indicators and the
national returns count, so a year computed again gives the figures approved before. Every
free text is emptied (or marked "(廃棄)" where the record needs one), attached files are
deleted, and once every case of the person is disposed the person keeps only sex, birth
date and district (what the figures are broken down by): no name, kana, address or phone,
and none of the earlier versions of them.

Each function takes ids and runs a few UPDATEs, never one per row."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Case as DbCase
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value, When

from casework.models import (
    Assessment,
    Attachment,
    AttachmentVersion,
    CaseShare,
    CaseStatusChange,
    ClosureRequest,
    ConfidentialMark,
    Consent,
    ContactRecord,
    ContactRecordVersion,
    EmergencySupport,
    Intake,
    LegalHold,
    Meeting,
    MonitoringEntry,
    Person,
    PlanAction,
    ProgrammeOutcome,
    Screening,
    SupportPlan,
)
from casework.normalize import person_search_key
from outreach.models import OutreachVisit, WatchReport
from referrals.models import Referral
from rights.models import RequestState, RightsRequest

# Where a record must hold some text (a correction's reason, a required title).
MARK = "(廃棄)"
DISPOSED_NAME = "廃棄済み"
DISPOSED_KANA = "はいきずみ"


# Text fields that are the record's structure, not anybody's words.
STRUCTURAL = {"search_key", "storage_key", "file_type", "case_ids", "person_ids", "case_agencies"}


def _free_text(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField))
        and not f.choices
        and f.name not in STRUCTURAL
    ]


def _constrained(model: type[models.Model]) -> set[str]:
    """The fields the model's check constraints name (a reason required in some state)."""
    names: set[str] = set()

    def walk(node: Any) -> None:
        for child in getattr(node, "children", ()):
            if isinstance(child, tuple):
                names.add(child[0].split("__")[0])
            else:
                walk(child)

    for constraint in model._meta.constraints:
        if isinstance(constraint, models.CheckConstraint):
            walk(constraint.condition)
    return names


def blank(rows: QuerySet[Any], *, keep: Iterable[str] = ()) -> int:
    """Empty every free-text field of the rows but those kept. A required field, or one a
    check constraint names (a reason the record must have in some state), keeps whether it
    was filled: an empty one stays empty, a filled one becomes MARK."""
    kept = set(keep)
    constrained = _constrained(rows.model)
    values: dict[str, Any] = {}
    for f in _free_text(rows.model):
        if f.name in kept:
            continue
        if f.name in constrained:
            values[f.name] = DbCase(
                When(**{f.name: ""}, then=Value("")), default=Value(MARK), output_field=f
            )
        else:
            values[f.name] = "" if f.blank else MARK
    return rows.update(**values) if values else 0


# What hangs off a case, by the path from each model to the case.
CASE_RECORDS: tuple[tuple[type[models.Model], str], ...] = (
    (CaseStatusChange, "case"),
    (CaseShare, "case"),
    (Intake, "case"),
    (Screening, "case"),
    (EmergencySupport, "case"),
    (Assessment, "case"),
    (SupportPlan, "case"),
    (PlanAction, "plan__case"),
    (MonitoringEntry, "plan__case"),
    (ClosureRequest, "case"),
    (ProgrammeOutcome, "enrolment__case"),
    (Referral, "case"),
    (OutreachVisit, "case"),
    (WatchReport, "case"),
)


def cases(case_ids: list[int]) -> dict[str, int]:
    """Empty the words of the cases' records. Returns how many contact records and files."""
    for model, path in CASE_RECORDS:
        blank(model._base_manager.filter(**{f"{path}__in": case_ids}))
    blank(ConfidentialMark.objects.filter(case_id__in=case_ids))
    contacts = ContactRecord._base_manager.filter(case_id__in=case_ids)
    contact_count = blank(contacts)
    # The versions' manager refuses changes in Python; the database lets this run through.
    versions = ContactRecordVersion._base_manager.filter(record__case_id__in=case_ids)
    blank(versions.filter(number=1))
    # A correction keeps that it was one (the database asks for its reason).
    versions.filter(number__gt=1).update(summary=MARK, next_action="", reason=MARK)
    # A meeting's minutes go when every case it was about is disposed.
    links = Meeting.cases.through.objects
    other_live = links.filter(meeting_id=OuterRef("pk"), case__disposed_at__isnull=True).exclude(
        case_id__in=case_ids
    )
    touched = links.filter(case_id__in=case_ids).values("meeting_id")
    blank(Meeting.objects.filter(pk__in=touched).filter(~Exists(other_live)))
    # A stored disclosure package quotes the cases: it goes with them (the request keeps its
    # decision and dates). An open request holds the person, so never one of those.
    RightsRequest.objects.filter(person__cases__pk__in=case_ids, package__isnull=False).exclude(
        state=RequestState.OPEN
    ).update(package=None)
    return {"contacts": contact_count}


def attachments(rows: QuerySet[Attachment]) -> list[str]:
    """Empty the attachments' titles and names; return the stored files' keys to delete."""
    versions = AttachmentVersion.objects.filter(attachment__in=rows)
    keys = list(versions.values_list("storage_key", flat=True))
    versions.update(original_name="", sha256="", reason="")
    blank(rows)
    return keys


def case_attachments(case_ids: list[int]) -> QuerySet[Attachment]:
    return Attachment.objects.filter(case_id__in=case_ids)


def person_attachments(person_ids: list[int]) -> QuerySet[Attachment]:
    return Attachment.objects.filter(person_id__in=person_ids, case__isnull=True)


def persons(person_ids: list[int]) -> int:
    """Make the persons anonymous: their details, the earlier versions of them, and what is
    about them beyond their cases (consents, reports, requests, lifted holds)."""
    key = person_search_key(DISPOSED_NAME, "", DISPOSED_KANA, "")
    count = Person.objects.filter(pk__in=person_ids).update(
        family_name=DISPOSED_NAME,
        given_name="",
        family_name_kana=DISPOSED_KANA,
        given_name_kana="",
        address="",
        phone="",
        search_key=key,
        # A correction form opened before is refused, not saved over the anonymous record.
        version=F("version") + 1,
    )
    Person.history.filter(id__in=person_ids).delete()
    blank(Consent.objects.filter(person_id__in=person_ids))
    blank(WatchReport.objects.filter(person_id__in=person_ids))
    blank(LegalHold.objects.filter(person_id__in=person_ids, lifted_at__isnull=False))
    blank(ConfidentialMark.objects.filter(person_id__in=person_ids))
    # Visits made on a report before any case, about the person.
    blank(OutreachVisit.objects.filter(report__person_id__in=person_ids))
    requests(RightsRequest.objects.filter(person_id__in=person_ids))
    return count


def requests(rows: QuerySet[RightsRequest]) -> int:
    count = rows.exclude(Q(content=MARK) & Q(package__isnull=True)).count()
    blank(rows)
    rows.update(package=None)
    return count
