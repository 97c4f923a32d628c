"""On PostgreSQL the disposal gate cannot be left open: a run row never commits as
`running`, a finished run never changes, and even a running one lets no record's version be
deleted (only emptied)."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from casework import services
from casework.models import ContactRecordVersion, DisposalRun

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _pg():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")


def test_a_running_row_never_commits(cast):
    _pg()
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        DisposalRun.objects.create(state="running", source="test")
    assert not DisposalRun.objects.exists()


def test_a_finished_run_never_opens_again(cast):
    _pg()
    run = DisposalRun.objects.create(state="done", source="test", finished_at=timezone.now())
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        DisposalRun.objects.filter(pk=run.pk).update(state="running", finished_at=None)
    run.refresh_from_db()
    assert run.state == "done"


def test_a_running_run_empties_but_never_deletes_versions(cast, open_case):
    _pg()
    case = open_case(cast.csw_a)
    record = services.contact_record_add(
        actor=cast.csw_a,
        case=case,
        occurred_at=timezone.now(),
        method="phone",
        minutes=5,
        summary="電話",
    )
    with transaction.atomic():
        run = DisposalRun.objects.create(state="running", source="test")
        ContactRecordVersion._base_manager.filter(record=record).update(summary="(廃棄)")
        with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
            ContactRecordVersion._base_manager.filter(record=record).delete()
        DisposalRun.objects.filter(pk=run.pk).update(state="done", finished_at=timezone.now())
    assert ContactRecordVersion.objects.get(record=record).summary == "(廃棄)"
