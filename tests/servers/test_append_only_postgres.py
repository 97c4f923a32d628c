"""On PostgreSQL the record's history refuses DELETE and TRUNCATE too, below the ORM."""

import datetime

import pytest
from django.db import connection, transaction
from django.utils import timezone

from casework import services
from indicators import services as indicator_services
from indicators.models import Snapshot


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")


def _refused(sql: str, match: str = "append-only") -> None:
    with (
        pytest.raises(Exception, match=match),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # The test runs in a transaction: check the deferred foreign keys now, or PostgreSQL
        # refuses TRUNCATE for its pending trigger events before our triggers are asked.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql)


@pytest.fixture
def history(cast, case_a, workflow):
    workflow.screen(case_a, cast.csw_a)
    return services.contact_record_add(
        actor=cast.csw_a,
        case=case_a,
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
        method="phone",
        minutes=10,
        summary="電話で近況を確認した。",
    )


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM casework_contactrecordversion",
        "UPDATE casework_contactrecordversion SET summary = 'x'",
        "DELETE FROM casework_casestatuschange",
        "UPDATE casework_casestatuschange SET reason = 'x'",
        "DELETE FROM casework_contactrecord",
        "TRUNCATE casework_contactrecordversion CASCADE",
        "TRUNCATE casework_casestatuschange CASCADE",
        "TRUNCATE casework_contactrecord CASCADE",
        "TRUNCATE casework_accesslog CASCADE",
    ],
)
def test_the_history_refuses_delete_and_truncate(postgres, history, sql):
    _refused(sql)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM casework_contactrecordversion")
        assert cursor.fetchone()[0] == 1


@pytest.mark.postgres
def test_a_correction_still_updates_the_record(postgres, cast, history):
    services.contact_record_correct(
        actor=cast.csw_a,
        record=history,
        version=1,
        reason="誤り",
        **{f: getattr(history, f) for f in services.CONTACT_FIELDS if f != "minutes"},
        minutes=20,
    )
    history.refresh_from_db()
    assert (history.minutes, history.versions.count()) == (20, 2)


@pytest.mark.postgres
def test_truncating_snapshots_is_refused_while_one_is_approved(postgres, cast):
    snapshot = indicator_services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    # Drafts only: TRUNCATE goes through (undone at once, inside a savepoint).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        sid = transaction.savepoint()
        cursor.execute("TRUNCATE indicators_snapshot CASCADE")
        transaction.savepoint_rollback(sid)
    indicator_services.snapshot_approve(actor=cast.indicator_officer, snapshot=snapshot)
    _refused("TRUNCATE indicators_snapshot CASCADE", match="approved indicators snapshot")
    assert Snapshot.objects.filter(state="approved").count() == 1
