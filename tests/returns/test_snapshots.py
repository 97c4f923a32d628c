"""The return's snapshots, on the hand-built ward (tests/returns/conftest.py; who is who and
the known answers: tests/returns/test_figures.py): computed as drafts per scope (the ward,
or one filing agency), approved by the scope's own approver, frozen forever after.
"""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from casework.models import Agency
from indicators.selectors import current_fiscal_year
from returns import definitions, document, services, tasks
from returns.figures import fiscal_year_figures
from returns.models import ReturnSnapshot
from tests.returns.test_figures import (
    J1_MONTHS,
    J1_YEAR,
    J2_MONTHS,
    WARD_YEAR,
    expect,
)
from tests.returns.world import Builder, D

CODES = definitions.CODES
# The 件数 items: the ward's month is the sum of the agencies' months, and an agency's year
# the sum of its months.
EVENT_CODES = tuple(i.code for i in definitions.ITEMS if i.counting == definitions.Counting.EVENTS)
DISTINCT_CODES = tuple(
    i.code for i in definitions.ITEMS if i.counting == definitions.Counting.DISTINCT_PERSONS
)
FY_MONTHS = [D(2025 + (m < 4), m, 1) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def sv(ward, key):
    return ward["desks"][key].supervisor


def compute(actor, fy=2025):
    return services.return_compute(actor=actor, fiscal_year=fy)


def printed(figures: dict) -> dict:
    """A stored month (or year) as test_figures' known answers write it."""
    out = {}
    for code in CODES:
        figure = figures[code]
        if definitions.BY_CODE[code].is_rate:
            value = figure["value"]
            out[code] = (
                figure["numerator"],
                figure["denominator"],
                None if value is None else Decimal(value),
            )
        else:
            out[code] = figure["value"]
    return out


# --- computing ---------------------------------------------------------------------------


def test_compute_stores_a_draft_with_the_known_months_and_year(ward):
    snap = compute(sv(ward, "j1"))
    assert (snap.state, snap.number, snap.agency, snap.fiscal_year) == (
        "draft",
        1,
        ward["j1"],
        2025,
    )
    assert snap.computed_by == sv(ward, "j1") and snap.computed_via == "web"
    assert snap.definition_version == definitions.DEFINITION_VERSION
    values = ReturnSnapshot.objects.get(pk=snap.pk).values
    assert values["period"] == ["2025-04-01", "2026-03-31"]
    assert values["covers_until"] is None  # FY2025 is over: no partial year
    assert [m["month"] for m in values["months"]] == [m.isoformat() for m in FY_MONTHS]
    for month in values["months"]:
        first = D.fromisoformat(month["month"])
        assert printed(month["figures"]) == J1_MONTHS.get(first, expect()), first
    assert printed(values["year"]) == J1_YEAR
    april = values["months"][0]["figures"]
    assert april["R01"] == {"value": 3, "numerator": None, "denominator": None}
    assert values["year"]["R08"]["value"] == 2
    # The rate as exact text, with its parts: A and C compared, neither improved.
    assert values["year"]["R09"] == {"value": "0.0", "numerator": 0, "denominator": 2}
    # What the computation gives today, figure by figure.
    year = fiscal_year_figures(2025, ward["j1"])
    assert values["year"] == {c: document.figure_json(year.year[c]) for c in CODES}
    assert [m["figures"] for m in values["months"]] == [
        {c: document.figure_json(f[c]) for c in CODES} for _first, f in year.months
    ]
    # An agency's return has no breakdown: that is the ward's.
    assert "breakdown" not in values


def test_each_agencys_draft_is_its_own_records(ward):
    values = compute(sv(ward, "j2")).values
    for month in values["months"]:
        first = D.fromisoformat(month["month"])
        assert printed(month["figures"]) == J2_MONTHS.get(first, expect()), first


def test_the_wards_draft_is_the_filing_agencies_together(ward, officer):
    snap = compute(officer)
    assert snap.agency is None and snap.is_ward
    assert printed(snap.values["year"]) == WARD_YEAR
    # O's intake and 情報提供のみ (F) are not the ward's.
    assert snap.values["months"][0]["figures"]["R01"]["value"] == 4
    assert snap.values["months"][0]["figures"]["R08"]["value"] == 1


def test_version_numbers_are_per_scope_and_a_recompute_is_a_new_draft(ward, officer):
    first_j1 = compute(sv(ward, "j1"))
    first_ward = compute(officer)
    first_j2 = compute(sv(ward, "j2"))
    assert (first_j1.number, first_ward.number, first_j2.number) == (1, 1, 1)
    again = compute(sv(ward, "j1"))
    assert (again.number, again.state, again.agency) == (2, "draft", ward["j1"])
    first_j1.refresh_from_db()
    assert first_j1.state == "draft"  # the first draft stays as it was
    assert compute(officer).number == 2
    assert compute(sv(ward, "j1"), fy=2024).number == 1  # numbered per year too
    assert ReturnSnapshot.objects.of_scope(ward["j2"].pk).count() == 1


@pytest.mark.parametrize("who", ["worker_j1", "sv_o", "worker_o"])
def test_only_a_filing_agencys_supervisor_or_the_officer_computes(ward, who):
    desk = ward["desks"][who.split("_")[1]]
    actor = desk.worker if who.startswith("worker") else desk.supervisor
    with pytest.raises(PermissionDenied):
        compute(actor)
    assert not ReturnSnapshot.objects.exists()


def test_improvement_per_change_item_over_the_year(ward, officer):
    # J1: A's latest evaluation of the year (30 May) against v2's baseline: 意欲 3→3,
    # 自己肯定感 2→2, 家計 1→1. C (15 Jun): 健康 4→3, 対人関係 3→3. G has no baseline.
    j1 = compute(sv(ward, "j1")).values["improvement_items"]
    assert j1 == [
        {"item": "motivation", "improved": 0, "compared": 1},
        {"item": "self_esteem", "improved": 0, "compared": 1},
        {"item": "relationships", "improved": 0, "compared": 1},
        {"item": "health", "improved": 0, "compared": 1},
        {"item": "finances", "improved": 0, "compared": 1},
    ]
    # The ward adds E (J2): 意欲 2→4 (就労 was not scored at plan start).
    by_item = {
        i["item"]: (i["improved"], i["compared"])
        for i in compute(officer).values["improvement_items"]
    }
    assert by_item == {
        "motivation": (1, 2),
        "self_esteem": (0, 1),
        "relationships": (0, 1),
        "health": (0, 1),
        "finances": (0, 1),
    }


# --- the ward's breakdown ----------------------------------------------------------------


def _cells(values, ward, code):
    """The breakdown's figures of one item, by agency key."""
    breakdown = values["breakdown"]
    by_name = dict(zip(breakdown["agencies"], breakdown["items"][code], strict=True))
    return {key: by_name[ward[key].name] for key in ("j1", "j2")}


def given_away(values) -> list[str]:
    """The items whose hidden agency figures the published ones and the ward's year give
    away: one hidden alone (the ward's year minus the rest), or hidden ones whose sum is
    their number (each is 1) while some others are shown (so zeros are not hidden)."""
    found = []
    for code in CODES:
        cells = values["breakdown"]["items"][code]
        hidden = [i for i, c in enumerate(cells) if c is None]
        if not hidden or len(hidden) == len(cells):
            continue
        if len(hidden) == 1:
            found.append(f"{code}: one hidden")
        elif not definitions.BY_CODE[code].is_rate:
            rest = values["year"][code]["value"] - sum(c for c in cells if c is not None)
            if rest <= len(hidden):
                found.append(f"{code}: hidden ones are all 1")
    return found


def test_the_wards_breakdown_is_each_agencys_year_with_small_figures_hidden(
    ward, officer, settings
):
    """At k=2: J1's year and J2's (test_figures' J1_YEAR, J2_YEAR). Each 1 is hidden and
    the other agency's figure with it; R08 (J1 2, J2 0) is shown; no month is broken down."""
    settings.INDICATORS_SUPPRESSION_K = 2
    snap = compute(officer)
    assert snap.suppression_k == 2
    values = snap.values
    breakdown = values["breakdown"]
    assert breakdown["agencies"] == [ward["j1"].name, ward["j2"].name]
    assert breakdown["agency_ids"] == [ward["j1"].pk, ward["j2"].pk]
    assert set(breakdown["items"]) == set(CODES)
    assert _cells(values, ward, "R01") == {"j1": None, "j2": None}  # 4 and 1
    assert _cells(values, ward, "R08") == {"j1": 2, "j2": 0}
    assert _cells(values, ward, "R03") == {"j1": None, "j2": None}  # 1 and 1
    # R09: J1 0 of 2 improved, J2 1 of 1: J2's improved 1 is small, and J1's with it.
    assert _cells(values, ward, "R09") == {"j1": None, "j2": None}
    # The ward's own figures are the published totals, whatever the breakdown hides.
    assert printed(values["year"]) == WARD_YEAR
    assert values["months"][0]["figures"]["R02"]["value"] == 3
    assert given_away(values) == []
    # No agency's small figure is stored anywhere in the ward's document.
    for code in CODES:
        for cell in breakdown["items"][code]:
            assert cell is None or cell == "" or isinstance(cell, str) or cell == 0 or cell >= 2


def test_a_hidden_figure_stays_hidden_in_every_later_version(ward, officer, settings):
    """Version 1 hides R01 (J1 4, J2 1). Three more intakes at J2 make it 4 and 4, which
    alone would be shown; shown beside version 1, J1's 4 would follow (ward 8 − 4 = J2's,
    J2's 1 of version 1 = 5 − 4). Version 2 keeps both hidden."""
    settings.INDICATORS_SUPPRESSION_K = 2
    first = compute(officer).values
    assert _cells(first, ward, "R01") == {"j1": None, "j2": None}
    at2 = Builder(ward["desks"]["j2"])
    for name in ("井上", "上田", "遠藤"):
        at2.intake(D(2025, 7, 1), name)
    second = compute(officer).values
    assert second["year"]["R01"]["value"] == 8
    assert _cells(second, ward, "R01") == {"j1": None, "j2": None}
    assert _cells(second, ward, "R08") == {"j1": 2, "j2": 0}
    # An agency's own return is not held back by the ward's versions.
    own = compute(sv(ward, "j2")).values
    assert own["year"]["R01"]["value"] == 4


def test_protect_1d_hides_small_figures_and_their_complements():
    hide = document.protect_1d
    assert hide([3, 12, 15], 10, [False] * 3) == [True, True, False]
    assert hide([12, 15, 20], 10, [False] * 3) == [False] * 3
    # Two ones hidden are known to be ones: the next smallest goes too.
    assert hide([1, 1, 15], 3, [False] * 3) == [True, True, True]
    # Nothing else to hide beside a small one: everything, zeros too.
    assert hide([1, 0, 0], 3, [False] * 3) == [True, True, True]
    # Hidden before: stays hidden, with a complement if alone.
    assert hide([12, 15, 20], 10, [True, False, False]) == [True, True, False]
    assert hide([3, 16, 15], 10, [True, True, False]) == [True, True, False]
    assert hide([0, 0, 0], 10, [False] * 3) == [False] * 3


def test_a_rate_is_shown_only_when_both_its_parts_would_be(ward, officer, settings):
    """At k=1 nothing is small: J1's 0 of 2 (0.0) and J2's 1 of 1 (100.0) are shown; at
    k=2 J2's 1 improved is hidden, and J1's rate with it."""
    settings.INDICATORS_SUPPRESSION_K = 1
    values = compute(officer).values
    assert _cells(values, ward, "R09") == {"j1": "0.0", "j2": "100.0"}
    assert "numerator" not in json.dumps(values["breakdown"])


def test_with_one_filing_agency_the_breakdown_is_empty(ward, officer, settings):
    settings.INDICATORS_SUPPRESSION_K = 2
    Agency.objects.filter(pk=ward["j2"].pk).update(kind=Agency.Kind.OTHER)
    values = compute(officer).values
    assert values["breakdown"] == {
        "agencies": [ward["j1"].name],
        "agency_ids": [ward["j1"].pk],
        "items": {},
    }
    # The ward's figures are J1's.
    assert values["year"]["R01"]["value"] == 4


# --- approving and freezing -------------------------------------------------------------


def test_the_agencys_supervisor_approves_and_it_is_frozen(ward):
    snap = compute(sv(ward, "j1"))
    approved = services.return_approve(actor=sv(ward, "j1"), snapshot=snap)
    assert approved.state == "approved" and approved.approved_by == sv(ward, "j1")
    assert approved.approved_at is not None and approved.is_current_approval
    frozen = json.dumps(ReturnSnapshot.objects.get(pk=snap.pk).values, sort_keys=True)

    approved.values = {"tampered": True}
    with pytest.raises(PermissionError):
        approved.save()
    with pytest.raises(PermissionError):
        approved.delete()
    with pytest.raises(PermissionError):
        ReturnSnapshot.objects.filter(pk=snap.pk).update(values={})
    with pytest.raises(PermissionError):
        ReturnSnapshot.objects.filter(pk=snap.pk).delete()
    # The database refuses too, whatever path a write takes (migration 0002's trigger).
    table = connection.ops.quote_name(ReturnSnapshot._meta.db_table)
    column = connection.ops.quote_name("values")
    with (
        pytest.raises(DatabaseError, match="never changes"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {table} SET {column} = '{{}}' WHERE id = %s", [snap.pk])
    stored = ReturnSnapshot.objects.get(pk=snap.pk)
    assert json.dumps(stored.values, sort_keys=True) == frozen
    assert stored.is_approved
    with pytest.raises(ValidationError, match="すでに承認"):
        services.return_approve(actor=sv(ward, "j1"), snapshot=stored)


def test_a_draft_may_still_be_written(ward):
    snap = compute(sv(ward, "j1"))
    assert ReturnSnapshot.objects.filter(pk=snap.pk).update(suppression_k=3) == 1


@pytest.mark.parametrize("who", ["sv_j2", "officer", "worker_j1", "sv_o"])
def test_only_the_agencys_supervisor_approves_its_return(ward, officer, who):
    snap = compute(sv(ward, "j1"))
    actor = {
        "sv_j2": sv(ward, "j2"),
        "officer": officer,
        "worker_j1": ward["desks"]["j1"].worker,
        "sv_o": sv(ward, "o"),
    }[who]
    with pytest.raises(PermissionDenied):
        services.return_approve(actor=actor, snapshot=snap)
    snap.refresh_from_db()
    assert snap.state == "draft"


def test_only_the_officer_approves_the_wards_return(ward, officer):
    snap = compute(officer)
    for actor in (sv(ward, "j1"), sv(ward, "j2"), ward["desks"]["j1"].worker):
        with pytest.raises(PermissionDenied):
            services.return_approve(actor=actor, snapshot=snap)
    snap.refresh_from_db()
    assert snap.state == "draft"
    services.return_approve(actor=officer, snapshot=snap)
    snap.refresh_from_db()
    assert snap.is_approved and snap.approved_by == officer


def test_a_second_approval_needs_a_reason_and_replaces_the_first(ward):
    actor = sv(ward, "j1")
    first = services.return_approve(actor=actor, snapshot=compute(actor))
    frozen = json.dumps(first.values, sort_keys=True)
    second = compute(actor)
    with pytest.raises(ValidationError, match="差し替える理由") as refused:
        services.return_approve(actor=actor, snapshot=second)
    assert list(refused.value.error_dict) == ["reason"]
    with pytest.raises(ValidationError):
        services.return_approve(actor=actor, snapshot=second, reason="   ")
    second.refresh_from_db()
    assert second.state == "draft"
    services.return_approve(actor=actor, snapshot=second, reason="記録の訂正を反映")
    second.refresh_from_db()
    first = ReturnSnapshot.objects.get(pk=first.pk)
    assert second.is_approved and second.supersedes == first
    assert second.supersede_reason == "記録の訂正を反映"
    # The first stays stored, approved and unchanged, marked as replaced.
    assert first.is_approved and first.is_superseded and first.replacement == second
    assert not first.is_current_approval and second.is_current_approval
    assert json.dumps(first.values, sort_keys=True) == frozen
    with pytest.raises(PermissionError):
        ReturnSnapshot.objects.filter(pk=first.pk).update(values={})


def test_an_older_version_never_replaces_a_newer_approval(ward):
    actor = sv(ward, "j1")
    older, newer = compute(actor), compute(actor)
    services.return_approve(actor=actor, snapshot=newer)
    with pytest.raises(ValidationError, match="新しい承認済みの版"):
        services.return_approve(actor=actor, snapshot=older, reason="戻す")
    older.refresh_from_db()
    assert older.state == "draft"


def test_each_scope_has_its_own_current_approval(ward, officer):
    j1 = services.return_approve(actor=sv(ward, "j1"), snapshot=compute(sv(ward, "j1")))
    # J2's first approval, and the ward's, need no reason: J1's is not theirs.
    j2 = services.return_approve(actor=sv(ward, "j2"), snapshot=compute(sv(ward, "j2")))
    whole = services.return_approve(actor=officer, snapshot=compute(officer))
    assert j1.supersedes is None and j2.supersedes is None and whole.supersedes is None


def test_a_draft_of_older_definitions_is_not_approved(ward):
    actor = sv(ward, "j1")
    stale = compute(actor)
    ReturnSnapshot.objects.filter(pk=stale.pk).update(definition_version="0-old")
    stale.refresh_from_db()
    with pytest.raises(ValidationError, match="定義が更新"):
        services.return_approve(actor=actor, snapshot=stale)
    stale.refresh_from_db()
    assert stale.state == "draft"


def test_a_ward_draft_of_a_weaker_threshold_is_not_approved(ward, officer, settings):
    settings.INDICATORS_SUPPRESSION_K = 2
    weak = compute(officer)
    settings.INDICATORS_SUPPRESSION_K = 10
    with pytest.raises(ValidationError, match="秘匿の閾値"):
        services.return_approve(actor=officer, snapshot=weak)


def test_a_year_still_running_needs_the_confirmation(ward):
    actor = sv(ward, "j1")
    fy = current_fiscal_year()
    snap = compute(actor, fy=fy)
    assert snap.is_partial_year
    assert snap.values["covers_until"] == timezone.localdate().isoformat()
    with pytest.raises(ValidationError) as refused:
        services.return_approve(actor=actor, snapshot=snap)
    assert list(refused.value.error_dict) == ["partial_year_confirmed"]
    snap.refresh_from_db()
    assert snap.state == "draft"
    services.return_approve(actor=actor, snapshot=snap, partial_year_confirmed=True)
    snap.refresh_from_db()
    assert snap.is_approved


def test_a_finished_year_needs_no_confirmation(ward):
    actor = sv(ward, "j1")
    snap = compute(actor)
    assert not snap.is_partial_year
    services.return_approve(actor=actor, snapshot=snap)
    snap.refresh_from_db()
    assert snap.is_approved


# --- the background task -----------------------------------------------------------------


def test_the_task_computes_for_the_users_scope(ward, officer):
    result = tasks.compute_return.apply(args=[2025, sv(ward, "j1").pk]).get()
    assert result == {"agency": ward["j1"].pk, "fiscal_year": 2025, "number": 1}
    snap = ReturnSnapshot.objects.get(agency=ward["j1"], fiscal_year=2025, number=1)
    assert snap.computed_via == "task" and snap.computed_by == sv(ward, "j1")
    assert snap.values["months"][0]["figures"]["R01"]["value"] == 3
    result = tasks.compute_return.apply(args=[2025, officer.pk]).get()
    assert result == {"agency": None, "fiscal_year": 2025, "number": 1}
    assert ReturnSnapshot.objects.get(agency=None).values["year"]["R01"]["value"] == 5
    result = tasks.compute_return.apply(args=[2025, sv(ward, "j1").pk]).get()
    assert result["number"] == 2


def test_the_task_computes_nothing_for_a_user_without_a_return(ward):
    with pytest.raises(PermissionDenied):
        tasks.compute_return.apply(args=[2025, ward["desks"]["o"].supervisor.pk]).get()
    assert not ReturnSnapshot.objects.exists()


def test_the_database_refuses_a_replacement_of_another_scopes_approval(ward):
    """The chain of approvals is per scope and year in the database too: J2's draft cannot
    be written as replacing J1's approval, even by SQL that bypasses the services."""
    first = compute(sv(ward, "j1"))
    services.return_approve(actor=sv(ward, "j1"), snapshot=first)
    other = compute(sv(ward, "j2"))
    with (
        pytest.raises(DatabaseError, match="supersedes only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE returns_returnsnapshot SET state = 'approved', approved_by_id = %s, "
            "approved_at = %s, supersedes_id = %s, supersede_reason = 'x' WHERE id = %s",
            [sv(ward, "j2").pk, timezone.now(), first.pk, other.pk],
        )
    other.refresh_from_db()
    assert not other.is_approved
