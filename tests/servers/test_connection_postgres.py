"""The app's own PostgreSQL connections: no JIT and no parallel workers (config/settings.py),
set per connection so that no role or server setting is needed."""

import pytest
from django.db import connection

pytestmark = pytest.mark.postgres


def test_the_apps_connections_plan_without_jit_or_parallel_workers(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)
