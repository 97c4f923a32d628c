"""Invariants the database itself enforces, and the small pure helpers."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from casework import services
from casework.models import (
    AccessLog,
    Case,
    CaseAssignment,
    CaseConcern,
    CaseStatus,
    ContactRecord,
    District,
    Person,
)
from casework.normalize import normalize_name, person_search_key
from casework.wareki import fiscal_year, fiscal_year_bounds, fiscal_year_label, wareki_date


def test_the_five_districts_exist(db):
    assert list(District.objects.values_list("name", flat=True)) == [
        "北部",
        "東部",
        "中央",
        "南部",
        "西部",
    ]


@pytest.mark.parametrize("text", ["佐藤", "さとう", "サトウ", "ｻﾄｳ", " さ と う "])
def test_normalize_folds_scripts_widths_and_spaces(text):
    expected = "佐藤" if text == "佐藤" else "さとう"
    assert normalize_name(text) == expected


def test_search_key_keeps_kanji_and_kana_apart():
    key = person_search_key("佐藤", "花子", "サトウ", "ハナコ")
    assert key == "佐藤花子|さとうはなこ"


def _integrity(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_case_status_and_closing_date_go_together(cast, open_case):
    case = open_case(cast.csw_a)
    _integrity(lambda: Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED))
    _integrity(lambda: Case.objects.filter(pk=case.pk).update(closed_on=timezone.localdate()))
    _integrity(lambda: Case.objects.filter(pk=case.pk).update(status="bogus"))
    _integrity(
        lambda: Case.objects.filter(pk=case.pk).update(
            status=CaseStatus.CLOSED, closed_on=case.opened_on - datetime.timedelta(days=1)
        )
    )


def test_contact_minutes_and_method_are_checked_by_the_database(cast, open_case):
    case = open_case(cast.csw_a)

    def make(**kw):
        fields = dict(
            case=case,
            worker=cast.csw_a,
            occurred_at=timezone.now(),
            method="phone",
            minutes=10,
            summary="x",
        )
        fields.update(kw)
        ContactRecord.objects.create(**fields)

    _integrity(lambda: make(minutes=0))
    _integrity(lambda: make(minutes=2000))
    _integrity(lambda: make(method="fax"))
    _integrity(lambda: make(summary=""))


def test_one_active_assignment_per_worker_and_unique_concerns(cast, open_case):
    case = open_case(cast.csw_a)
    _integrity(
        lambda: CaseAssignment.objects.create(case=case, worker=cast.csw_a, assigned_by=cast.csw_a)
    )
    CaseConcern.objects.create(case=case, concern="debt")
    _integrity(lambda: CaseConcern.objects.create(case=case, concern="debt"))


def test_person_needs_a_family_name_and_search_key(cast):
    _integrity(
        lambda: Person.objects.create(
            family_name="",
            family_name_kana="さとう",
            search_key="x",
            registered_by_agency=cast.agency_a,
        )
    )
    _integrity(
        lambda: Person.objects.create(
            family_name="佐藤",
            family_name_kana="さとう",
            search_key="",
            registered_by_agency=cast.agency_a,
        )
    )


def test_consent_withdrawal_needs_author_and_follows_given(cast, case_a):
    consent = case_a.person.consents.get()
    model = type(consent)
    _integrity(
        lambda: model.objects.filter(pk=consent.pk).update(withdrawn_on=timezone.localdate())
    )
    _integrity(
        lambda: model.objects.filter(pk=consent.pk).update(
            withdrawn_on=consent.given_on - datetime.timedelta(days=1), withdrawn_by=cast.csw_a
        )
    )


def test_access_log_is_append_only(cast, case_a):
    row = AccessLog.objects.first()
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.all().update(detail="x")
    with pytest.raises(PermissionError):
        AccessLog.objects.all().delete()
    # Below the ORM, the database refuses too.
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE casework_accesslog SET detail = 'x'")


@pytest.mark.parametrize(
    ("day", "fy"),
    [
        (datetime.date(2025, 3, 31), 2024),
        (datetime.date(2025, 4, 1), 2025),
        (datetime.date(2026, 1, 15), 2025),
    ],
)
def test_fiscal_year_runs_april_to_march(day, fy):
    assert fiscal_year(day) == fy
    start, end = fiscal_year_bounds(fy)
    assert start <= day <= end


@pytest.mark.parametrize(
    ("fy", "label"),
    [(2019, "令和元年度"), (2022, "令和4年度"), (2025, "令和7年度"), (2031, "令和13年度")],
)
def test_fiscal_year_label(fy, label):
    assert fiscal_year_label(fy) == label


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (datetime.date(2026, 11, 27), "令和8年11月27日"),
        (datetime.date(2019, 5, 1), "令和元年5月1日"),
        (datetime.date(2019, 4, 30), "平成31年4月30日"),
        (datetime.date(1944, 5, 1), "昭和19年5月1日"),
    ],
)
def test_wareki_date(day, text):
    assert wareki_date(day) == text


def test_year_one_and_far_future_dates_are_refused_next_to_the_field(cast, open_case):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        open_case(cast.csw_a, opened_on=datetime.date(1, 1, 1))
    assert "opened_on" in refused.value.message_dict
    case = open_case(cast.csw_a)
    with pytest.raises(ValidationError) as refused:
        services.contact_record_add(
            actor=cast.csw_a,
            case=case,
            occurred_at=datetime.datetime(1, 1, 1, 5, tzinfo=datetime.UTC),
            method="phone",
            minutes=5,
            summary="x",
        )
    assert not ContactRecord.objects.exists()
    _integrity(
        lambda: Case.objects.filter(pk=case.pk).update(opened_on=datetime.date(1999, 12, 31))
    )


def test_a_name_that_expands_under_nfkc_still_saves(cast):
    person = services.person_create(
        actor=cast.csw_a, family_name="\ufdfa" * 50, family_name_kana="さとう"
    )
    assert len(person.search_key) > 400


def test_birth_date_before_1900_is_refused_in_japanese_next_to_the_field(cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.person_create(
            actor=cast.csw_a,
            family_name="佐藤",
            family_name_kana="さとう",
            birth_date=datetime.date(1800, 1, 1),
        )
    assert "1900年以降" in " ".join(refused.value.message_dict["birth_date"])
