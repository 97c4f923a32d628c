"""Snapshots: computed as drafts, approved by an indicator officer, frozen forever after."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from casework.models import Person, ProgrammeEnrolment
from indicators import services, tasks
from indicators.definitions import DEFINITION_VERSION, INDICATORS
from indicators.models import Snapshot
from tests.indicators.builders import D, plan_baseline

pytestmark = pytest.mark.django_db


def test_all_thirteen_indicators_are_defined_with_the_plans_figures():
    assert len(INDICATORS) == 13
    by_code = {i.code: i for i in INDICATORS}
    assert by_code["P1"].baseline == Decimal("36.6")
    assert by_code["P1-3a"].baseline == 40 and by_code["P1-3a"].target == 60
    assert by_code["P1-3b"].baseline == 9 and by_code["P1-3b"].target == 30
    assert by_code["P2-1a"].baseline == 6700 and by_code["P2-1a"].target == 9600
    assert by_code["P1-2a"].baseline is None and by_code["P1-2a"].target == 100
    assert by_code["P2-2c"].baseline == 1221
    assert {i.period for i in INDICATORS if i.code in ("P1-2a", "P1-2b")} == {"cumulative"}


def test_compute_makes_a_draft_that_says_who_when_and_which_definition(cast, world):
    plan_baseline(world, 2024)
    snap = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    assert snap.state == "draft" and snap.number == 1
    assert snap.computed_by == cast.indicator_officer and snap.computed_at
    assert snap.definition_version == DEFINITION_VERSION
    values = snap.values["indicators"]
    assert values["P1-3a"]["value"] == 40
    assert values["P1-3b"]["value"] == 9
    assert values["P2-1a"]["value"] == 6700
    assert snap.values["label"] == "令和6年度"


def test_only_indicator_officers_compute_and_approve(cast):
    for member in (cast.csw_a, cast.supervisor_a, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.snapshot_compute(actor=member, fiscal_year=2024)
    snap = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    with pytest.raises(PermissionDenied):
        services.snapshot_approve(actor=cast.supervisor_a, snapshot=snap)


def test_an_approved_snapshot_never_changes_when_records_change(cast, world):
    plan_baseline(world, 2024)
    snap = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    services.snapshot_approve(actor=cast.indicator_officer, snapshot=snap)
    frozen = json.dumps(Snapshot.objects.get(pk=snap.pk).values, sort_keys=True)
    # Records are edited later: a child leaves before the year began.
    ProgrammeEnrolment.objects.filter(programme="child_study").update(
        enrolled_on=D(2023, 4, 1), left_on=D(2023, 4, 2)
    )
    assert json.dumps(Snapshot.objects.get(pk=snap.pk).values, sort_keys=True) == frozen
    again = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    assert again.number == 2 and again.state == "draft"
    assert again.values["indicators"]["P1-3a"]["value"] == 0
    assert Snapshot.objects.get(pk=snap.pk).values["indicators"]["P1-3a"]["value"] == 40


def test_approving_twice_is_refused(cast):
    snap = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    services.snapshot_approve(actor=cast.indicator_officer, snapshot=snap)
    with pytest.raises(ValidationError):
        services.snapshot_approve(actor=cast.indicator_officer, snapshot=snap)


def test_an_approved_snapshot_is_guarded_in_the_model_the_queryset_and_the_database(cast):
    snap = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    services.snapshot_approve(actor=cast.indicator_officer, snapshot=snap)
    snap.values = {"tampered": True}
    with pytest.raises(PermissionError):
        snap.save()
    with pytest.raises(PermissionError):
        snap.delete()
    with pytest.raises(PermissionError):
        Snapshot.objects.filter(pk=snap.pk).update(values={})
    with pytest.raises(PermissionError):
        Snapshot.objects.filter(pk=snap.pk).delete()
    table = connection.ops.quote_name(Snapshot._meta.db_table)
    column = connection.ops.quote_name("values")
    with (
        pytest.raises(DatabaseError, match="never changes"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {table} SET {column} = '{{}}' WHERE id = %s", [snap.pk])
    assert Snapshot.objects.get(pk=snap.pk).values["fiscal_year"] == 2024


def test_a_draft_may_still_be_replaced_in_the_database(cast):
    snap = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    Snapshot.objects.filter(pk=snap.pk).update(values={"fiscal_year": 2024, "x": 1})


@pytest.mark.parametrize("fy", [2018, 2100, "x", None])
def test_a_fiscal_year_outside_the_plan_is_refused(cast, fy):
    with pytest.raises(ValidationError):
        services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=fy)


def test_the_task_computes_a_draft_from_ids(cast, world):
    plan_baseline(world, 2024)
    result = tasks.compute_snapshot.apply(args=[2024, cast.indicator_officer.pk]).get()
    snap = Snapshot.objects.get(fiscal_year=2024, number=result["number"])
    assert snap.computed_via == "task" and snap.values["indicators"]["P1-3b"]["value"] == 9


def _no_person_in(text: str) -> None:
    names = list(Person.objects.values_list("family_name", "given_name"))
    for family, given in names:
        assert given not in text
        assert f"{family} {given}" not in text
    assert "search_key" not in text and "person_id" not in text and "case_id" not in text


def test_command_prints_json_and_csv_without_names_or_ids(cast, world, capsys):
    plan_baseline(world, 2024)
    call_command("indicators", "--fy", "2024")
    document = json.loads(capsys.readouterr().out)
    assert document["indicators"]["P2-1a"]["value"] == 6700
    assert document["snapshot"]["state"] == "draft"
    _no_person_in(json.dumps(document, ensure_ascii=False))
    call_command("indicators", "--fy", "2024", "--format", "csv")
    out = capsys.readouterr().out
    assert "子どもの学習・生活支援事業の登録人数" in out and "6700" in out
    _no_person_in(out)
    assert Snapshot.objects.filter(fiscal_year=2024).count() == 2


def test_command_refuses_a_bad_year(cast):
    with pytest.raises(CommandError):
        call_command("indicators", "--fy", "1990")


def test_snapshot_breakdowns_are_suppressed_and_hold_no_ids(cast, world):
    world.child(D(2025, 4, 1), district="north")
    for n in range(12):
        world.child(D(2025, 4, 1) + datetime.timedelta(days=n), district="east")
    snap = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2025)
    entry = snap.values["indicators"]["P1-3a"]
    assert entry["value"] == 13
    district_age = entry["breakdowns"][0]
    assert district_age["row_totals"][0] is None  # north: 1 child
    assert district_age["row_totals"][1] is None  # its complement
    text = json.dumps(snap.values, ensure_ascii=False)
    _no_person_in(text)
    assert not re.search(r'"(id|pk|person|case)"', text)


def test_the_suppression_threshold_is_a_setting(cast, world, settings):
    for n in range(4):
        world.child(D(2025, 4, 1), district="north", birth_date=D(2014, 1, n + 1))
    for n in range(6):
        world.child(D(2025, 4, 1), district="east", birth_date=D(2014, 1, n + 1))
    snap = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2025)
    assert snap.suppression_k == 10
    assert snap.values["indicators"]["P1-3a"]["breakdowns"][0]["row_totals"][:2] == [None, None]
    settings.INDICATORS_SUPPRESSION_K = 3
    snap = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2025)
    assert snap.suppression_k == 3
    assert snap.values["indicators"]["P1-3a"]["breakdowns"][0]["row_totals"][:2] == [4, 6]


def test_one_current_approved_snapshot_per_fiscal_year(cast):
    first = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    second = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    services.snapshot_approve(actor=cast.indicator_officer, snapshot=first)
    # A second approval replaces the first, and only with a reason.
    with pytest.raises(ValidationError, match="差し替える理由") as refused:
        services.snapshot_approve(actor=cast.indicator_officer, snapshot=second)
    assert "reason" in refused.value.error_dict
    second.refresh_from_db()
    assert not second.is_approved
    # The database holds the line too, whatever path a write takes: a second approval
    # that replaces nothing, or one that names another year's snapshot, is refused.
    with pytest.raises(DatabaseError), transaction.atomic():
        Snapshot.objects.filter(pk=second.pk).update(
            state="approved", approved_by=cast.indicator_officer, approved_at=first.approved_at
        )
    other_year = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2023)
    services.snapshot_approve(actor=cast.indicator_officer, snapshot=other_year)
    with pytest.raises(DatabaseError), transaction.atomic():
        Snapshot.objects.filter(pk=second.pk).update(
            state="approved",
            approved_by=cast.indicator_officer,
            approved_at=first.approved_at,
            supersedes=other_year,
            supersede_reason="x",
        )
    second.refresh_from_db()
    assert not second.is_approved and second.supersedes is None


def test_a_draft_from_older_definitions_or_a_weaker_threshold_is_not_approved(cast, settings):
    stale = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    Snapshot.objects.filter(pk=stale.pk).update(definition_version="old")
    stale.refresh_from_db()
    with pytest.raises(ValidationError, match="定義が更新"):
        services.snapshot_approve(actor=cast.indicator_officer, snapshot=stale)
    settings.INDICATORS_SUPPRESSION_K = 5
    weak = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2023)
    settings.INDICATORS_SUPPRESSION_K = 10
    with pytest.raises(ValidationError, match="秘匿の閾値"):
        services.snapshot_approve(actor=cast.indicator_officer, snapshot=weak)
