import datetime

import pytest
from django.test import TestCase
from django.utils import timezone

from casework.models import SupportPlan
from config.celery import app as celery_app
from reminders import rules, services
from reminders.models import Reminder
from tests.referrals.conftest import Referrals


def today() -> datetime.date:
    return timezone.localdate()


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """A moment in Asia/Tokyo."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def found(rule: str, now: datetime.datetime, object_ids=None) -> set[tuple]:
    """(object id, due date, recipient username) of every candidate the rule finds at `now`."""
    from django.contrib.auth import get_user_model

    names = dict(get_user_model().objects.values_list("pk", "username"))
    ctx = rules.ScanContext.load(now)
    return {
        (c.object_id, c.due_on, names[c.recipient_id])
        for c in rules.RULES[rule](ctx, object_ids=object_ids)
    }


def rows(**filters) -> set[tuple]:
    return set(
        Reminder.objects.filter(**filters).values_list(
            "rule", "object_id", "due_on", "recipient__username", "state"
        )
    )


def deliver_all() -> dict:
    """Deliver every pending reminder here, running what is sent on commit (the e-mails)."""
    ids = list(Reminder.objects.filter(state="pending").values_list("pk", flat=True))
    with TestCase.captureOnCommitCallbacks(execute=True):
        outcome = dict(services.reminder_deliver(ids))
    return outcome


@pytest.fixture(autouse=True)
def eager_celery():
    """Tasks run in the test's process (the real-worker tests are in tests/servers)."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def refer(cast, open_case) -> Referrals:
    return Referrals(cast, open_case)


@pytest.fixture
def plan_due_on(cast, open_case, workflow):
    """A case of agency A worked by csw_a with an approved plan monitored next on `day`."""

    def _make(day: datetime.date, actor=None):
        actor = actor or cast.csw_a
        case = open_case(actor)
        plan = workflow.to_support(case, actor)
        SupportPlan.objects.filter(pk=plan.pk).update(next_monitoring_on=day)
        plan.refresh_from_db()
        return plan

    return _make
