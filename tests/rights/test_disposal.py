"""Disposal after the retention period: what goes, what stays, the 廃棄簿, legal holds, the
notice days, a run that fails halfway, and the append-only tables closed again after."""

import datetime

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.test import TestCase
from django.utils import timezone

from casework import services
from casework.attachment_files import storage
from casework.models import (
    AccessLog,
    Case,
    ContactRecord,
    ContactRecordVersion,
    DisposalEntry,
    DisposalRun,
    LegalHold,
    Person,
)
from indicators.rollup import roll_up
from returns.figures import fiscal_year_figures
from rights import anonymize, disposal
from rights import services as rights_services
from rights.disposal import years_before
from security.models import SecurityEvent
from tests.attachment_files import signed_form

NAME = "廃棄野"
SUMMARY = "自宅で家計の相談を受けた。"
CORRECTED = "自宅で家計と借金の相談を受けた。"


def _today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def closed(cast, open_case):
    """A case of agency A with a corrected contact record and an attached file, closed
    `years` years and `days` days ago (moved back in time directly: the services refuse to
    close in the past)."""

    def make(years=5, days=31, *, name=NAME):
        case = open_case(cast.csw_a, family_name=name, family_name_kana="はいきの")
        record = services.contact_record_add(
            actor=cast.csw_a,
            case=case,
            occurred_at=timezone.now() - datetime.timedelta(hours=1),
            method="phone",
            minutes=20,
            summary=SUMMARY,
        )
        services.contact_record_correct(
            actor=cast.csw_a, record=record, version=1, reason="聞き取りの追記", summary=CORRECTED
        )
        attachment = services.attachment_add(
            actor=cast.csw_a,
            person=case.person,
            case=case,
            kind="letter",
            title=f"{name}さんの手紙",
            file=signed_form(),
        )
        closed_on = years_before(_today(), years) - datetime.timedelta(days=days)
        Case.objects.filter(pk=case.pk).update(
            status="closed", closed_on=closed_on, opened_on=closed_on - datetime.timedelta(days=60)
        )
        case.refresh_from_db()
        return case, record, attachment

    return make


def _dispose():
    with TestCase.captureOnCommitCallbacks(execute=True):
        return disposal.dispose(source="command")


def test_a_case_past_its_period_is_made_anonymous(cast, closed):
    case, record, attachment = closed()
    key = attachment.versions.get().storage_key
    assert storage().exists(key)
    run = _dispose()
    case.refresh_from_db()
    record = ContactRecord._base_manager.get(pk=record.pk)
    person = Person.objects.get(pk=case.person_id)
    assert case.disposed_at is not None and case.status == "closed"
    assert record.summary == anonymize.MARK and record.method == "phone" and record.minutes == 20
    versions = ContactRecordVersion.objects.filter(record=record)
    assert set(versions.values_list("summary", flat=True)) == {anonymize.MARK}
    assert (
        person.family_name == anonymize.DISPOSED_NAME
        and person.address == ""
        and person.phone == ""
    )
    assert person.disposed_at is not None
    assert not Person.history.filter(id=person.pk, family_name=NAME).exists()
    assert not storage().exists(key)
    assert attachment.versions.get().original_name == ""
    entries = {e.record_class: (e.method, e.count, e.rule) for e in run.entries.all()}
    assert entries["case"] == ("anonymized", 1, "終結から5年(TSUNAGU_RETENTION_CASE_YEARS=5)")
    assert entries["contact"][1] == 1 and entries["attachment"] == (
        "deleted",
        1,
        entries["case"][2],
    )
    assert entries["person"][1] == 1
    # The ledger names nobody and no record.
    assert not any(NAME in e.rule or str(case.pk) in e.rule for e in run.entries.all())
    assert run.state == "done" and run.finished_at is not None
    # A second run finds nothing.
    assert _dispose() is None


def test_the_figures_computed_again_are_the_same(cast, closed):
    case, _record, _attachment = closed(years=5, days=40)
    fy = case.closed_on.year if case.closed_on.month >= 4 else case.closed_on.year - 1
    before = (roll_up(fy), fiscal_year_figures(fy, cast.agency_a))
    _dispose()
    assert (roll_up(fy), fiscal_year_figures(fy, cast.agency_a)) == before


def test_a_case_within_its_period_stays(cast, closed):
    case, *_ = closed(years=4, days=360)
    assert _dispose() is None
    case.refresh_from_db()
    assert case.disposed_at is None


def test_a_due_case_waits_the_notice_days(cast, closed, settings):
    case, *_ = closed(years=5, days=10)
    assert disposal.disposal_plan().case_ids == []
    held = disposal.held_person_ids()
    assert case.pk in set(disposal.expired_cases(_today(), held).values_list("pk", flat=True))
    assert disposal.disposal_day(case) == _today() + datetime.timedelta(days=20)
    assert disposal.disposal_plan(_today() + datetime.timedelta(days=20)).case_ids == [case.pk]
    settings.TSUNAGU_DISPOSAL_NOTICE_DAYS = 0
    assert disposal.disposal_plan().case_ids == [case.pk]


def test_a_legal_hold_keeps_everything_until_lifted(cast, closed):
    case, record, _attachment = closed()
    hold = rights_services.hold_place(
        actor=cast.supervisor_a, person=case.person, kind="lawsuit", reason="損害賠償請求訴訟"
    )
    assert _dispose() is None
    assert ContactRecord._base_manager.get(pk=record.pk).summary == CORRECTED
    rights_services.hold_lift(actor=cast.supervisor_a, hold=hold, reason="判決確定")
    _dispose()
    assert ContactRecord._base_manager.get(pk=record.pk).summary == anonymize.MARK
    hold.refresh_from_db()
    assert hold.lifted_by == cast.supervisor_a and hold.reason == anonymize.MARK


def test_an_open_request_holds_the_person(cast, closed):
    case, *_ = closed()
    rights_services.request_register(
        actor=cast.supervisor_a,
        person=case.person,
        kind="disclosure",
        received_on=_today(),
        requester="本人",
        content="全部",
    )
    assert disposal.disposal_plan().held == {case.person_id}
    assert _dispose() is None


def test_a_person_with_a_live_case_keeps_their_name(cast, closed, open_case):
    case, *_ = closed()
    # The person came back: a new case of theirs is open.
    Case.objects.create(
        person=case.person,
        owning_agency=cast.agency_a,
        opened_on=_today(),
        main_concern="income",
        created_by=cast.csw_a,
    )
    _dispose()
    case.refresh_from_db()
    assert case.disposed_at is not None
    assert Person.objects.get(pk=case.person_id).family_name == NAME


def test_a_run_that_fails_halfway_leaves_nothing_disposed(cast, closed, monkeypatch):
    case, record, attachment = closed()
    key = attachment.versions.get().storage_key

    def broken(person_ids):
        raise DatabaseError("the disk filled up")

    monkeypatch.setattr(anonymize, "persons", broken)
    with pytest.raises(DatabaseError), TestCase.captureOnCommitCallbacks(execute=True):
        disposal.dispose(source="command")
    case.refresh_from_db()
    assert case.disposed_at is None
    assert ContactRecord._base_manager.get(pk=record.pk).summary == CORRECTED
    assert set(
        ContactRecordVersion.objects.filter(record=record).values_list("summary", flat=True)
    ) == {SUMMARY, CORRECTED}
    assert not DisposalRun.objects.exists() and not DisposalEntry.objects.exists()
    assert storage().exists(key)
    assert attachment.versions.get().original_name != ""


def test_the_logs_go_after_their_own_periods(cast, closed):
    case, *_ = closed(years=1, days=0)
    old = timezone.now() - datetime.timedelta(days=5 * 366 + 31)
    recent = AccessLog.objects.create(user=cast.csw_a, action="view_list", detail="一覧")
    # Rows are written with their time: old ones are written old (the log refuses UPDATE).
    old_row = AccessLog.objects.create(
        user=cast.csw_a, action="view_list", detail="古い一覧", at=old
    )
    held_row = AccessLog.objects.create(
        user=cast.csw_a, action="view_person", person=case.person, detail="古い閲覧", at=old
    )
    LegalHold.objects.create(
        person=case.person, kind="appeal", reason="審査請求中", placed_by=cast.supervisor_a
    )
    security_old = SecurityEvent.objects.create(
        kind="login", result="success", at=timezone.now() - datetime.timedelta(days=3 * 366 + 31)
    )
    run = _dispose()
    assert not AccessLog.objects.filter(pk=old_row.pk).exists()
    assert AccessLog.objects.filter(pk__in=[held_row.pk, recent.pk]).count() == 2
    assert not SecurityEvent.objects.filter(pk=security_old.pk).exists()
    entries = {e.record_class: e for e in run.entries.all()}
    assert entries["access_log"].count == 1 and entries["access_log"].method == "deleted"
    assert entries["security_log"].count == 1


def test_outside_a_run_the_record_stays_append_only(cast, closed, db):
    _case, record, _attachment = closed()
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        # Past the manager's own refusal, to the database's.
        ContactRecordVersion._base_manager.filter(record=record).update(summary="")
    _dispose()
    entry = DisposalEntry.objects.first()
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        DisposalEntry.objects.filter(pk=entry.pk).update(count=99)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        AccessLog._base_manager.filter(pk=AccessLog.objects.first().pk).update(detail="x")


def test_records_whose_constraints_want_a_reason_are_disposed_too(cast, open_case, workflow):
    """A closure for another reason, a declined referral, a suspected abuse, a voided
    contact record: each must keep that it had a reason; none may stop the run."""
    from referrals import services as referral_services

    case = open_case(cast.csw_a, family_name="理由", family_name_kana="りゆう")
    workflow.screen(case, cast.csw_a)
    workflow.assess(case, cast.csw_a, abuse_suspected=True, abuse_note="夫からの暴言")
    consent = services.consent_record(
        actor=cast.csw_a,
        person=case.person,
        basis="consent",
        agencies=[cast.agency_b],
        given_on=_today(),
    )
    assert consent
    referral = referral_services.referral_send(
        actor=cast.csw_a,
        case=case,
        receiving_agency=cast.agency_b,
        reason="相談",
        urgency="normal",
        answer_by=_today() + datetime.timedelta(days=7),
        scope="summary",
    )
    referral_services.referral_decline(
        actor=cast.supervisor_b, referral=referral, reason="理由さんは対象外"
    )
    record = services.contact_record_add(
        actor=cast.csw_a,
        case=case,
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
        method="phone",
        minutes=5,
        summary="別人の記録",
    )
    services.contact_record_void(actor=cast.supervisor_a, record=record, reason="鈴木さんの記録")
    request = services.closure_request_submit(
        actor=cast.csw_a, case=case, reason="other", closing_on=_today(), note="理由さんが転居"
    )
    services.closure_decide(actor=cast.supervisor_a, request=request, approve=True)
    closed_on = years_before(_today(), 6)
    Case.objects.filter(pk=case.pk).update(
        closed_on=closed_on, opened_on=closed_on - datetime.timedelta(days=10)
    )
    run = _dispose()
    assert run is not None
    assert ContactRecord._base_manager.get(pk=record.pk).void_reason == anonymize.MARK
    referral.refresh_from_db()
    assert referral.decline_reason == anonymize.MARK and referral.reason == anonymize.MARK
    request.refresh_from_db()
    assert request.note == anonymize.MARK
    assessment = case.assessments.get()
    assert assessment.abuse_note == anonymize.MARK and assessment.abuse_suspected


def test_a_stored_package_goes_with_the_cases(cast, closed, open_case):
    case, *_ = closed()
    request = rights_services.request_register(
        actor=cast.supervisor_a,
        person=case.person,
        kind="disclosure",
        received_on=_today(),
        requester="本人",
        content="全部",
    )
    rights_services.package_assemble(actor=cast.supervisor_a, request=request)
    rights_services.request_withdraw(actor=cast.supervisor_a, request=request, reason="取下げ")
    # The person is back with a live case: the closed one goes, the person stays.
    Case.objects.create(
        person=case.person,
        owning_agency=cast.agency_a,
        opened_on=_today(),
        main_concern="income",
        created_by=cast.csw_a,
    )
    _dispose()
    request.refresh_from_db()
    assert request.package is None


def test_a_disposed_case_is_not_reopened(cast, closed):
    from casework.services import Refusal

    case, *_ = closed()
    _dispose()
    case.refresh_from_db()
    with pytest.raises(Refusal):
        services.case_reopen(actor=cast.supervisor_a, case=case, reason="再相談")


def test_a_case_closed_on_29_february_goes_from_1_march(cast, closed, settings):
    settings.TSUNAGU_DISPOSAL_NOTICE_DAYS = 0
    case, *_ = closed()
    leap = datetime.date(2020, 2, 29)
    Case.objects.filter(pk=case.pk).update(closed_on=leap, opened_on=datetime.date(2020, 1, 1))
    case.refresh_from_db()
    assert disposal.disposal_day(case) == datetime.date(2025, 3, 1)
    assert disposal.disposal_plan(datetime.date(2025, 2, 28)).case_ids == []
    assert disposal.disposal_plan(datetime.date(2025, 3, 1)).case_ids == [case.pk]


def test_only_the_placing_agency_lifts_a_hold(cast, closed):
    from django.core.exceptions import PermissionDenied

    case, *_ = closed()
    hold = rights_services.hold_place(
        actor=cast.supervisor_a, person=case.person, kind="abuse", reason="虐待対応"
    )
    # Agency B comes to hold the person too.
    Case.objects.create(
        person=case.person,
        owning_agency=cast.agency_b,
        opened_on=_today(),
        main_concern="income",
        created_by=cast.csw_b,
    )
    with pytest.raises(PermissionDenied):
        rights_services.hold_lift(actor=cast.supervisor_b, hold=hold, reason="不要")


def test_nothing_new_is_written_on_a_disposed_record(cast, closed):
    from casework.services import Refusal

    case, record, _attachment = closed()
    _dispose()
    record = ContactRecord._base_manager.get(pk=record.pk)
    with pytest.raises(Refusal):
        services.contact_record_correct(
            actor=cast.supervisor_a,
            record=record,
            version=record.version,
            reason="追記",
            summary="x",
        )
    with pytest.raises(Refusal):
        services.contact_record_void(actor=cast.supervisor_a, record=record, reason="誤り")
    person = Person.objects.get(pk=case.person_id)
    with pytest.raises(Refusal):
        services.case_open(
            actor=cast.supervisor_a, person=person, opened_on=_today(), main_concern="income"
        )


def test_a_hold_whose_placer_left_is_lifted_by_a_holding_agency(cast, closed):
    case, *_ = closed()
    hold = rights_services.hold_place(
        actor=cast.supervisor_a, person=case.person, kind="lawsuit", reason="訴訟"
    )
    Case.objects.create(
        person=case.person,
        owning_agency=cast.agency_b,
        opened_on=_today(),
        main_concern="income",
        created_by=cast.csw_b,
    )
    assert not rights_services.may_lift(cast.supervisor_b, hold)
    cast.supervisor_a.is_active = False
    cast.supervisor_a.save(update_fields=["is_active"])
    assert rights_services.may_lift(cast.supervisor_b, hold)
    rights_services.hold_lift(actor=cast.supervisor_b, hold=hold, reason="判決確定")
