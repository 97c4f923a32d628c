"""A scan asks each rule only for the keys no reminder has yet (reminders/due.py): the due
date is computed by the database, and the keys left out are exactly those already stored.
The world below gives every rule something to find, with each agency's own days (two
agencies with two different settings) and moments just after midnight in Asia/Tokyo (the
day before in UTC)."""

import datetime

import pytest
from django.utils import timezone

from casework import services as casework_services
from reminders import rules
from reminders.insert import insert_new
from reminders.models import AgencyReminderSettings, Reminder, Rule
from rights import services as rights_services
from tests.outreach import outreach_helpers as outreach

from .conftest import at, days, found, today


def _when() -> datetime.datetime:
    return at(today() + days(2), 12)


@pytest.fixture
def world(cast, open_case, plan_due_on, refer):
    AgencyReminderSettings.objects.create(
        agency=cast.agency_a, no_contact_days=7, monitoring_due_days=3, monitoring_overdue_days=5
    )
    AgencyReminderSettings.objects.create(agency=cast.agency_b, no_contact_days=35)
    made = {
        "plan_early": plan_due_on(today() + days(4)),
        "plan_on_the_day": plan_due_on(today() + days(2), actor=cast.csw_b),
        "plan_late": plan_due_on(today() - days(4)),
        "referral": refer.send(answer_by=today() + days(1)),
        "visit_tomorrow": outreach.plan(
            cast.csw_a, case=open_case(cast.csw_a), planned_at=at(today() + days(3), 10)
        ),
        # 00:30 in Tokyo is 15:30 UTC of the day before: the day after is taken in Tokyo.
        "visit_past_midnight": outreach.plan(
            cast.csw_a, case=open_case(cast.csw_a), planned_at=at(today() + days(1), 0, 30)
        ),
        "urgent_report": outreach.report(cast.csw_a, urgency="urgent"),
        "report": outreach.report(cast.csw_a),
        "quiet_a": open_case(cast.csw_a, opened_on=today() - days(10)),
        "quiet_b": open_case(cast.csw_b, opened_on=today() - days(60)),
        # Received 25 days ago: its deadline is 5 days away, within the 7 days' notice.
        "rights": rights_services.request_register(
            actor=cast.csw_a,
            person=open_case(cast.csw_a).person,
            kind="disclosure",
            received_on=today() - days(25),
            requester="本人",
            content="全部",
        ),
    }
    casework_services.contact_record_add(
        actor=cast.csw_b,
        case=made["quiet_b"],
        occurred_at=at(today() - days(40), 0, 30),
        method="phone",
        minutes=5,
        summary="深夜の電話",
    )
    return made


def test_the_database_computes_each_rules_due_date(cast, world):
    when = _when()
    assert {(pk, due) for pk, due, _who in found(Rule.PLAN_MONITORING_DUE, when)} >= {
        (world["plan_early"].pk, today() + days(1)),  # agency A: 3 days before
        (world["plan_on_the_day"].pk, today() + days(2)),  # on the day
    }
    assert found(Rule.PLAN_MONITORING_OVERDUE, when) == {
        (world["plan_late"].pk, today() + days(1), "supervisor_a")  # agency A: 5 days after
    }
    assert found(Rule.VISIT_NOT_RECORDED, when) == {
        (world["visit_past_midnight"].pk, today() + days(2), "csw_a")
    }
    assert found(Rule.VISIT_TOMORROW, when) == {
        (world["visit_tomorrow"].pk, today() + days(2), "csw_a")
    }
    urgent = world["urgent_report"]
    assert {due for pk, due, _who in found(Rule.REPORT_UNTRIAGED, when) if pk == urgent.pk} == {
        timezone.localdate(urgent.received_at + datetime.timedelta(hours=2))
    }
    quiet = found(Rule.NO_CONTACT, when)
    assert (world["quiet_a"].pk, today() - days(3), "csw_a") in quiet  # 7 days from opening
    # 35 days from the local day of a contact at 00:30.
    assert (world["quiet_b"].pk, today() - days(5), "csw_b") in quiet
    (candidate,) = rules.no_contact(rules.ScanContext.load(when), {world["quiet_b"].pk})
    assert candidate.facts == {
        "case_id": world["quiet_b"].pk,
        "date": today() - days(40),
        "days": 35,
    }


def test_a_scan_is_told_only_the_keys_not_stored_yet(cast, world):
    ctx = rules.ScanContext.load(_when())
    for rule, find in rules.RULES.items():
        every = find(ctx)
        assert every, rule  # the world gives every rule something to find
        stored = every[::2]
        insert_new([c.key for c in stored], created_at=ctx.now)
        new = find(ctx, new_only=True)
        assert {c.key for c in new} == {c.key for c in every} - {c.key for c in stored}, rule
        # What a new candidate's message will say is what the full rule says.
        facts = {c.key: c.facts for c in every}
        assert all(c.facts == facts[c.key] for c in new), rule
        insert_new([c.key for c in new], created_at=ctx.now)
        assert find(ctx, new_only=True) == [], rule
    assert Reminder.objects.count() == sum(len(find(ctx)) for find in rules.RULES.values())
