"""Checks that run against the real PostgreSQL and Redis. They skip on a machine without
them (SQLite default) and, under CI=true, a skip fails the run (see tests/conftest.py)."""

import pytest
from django.conf import settings
from django.db import connection, transaction

from casework import access
from casework.models import AccessLog


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")


@pytest.fixture
def redis_url():
    if not settings.REDIS_URL:
        pytest.skip("needs Redis: set REDIS_URL=redis://...")
    return settings.REDIS_URL


@pytest.mark.postgres
def test_access_log_refuses_delete_in_postgresql(postgres, cast, case_a):
    assert AccessLog.objects.exists()
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM casework_accesslog")


@pytest.mark.postgres
@pytest.mark.parametrize("member", ["csw_a", "supervisor_b"])
def test_visibility_is_one_statement_with_a_union_of_indexed_branches(
    postgres, cast, case_a, member
):
    user = getattr(cast, member)
    sql, params = access.cases_visible_to(user).query.sql_with_params()
    # The cases whose id is in one UNION: the user's grants and their groups' (full and
    # summary at once), and for a supervisor the agency's cases and accepted referrals.
    branches = 2 if member == "csw_a" else 5
    assert sql.count("SELECT") == 1 + branches
    assert sql.count(" UNION ") == branches - 1
    assert " OR " not in sql
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert {row[0] for row in cursor.fetchall()} == set(
            access.cases_visible_to(user).values_list("pk", flat=True)
        )


@pytest.mark.postgres
def test_constraints_hold_in_postgresql(postgres, cast, case_a):
    from django.db import IntegrityError

    from casework.models import Case

    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case_a.pk).update(status="closed")


@pytest.mark.redis
def test_cache_round_trip_on_redis(redis_url):
    from django.core.cache import cache

    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.set("tsunagu-test", {"ok": 1}, 10)
    assert cache.get("tsunagu-test") == {"ok": 1}
    cache.delete("tsunagu-test")


@pytest.mark.redis
def test_celery_broker_is_redis_and_reachable(redis_url):
    from config.celery import app

    assert app.conf.broker_url.startswith("redis")
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1)
        assert conn.connected


@pytest.mark.redis
def test_healthz_reports_redis(client, db, redis_url):
    response = client.get("/healthz")
    assert response.json() == {"database": "ok", "cache": "ok"}
