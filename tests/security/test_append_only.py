"""The security log is append-only: the ORM refuses to change or delete an event, and so does
the database below it (a trigger: UPDATE on SQLite and PostgreSQL, DELETE and TRUNCATE on
PostgreSQL too)."""

import pytest
from django.db import connection, transaction

from security import events
from security.models import EventKind, EventResult, SecurityEvent


@pytest.fixture
def event(cast):
    return events.record(
        EventKind.LOGIN_FAILED,
        result=EventResult.FAILURE,
        subject=cast.csw_a,
        username="csw_a",
        detail="記録されたまま",
    )


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")


def _unchanged(event):
    stored = SecurityEvent.objects.get(pk=event.pk)
    assert (stored.kind, stored.result, stored.detail, stored.subject_id) == (
        "login_failed",
        "failure",
        "記録されたまま",
        event.subject_id,
    )


def _refused(sql, params=()):
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # The test runs in a transaction: check the deferred foreign keys now, or PostgreSQL
        # refuses TRUNCATE for its pending trigger events before the trigger is asked.
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql, params)


def test_the_orm_refuses_update_and_delete_of_the_events(event):
    with pytest.raises(PermissionError, match="append-only"):
        SecurityEvent.objects.filter(pk=event.pk).update(detail="書き換え")
    with pytest.raises(PermissionError, match="append-only"):
        SecurityEvent.objects.all().update(result=EventResult.SUCCESS)
    with pytest.raises(PermissionError, match="append-only"):
        SecurityEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError, match="append-only"):
        SecurityEvent.objects.all().delete()
    _unchanged(event)


def test_an_event_is_not_saved_again_nor_deleted(event):
    event.detail = "書き換え"
    with pytest.raises(PermissionError, match="append-only"):
        event.save()
    with pytest.raises(PermissionError, match="append-only"):
        event.save(update_fields=["detail"])
    with pytest.raises(PermissionError, match="append-only"):
        event.delete()
    fetched = SecurityEvent.objects.get(pk=event.pk)
    fetched.result = EventResult.SUCCESS
    with pytest.raises(PermissionError, match="append-only"):
        fetched.save()
    _unchanged(event)


def test_the_database_refuses_an_update_below_the_orm(event):
    """On whatever database the suite runs: SQLite here, PostgreSQL with DATABASE_URL."""
    assert connection.vendor in ("sqlite", "postgresql")
    table = SecurityEvent._meta.db_table
    _refused(f"UPDATE {table} SET detail = %s WHERE id = %s", ["書き換え", event.pk])
    _refused(f"UPDATE {table} SET result = 'success'")
    _unchanged(event)


def test_a_new_event_is_still_written_after_a_refusal(event):
    _refused(f"UPDATE {SecurityEvent._meta.db_table} SET detail = 'x'")
    later = events.record(EventKind.LOGOUT, subject=event.subject, detail="あとの記録")
    assert list(SecurityEvent.objects.filter(pk__gte=event.pk).values_list("kind", flat=True)) == [
        "logout",
        "login_failed",
    ]
    assert later.pk > event.pk


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM security_securityevent",
        "DELETE FROM security_securityevent WHERE kind = 'login_failed'",
        "UPDATE security_securityevent SET address = '10.0.0.1'",
        "TRUNCATE security_securityevent",
        "TRUNCATE security_securityevent CASCADE",
    ],
)
def test_postgresql_refuses_delete_and_truncate(postgres, event, sql):
    _refused(sql)
    _unchanged(event)
