"""A scan's insert: new keys become pending reminders with the model's own defaults, known
keys change nothing, and two scans inside one transaction work (the PostgreSQL path copies
the keys into a temporary table of the transaction)."""

import datetime

from django.db import transaction
from django.utils import timezone

from reminders.insert import insert_new
from reminders.models import Reminder


def _fields(reminder):
    return {
        f.name: getattr(reminder, f.attname)
        for f in Reminder._meta.concrete_fields
        if f.name not in ("id", "created_at")
    }


def test_new_keys_become_pending_reminders_with_the_models_defaults(cast):
    now = timezone.now()
    day = timezone.localdate()
    insert_new(
        [("no_contact", 7, day, cast.csw_a.pk), ("plan_due", 8, day, cast.csw_b.pk)],
        created_at=now,
    )
    made = {(r.rule, r.object_id): r for r in Reminder.objects.all()}
    assert set(made) == {("no_contact", 7), ("plan_due", 8)}
    # Exactly what the ORM would have written for the same key.
    expected = Reminder(rule="no_contact", object_id=7, due_on=day, recipient_id=cast.csw_a.pk)
    assert _fields(made["no_contact", 7]) == _fields(expected)
    assert made["no_contact", 7].state == "pending"
    assert all(r.created_at == now for r in made.values())


def test_known_keys_change_nothing_and_two_inserts_share_a_transaction(cast):
    day = timezone.localdate()
    first = timezone.now() - datetime.timedelta(minutes=5)
    insert_new([("no_contact", 7, day, cast.csw_a.pk)], created_at=first)
    with transaction.atomic():
        insert_new(
            [("no_contact", 7, day, cast.csw_a.pk), ("no_contact", 9, day, cast.csw_a.pk)],
            created_at=timezone.now(),
        )
        insert_new([("plan_due", 7, day, cast.csw_a.pk)], created_at=timezone.now())
    rows = dict(Reminder.objects.values_list("object_id", "created_at").filter(rule="no_contact"))
    assert set(rows) == {7, 9}
    assert rows[7] == first  # the known one was left as it was
    assert Reminder.objects.filter(rule="plan_due").count() == 1
    insert_new([], created_at=timezone.now())
    assert Reminder.objects.count() == 3
