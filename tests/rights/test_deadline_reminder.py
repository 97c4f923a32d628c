"""The bell reminds of a request's legal deadline: the receiving agency's supervisors and the
worker who registered it, TSUNAGU_RIGHTS_REMIND_DAYS before the deadline and on the day; a
decided or withdrawn request, nobody."""

import pytest

from reminders import rules
from reminders import services as reminder_services
from reminders.messages import describe
from reminders.models import Reminder, Rule
from rights import services
from rights.models import Decision, RequestKind
from tests.reminders.conftest import at, days, found, today

RULE = Rule.RIGHTS_DEADLINE


@pytest.fixture(autouse=True)
def _eager():
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_seven_days_before_then_on_the_day(cast, register):
    request = register(received_on=today())
    deadline = today() + days(30)
    assert found(RULE, at(deadline - days(8))) == set()
    early = {
        (request.pk, deadline - days(7), "supervisor_a"),
        (request.pk, deadline - days(7), "csw_a"),
    }
    assert found(RULE, at(deadline - days(7))) == early
    assert found(RULE, at(deadline - days(1), 23, 59)) == early
    assert found(RULE, at(deadline)) == {
        (request.pk, deadline, "supervisor_a"),
        (request.pk, deadline, "csw_a"),
    }


def test_an_extension_moves_the_reminder(cast, register):
    request = register(received_on=today() - days(25))
    services.request_extend(
        actor=cast.supervisor_a,
        request=request,
        extended_to=today() + days(20),
        reason="資料が多い",
    )
    assert found(RULE, at(today())) == set()
    assert {due for _pk, due, _who in found(RULE, at(today() + days(13)))} == {today() + days(13)}


def test_the_notice_days_are_a_setting(cast, register, settings):
    settings.TSUNAGU_RIGHTS_REMIND_DAYS = 2
    request = register(received_on=today())
    deadline = today() + days(30)
    assert found(RULE, at(deadline - days(3))) == set()
    assert (request.pk, deadline - days(2), "csw_a") in found(RULE, at(deadline - days(2)))


def test_a_decided_request_is_not_reminded(cast, register):
    request = register(RequestKind.SUSPENSION, received_on=today() - days(29))
    assert found(RULE, at(today()))
    services.request_decide(
        actor=cast.supervisor_a,
        request=request,
        decision=Decision.FULL,
        reason="",
        decided_on=today(),
    )
    assert found(RULE, at(today())) == set()


def test_a_registrar_who_moved_agency_is_not_reminded(cast, register):
    request = register(received_on=today() - days(29))
    membership = cast.csw_a.membership
    membership.agency = cast.agency_b
    membership.save(update_fields=["agency"])
    assert found(RULE, at(today())) == {(request.pk, today() + days(1) - days(7), "supervisor_a")}


def test_the_scan_delivers_a_message_without_the_name(cast, register):
    request = register(received_on=today() - days(30))
    reminder_services.reminder_scan(now=at(today()))
    reminder = Reminder.objects.get(rule=RULE, recipient=cast.supervisor_a)
    (candidate,) = [
        c
        for c in rules.RULES[RULE](rules.ScanContext.load(at(today())), object_ids=[request.pk])
        if c.recipient_id == cast.supervisor_a.pk
    ]
    message, url = describe(candidate)
    assert f"開示請求 No.{request.pk}" in message and "決定期限" in message
    assert request.person.family_name not in message
    assert url == request.get_absolute_url()
    assert reminder.due_on == today()
