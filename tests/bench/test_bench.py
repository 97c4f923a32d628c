"""The bench tools on a tiny world (--scale 0.02: 200 cases, 2,000 contact records), on
SQLite and PostgreSQL alike: the build, its refusal, the grants the access policy sees, the
page bench's table, and what the load script reads from the pages."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.db.models import Count, Q

from bench import pages, scrape, staff
from bench.management.commands.bench_build import Command as BuildCommand
from bench.verify import check_grants
from casework import access
from casework import models as casework_models
from casework.models import (
    AccessLog,
    Agency,
    Case,
    CaseAssignment,
    CaseShare,
    CaseStatus,
    CaseStatusChange,
    CaseUserObjectPermission,
    ContactRecord,
    ContactRecordVersion,
    Person,
    Role,
    StaffMembership,
)
from casework.normalize import person_search_key
from referrals.models import Referral, ReferralState
from tests.factories import PersonFactory

SCALE = 0.02
CASES = 200


def build(**options) -> str:
    out = io.StringIO()
    call_command("bench_build", scale=SCALE, force=True, verify=60, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def world(db) -> str:
    return build()


def counts() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "persons": Person.objects.count(),
        "users": get_user_model().objects.count(),
        "contacts": ContactRecord.all_records.count(),
        "log": AccessLog.objects.count(),
    }


def test_build_writes_a_world_in_proportion(world):
    assert Case.objects.count() == CASES
    assert ContactRecord.all_records.count() == 10 * CASES
    # Every 経過記録 has its first version; a few have a correction too.
    assert ContactRecordVersion.objects.filter(number=1).count() == 10 * CASES
    assert not ContactRecord.all_records.annotate(
        firsts=Count("versions", filter=Q(versions__number=1))
    ).exclude(firsts=1)
    # Roughly one person per case, some with two cases.
    persons = Person.objects.count()
    assert 0.85 * CASES <= persons <= CASES
    assert Person.objects.annotate(n=Count("cases")).filter(n__gte=2).exists()
    assert Person.history.count() == persons
    for p in Person.objects.all():
        assert p.search_key == person_search_key(
            p.family_name, p.given_name, p.family_name_kana, p.given_name_kana
        )
    assert Person.objects.filter(search_key__contains="さとう").exists()
    # The organisation: three agencies, the large one first, each with its supervisor and
    # its admin; an indicator officer.
    assert Agency.objects.count() == 3
    for agency in Agency.objects.all():
        roles = set(StaffMembership.objects.filter(agency=agency).values_list("role", flat=True))
        assert {Role.SUPERVISOR, Role.AGENCY_ADMIN} <= roles
        assert roles & {Role.CSW, Role.CONSULTATION}
    assert StaffMembership.objects.filter(role=Role.INDICATOR_OFFICER).exists()
    large = StaffMembership.objects.get(user__username=staff.SUPERVISOR).agency
    assert Case.objects.filter(owning_agency=large).count() > CASES / 3
    # Closed cases have their closing in the status history; most cases are closed.
    closed = Case.objects.filter(status=CaseStatus.CLOSED)
    assert closed.count() > CASES / 2
    assert CaseStatusChange.objects.filter(to_status=CaseStatus.CLOSED).count() == closed.count()
    # Shares and referrals of every answer.
    assert CaseShare.objects.filter(consent__isnull=False).exists()
    states = set(Referral.objects.values_list("state", flat=True))
    assert {ReferralState.SENT, ReferralState.ACCEPTED} <= states
    # Every access-log row is filed under its agencies where the schema keeps that index.
    index = getattr(casework_models, "AccessLogAgency", None)
    if index is not None:
        assert not AccessLog.objects.exclude(pk__in=index.objects.values("log_id")).exists()
    out = world
    assert "Every bench account's password: " + staff.PASSWORD in out
    assert "commit" in out and "total" in out


def test_grants_are_what_the_access_rules_justify(world):
    checked, wrong = check_grants(sample=10_000)
    assert checked > 100
    assert wrong == []
    # Every active assignment gives its worker view and work, every active share view.
    for a in CaseAssignment.objects.filter(ended_at__isnull=True):
        held = set(
            CaseUserObjectPermission.objects.filter(
                user_id=a.worker_id, content_object_id=a.case_id
            ).values_list("permission__codename", flat=True)
        )
        assert {"view_case", "work_case"} <= held


def test_access_policy_sees_the_built_grants(world):
    csw = get_user_model().objects.get(username=staff.CSW)
    agency_id = csw.membership.agency_id
    visible = set(access.cases_visible_to(csw).values_list("pk", flat=True))
    assigned = set(
        CaseAssignment.objects.filter(worker=csw, ended_at__isnull=True).values_list(
            "case_id", flat=True
        )
    )
    shared = set(
        CaseShare.objects.filter(user=csw, revoked_at__isnull=True).values_list(
            "case_id", flat=True
        )
    )
    referred = set(
        Referral.objects.filter(assigned_worker=csw, state=ReferralState.ACCEPTED).values_list(
            "case_id", flat=True
        )
    )
    assert assigned and assigned <= visible
    assert shared and shared <= visible
    elsewhere = set(Case.objects.exclude(owning_agency_id=agency_id).values_list("pk", flat=True))
    assert not (visible & elsewhere) - shared - referred
    # The supervisor sees the whole agency by rule, and no other agency's case unasked.
    sv = get_user_model().objects.get(username=staff.SUPERVISOR)
    own = set(Case.objects.filter(owning_agency_id=agency_id).values_list("pk", flat=True))
    assert own <= set(access.cases_visible_to(sv).values_list("pk", flat=True))


def test_build_refuses_a_database_with_other_data_and_changes_nothing(db):
    PersonFactory()
    before = counts()
    with pytest.raises(CommandError, match=r"refuses this database.*1 persons"):
        build()
    assert counts() == before


def test_refusal_exits_non_zero_with_the_reason(db, capsys, monkeypatch):
    get_user_model().objects.create(username="someone")
    before = counts()
    # As manage.py runs it; its closing of the connections would end the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_:
        BuildCommand().run_from_argv(["manage.py", "bench_build", "--scale", "0.02", "--force"])
    assert exit_.value.code != 0
    assert "users not made by bench_build" in capsys.readouterr().err
    assert counts() == before


def test_build_refuses_a_second_build(world):
    before = counts()
    with pytest.raises(CommandError, match="refuses this database"):
        build()
    assert counts() == before


def test_bench_pages_prints_a_row_per_page(world):
    out = io.StringIO()
    call_command("bench_pages", runs=1, quiet=True, stdout=out)
    text = out.getvalue()
    users = {
        role: get_user_model().objects.get(username=name)
        for role, name in (
            ("csw", staff.CSW),
            ("supervisor", staff.SUPERVISOR),
            ("consultation", staff.CONSULTATION),
            ("officer", staff.OFFICER),
        )
    }
    planned = pages.plan(pages.Cast(users))
    rows = [line for line in text.splitlines() if line.split()[-1:] != []]
    assert len(planned) >= 30
    for page in planned:
        assert any(
            line.startswith(page.label + " ") and f" {page.role} " in line for line in rows
        ), page
    compared = [line for line in rows if line.rstrip().endswith(" same")]
    assert len(compared) == sum(1 for p in planned if p.compare is not None)
    assert "not 200: 0" in text


def test_the_load_script_reads_the_login_form(client, db):
    page = client.get("/accounts/login/").content.decode()
    fields = scrape.hidden_fields(page)
    assert "csrfmiddlewaretoken" in fields
    assert scrape.linked_ids('<a href="/cases/12/">x</a><a href="/cases/12/">', "/cases/") == [12]
    assert scrape.is_loopback("http://127.0.0.1:8000")
    assert scrape.is_loopback("http://localhost:1")
    assert not scrape.is_loopback("http://10.0.0.1:8000")
    assert not scrape.is_loopback("http://example.org")
