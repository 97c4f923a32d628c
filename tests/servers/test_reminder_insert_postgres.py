"""The reminder scan's insert on PostgreSQL: COPY into a temporary table of the transaction,
then one INSERT … ON CONFLICT. The same checks as tests/reminders/test_insert.py, which runs
on whichever database the suite runs on; here they must run on PostgreSQL (a skip fails CI)."""

import pytest
from django.db import connection

from tests.reminders import test_insert
from tests.reminders.conftest import days, plan_due_on, today

__all__ = ["plan_due_on"]  # the fixture, used below

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")


def test_new_keys_take_the_models_defaults_through_copy(postgres, cast):
    test_insert.test_new_keys_become_pending_reminders_with_the_models_defaults(cast)


def test_known_keys_and_a_second_copy_in_one_transaction(postgres, cast):
    test_insert.test_known_keys_change_nothing_and_two_inserts_share_a_transaction(cast)


def test_a_full_scan_inserts_each_key_once(postgres, cast, plan_due_on):
    from reminders import services
    from reminders.models import Reminder

    plan_due_on(today() + days(3))
    first = services.reminder_scan()
    assert sum(first.values()) == Reminder.objects.count() > 0
    assert sum(services.reminder_scan().values()) == 0
