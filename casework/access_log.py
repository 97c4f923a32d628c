"""The access log: every read of a person's record, every grant and revocation, every list.

Part of the access policy: casework.access re-exports every name here. It reads the
policy's own functions when called, so either module may be imported first."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import translation

from casework import access
from casework.models import AccessLog, AccessLogAgency, Case, Person

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.utils.functional import Promise


def _record_text(text: str | Promise) -> str:
    """What the log keeps is in the ward's language, whatever the reader's screen shows:
    lazy texts are rendered in it, and the access-log page translates them back."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)[:300]


def log_access(
    user: User,
    *,
    person: Person | None,
    case: Case | None,
    action: str,
    detail: str = "",
    cases: Iterable[Case] = (),
) -> AccessLog:
    """One read of one person's record (a detail or form page), a grant or a revocation.
    `detail` says in plain Japanese what was read (a text marked with gettext_noop, or
    gettext_lazy, is translated for a reader of another language on the access-log page).
    `cases`, for a read of the person's whole record (a disclosure package), files the row
    under every agency that owns one of them too."""
    membership = access.membership_of(user)
    cases = list(cases)
    row = AccessLog.objects.create(
        user=user,
        agency_id=membership.agency_id if membership else None,
        person=person if person is not None else (case.person if case is not None else None),
        case=case,
        action=action,
        detail=_record_text(detail),
        case_ids=_id_list(c.pk for c in cases),
        case_agencies=_id_list(c.owning_agency_id for c in cases),
    )
    return row  # the database files it under its agencies (AccessLogAgency)


def log_form_read(user: User, record: object, detail: str) -> None:
    """A form page that shows a person's name reads their record: `record` is the case or
    the person the form is about."""
    if isinstance(record, Case):
        log_access(
            user,
            person=record.person,
            case=record,
            action=AccessLog.Action.VIEW_FORM,
            detail=detail,
        )
    elif isinstance(record, Person):
        log_access(user, person=record, case=None, action=AccessLog.Action.VIEW_FORM, detail=detail)


def _id_list(ids: Iterable[int | None]) -> str:
    unique = sorted({int(i) for i in ids if i is not None})
    return f",{','.join(map(str, unique))}," if unique else ""


def log_list(
    user: User,
    *,
    what: str,
    cases: Iterable[Case | int] = (),
    persons: Iterable[Person | int] = (),
    query: str = "",
    always: bool = False,
) -> AccessLog | None:
    """One row for one list or search request: which cases and persons it showed.

    `cases` are cases (their persons count as shown) or case ids; `persons` are persons or
    person ids. A list that showed nobody and searched for nothing writes nothing, unless
    `always` (it showed someone not on record, named in `what`)."""
    case_ids: list[int] = []
    person_ids: list[int] = []
    agency_ids: list[int] = []
    bare_ids: list[int] = []
    for case in cases:
        if isinstance(case, Case):
            case_ids.append(case.pk)
            person_ids.append(case.person_id)
            agency_ids.append(case.owning_agency_id)
        else:
            case_ids.append(case)
            bare_ids.append(case)
    if bare_ids:
        agency_ids += Case.objects.filter(pk__in=bare_ids).values_list(
            "owning_agency_id", flat=True
        )
    for person in persons:
        person_ids.append(person.pk if isinstance(person, Person) else person)
    query = (query or "").strip()
    if not case_ids and not person_ids and not query and not always:
        return None
    membership = access.membership_of(user)
    row = AccessLog.objects.create(
        user=user,
        agency_id=membership.agency_id if membership else None,
        action=AccessLog.Action.VIEW_LIST,
        detail=_record_text(what),
        case_ids=_id_list(case_ids),
        person_ids=_id_list(person_ids),
        case_agencies=_id_list(agency_ids),
        query=query[:200],
    )
    return row  # the database files it under its agencies (AccessLogAgency)


def access_log_for_supervisor(user: User) -> QuerySet[AccessLogAgency]:
    """The access log a supervisor reviews: reads by the agency's staff, and reads of the
    agency's cases by anyone. As the agency's index entries (AccessLogAgency, filed when
    each row was written), each with its row as `log`."""
    membership = access.require_supervisor(user)
    return AccessLogAgency.objects.filter(agency_id=membership.agency_id)


def access_log_about(
    entries: QuerySet[AccessLogAgency],
    *,
    case_id: int | None = None,
    person_id: int | None = None,
) -> QuerySet[AccessLogAgency]:
    """Entries whose row names the case or the person, on a detail page or in a list."""
    if case_id is not None:
        entries = entries.filter(
            Q(log__case_id=case_id) | Q(log__case_ids__contains=f",{int(case_id)},")
        )
    if person_id is not None:
        entries = entries.filter(
            Q(log__person_id=person_id) | Q(log__person_ids__contains=f",{int(person_id)},")
        )
    return entries
