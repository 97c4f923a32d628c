"""Delivery: claim, deliver once, cancel what no longer applies, retry, give up."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from casework.models import Notification
from reminders import services
from reminders.models import ChannelPreference, Reminder, ReminderState, Rule

from .conftest import days, deliver_all, rows, today


@pytest.fixture
def due_referral(cast, refer):
    """A referral whose answer-by date is today: one reminder for supervisor_b."""
    case = refer.case()
    refer.contact(case, "電話で近況を聞いた")  # so that only the referral is due
    referral = refer.send(case, answer_by=today())
    services.reminder_scan()
    assert rows() == {
        (Rule.REFERRAL_UNANSWERED, referral.pk, today(), "supervisor_b", ReminderState.PENDING)
    }
    return referral


def test_delivery_puts_a_notification_with_a_link_in_the_bell(cast, due_referral, client):
    assert deliver_all() == {"sent": 1}
    note = Notification.objects.get(recipient=cast.supervisor_b, reminder__isnull=False)
    assert note.url == f"/referrals/{due_referral.pk}/"
    assert f"つなぎ {due_referral.pk}" in note.message
    reminder = Reminder.objects.get()
    assert reminder.state == ReminderState.SENT
    assert reminder.notification == note
    assert reminder.finished_at is not None
    client.force_login(cast.supervisor_b)
    page = client.get("/notifications/").content.decode()
    assert note.message in page
    # Its link opens the notification (marking it read) and leads to the referral.
    opener = f"/notifications/{note.pk}/"
    assert f'href="{opener}"' in page
    assert client.get(opener).url == f"/referrals/{due_referral.pk}/"
    page = client.get("/notifications/").content.decode()
    unread = Notification.objects.filter(recipient=cast.supervisor_b, read_at__isnull=True)
    assert f'<span class="count">{unread.count()}</span>' in page


def test_delivering_twice_delivers_once(cast, due_referral):
    ids = list(Reminder.objects.values_list("pk", flat=True))
    assert services.reminder_deliver(ids) == {"sent": 1}
    assert services.reminder_deliver(ids) == {}
    services.reminder_scan()
    assert services.reminder_deliver(list(Reminder.objects.values_list("pk", flat=True))) == {}
    assert Notification.objects.filter(reminder__isnull=False).count() == 1


def test_answered_referral_cancels_its_reminder(cast, refer, due_referral):
    refer.accept(due_referral)
    before = Notification.objects.count()
    assert deliver_all() == {"cancelled": 1}
    reminder = Reminder.objects.get()
    assert reminder.state == ReminderState.CANCELLED
    assert reminder.notification is None
    assert Notification.objects.count() == before


def test_reassigned_workers_reminder_is_cancelled_and_the_new_worker_gets_one(cast, plan_due_on):
    from casework import services as casework_services

    plan = plan_due_on(today())
    services.reminder_scan()
    casework_services.case_reassign(
        actor=cast.supervisor_a,
        case=plan.case,
        from_worker=cast.csw_a,
        to_worker=cast.consultation_a,
    )
    services.reminder_scan()
    deliver_all()
    assert rows(rule=Rule.PLAN_MONITORING_DUE) == {
        (Rule.PLAN_MONITORING_DUE, plan.pk, today(), "csw_a", ReminderState.CANCELLED),
        (Rule.PLAN_MONITORING_DUE, plan.pk, today(), "consultation_a", ReminderState.SENT),
    }


def test_deactivated_recipient_is_not_delivered_to(cast, due_referral):
    cast.supervisor_b.is_active = False
    cast.supervisor_b.save()
    assert deliver_all() == {"cancelled": 1}


def test_email_channel_sends_mail_without_names(cast, due_referral, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cast.supervisor_b.email = "sv-b@example.lg.jp"
    cast.supervisor_b.save()
    ChannelPreference.objects.create(user=cast.supervisor_b, in_app=False, email=True)
    assert deliver_all() == {"sent": 1}
    assert (
        Notification.objects.filter(recipient=cast.supervisor_b, reminder__isnull=False).count()
        == 0
    )
    (message,) = mail.outbox
    assert message.to == ["sv-b@example.lg.jp"]
    assert f"/referrals/{due_referral.pk}/" in message.body
    person = due_referral.case.person
    for name in (person.family_name, person.given_name, person.family_name_kana):
        assert name not in message.body and name not in message.subject
    assert Reminder.objects.get().email_state == "sent"


def test_both_channels(cast, due_referral, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cast.supervisor_b.email = "sv-b@example.lg.jp"
    cast.supervisor_b.save()
    ChannelPreference.objects.create(user=cast.supervisor_b, in_app=True, email=True)
    deliver_all()
    assert len(mail.outbox) == 1
    assert (
        Notification.objects.filter(recipient=cast.supervisor_b, reminder__isnull=False).count()
        == 1
    )


def test_email_only_user_without_an_address_gets_it_in_the_app(cast, due_referral):
    ChannelPreference.objects.create(user=cast.supervisor_b, in_app=False, email=True)
    assert deliver_all() == {"sent": 1}
    assert (
        Notification.objects.filter(recipient=cast.supervisor_b, reminder__isnull=False).count()
        == 1
    )


class BrokenMailServer:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server is down")


def _mail_fails(settings, user, *, in_app: bool):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    settings.REMINDER_MAX_ATTEMPTS = 3
    user.email = "sv-b@example.lg.jp"
    user.save()
    ChannelPreference.objects.create(user=user, in_app=in_app, email=True)


def _retry_email(after: datetime.timedelta) -> str:
    reminder = Reminder.objects.get()
    return services.reminder_email_send(reminder.pk, now=timezone.now() + after)


def test_a_mail_server_that_is_down_does_not_hold_back_the_bell(cast, due_referral, settings):
    _mail_fails(settings, cast.supervisor_b, in_app=True)
    assert deliver_all() == {"sent": 1}
    reminder = Reminder.objects.get()
    # The bell has it at once; the e-mail waits for its next attempt.
    assert reminder.state == ReminderState.SENT
    assert reminder.notification is not None
    assert (reminder.email_state, reminder.email_attempts) == ("pending", 1)
    assert "SMTP server is down" in reminder.note
    assert reminder.email_next_at > timezone.now() + datetime.timedelta(minutes=4)
    # Not before the back-off has passed...
    assert services.reminder_email_send(reminder.pk) == "skipped"
    # ...then again, with a longer wait each time, until the limit.
    assert _retry_email(datetime.timedelta(minutes=6)) == "email_retry"
    assert _retry_email(datetime.timedelta(minutes=30)) == "email_failed"
    reminder.refresh_from_db()
    assert (reminder.email_state, reminder.email_attempts) == ("failed", 3)
    assert Notification.objects.filter(reminder__isnull=False).count() == 1


def test_email_only_reminder_falls_back_to_the_bell_when_mail_keeps_failing(
    cast, due_referral, settings
):
    _mail_fails(settings, cast.supervisor_b, in_app=False)
    assert deliver_all() == {"sent": 1}
    assert Notification.objects.filter(reminder__isnull=False).count() == 0
    assert _retry_email(datetime.timedelta(minutes=6)) == "email_retry"
    assert _retry_email(datetime.timedelta(minutes=30)) == "email_failed"
    note = Notification.objects.get(reminder__isnull=False)
    assert note.recipient == cast.supervisor_b
    assert f"/referrals/{due_referral.pk}/" == note.url


def test_a_sweep_hands_out_due_emails_once_each(cast, due_referral, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cast.supervisor_b.email = "sv-b@example.lg.jp"
    cast.supervisor_b.save()
    ChannelPreference.objects.create(user=cast.supervisor_b, in_app=True, email=True)
    services.reminder_deliver(Reminder.objects.values_list("pk", flat=True))  # on-commit not run
    assert Reminder.objects.get().email_state == "pending"
    assert services.reminder_email_dispatch() == 1
    pk = Reminder.objects.get().pk
    assert services.reminder_email_send(pk) == "emailed"
    assert services.reminder_email_send(pk) == "skipped"
    assert len(mail.outbox) == 1
    assert services.reminder_email_dispatch() == 0


def test_a_soft_time_limit_stops_the_batch_and_hands_the_rest_back(cast, open_case, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    from reminders import messages, tasks

    for _ in range(3):
        open_case(cast.csw_a, opened_on=today() - days(40))
    services.reminder_scan()
    ids = list(Reminder.objects.order_by("pk").values_list("pk", flat=True))
    real_describe = messages.describe
    calls = []

    def slow_describe(candidate):
        calls.append(candidate)
        if len(calls) == 2:
            raise SoftTimeLimitExceeded()
        return real_describe(candidate)

    monkeypatch.setattr(messages, "describe", slow_describe)
    result = tasks.deliver.apply(args=[ids])
    assert isinstance(result.result, SoftTimeLimitExceeded)
    states = sorted(Reminder.objects.values_list("state", flat=True))
    # One was delivered; the interrupted one and the rest are pending again at once, not
    # left claimed until the claim times out.
    assert states == ["pending", "pending", "sent"]


def test_a_claimed_reminder_cannot_be_claimed_again(cast, due_referral):
    ids = list(Reminder.objects.values_list("pk", flat=True))
    assert services.reminder_claim(ids, token="first") == ids
    assert services.reminder_claim(ids, token="second") == []
    assert services.reminder_deliver(ids) == {}
    assert services.reminder_deliver_claimed(ids, token="first") == {"sent": 1}


def test_a_stale_claim_is_released_and_the_slow_worker_loses_it(cast, due_referral, settings):
    settings.REMINDER_CLAIM_TIMEOUT_SECONDS = 60
    ids = list(Reminder.objects.values_list("pk", flat=True))
    assert services.reminder_claim(ids, token="slow") == ids
    assert services.reminder_release_stale() == (0, 0)
    later = timezone.now() + datetime.timedelta(seconds=61)
    assert services.reminder_release_stale(now=later) == (1, 0)
    assert services.reminder_claim(ids, token="fresh") == ids
    # The first worker wakes up: it finds no row claimed under its token any more.
    assert services.reminder_deliver_claimed(ids, token="slow") == {}
    assert services.reminder_deliver_claimed(ids, token="fresh") == {"sent": 1}
    assert Notification.objects.filter(reminder__isnull=False).count() == 1


def test_a_claim_that_keeps_dying_fails_after_the_attempt_limit(cast, due_referral, settings):
    settings.REMINDER_MAX_ATTEMPTS = 2
    settings.REMINDER_CLAIM_TIMEOUT_SECONDS = 60
    ids = list(Reminder.objects.values_list("pk", flat=True))
    later = timezone.now() + datetime.timedelta(seconds=61)
    services.reminder_claim(ids, token="one")
    assert services.reminder_release_stale(now=later) == (1, 0)
    services.reminder_claim(ids, token="two")
    assert services.reminder_release_stale(now=later) == (0, 1)
    assert Reminder.objects.get().state == ReminderState.FAILED


def test_scan_task_hands_out_on_commit_and_delivers(
    cast, refer, django_capture_on_commit_callbacks
):
    from reminders import tasks

    case = refer.case()
    refer.contact(case, "電話で近況を聞いた")
    refer.send(case, answer_by=today())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = tasks.scan.apply().get()
    assert result["added"][Rule.REFERRAL_UNANSWERED] == 1
    assert result["handed_out"] == 1
    assert len(callbacks) == 1  # one message per batch, sent after the commit
    assert Reminder.objects.get().state == ReminderState.SENT
    # A second sweep finds nothing left to hand out.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.sweep.apply().get() == {
            "released": 0,
            "failed": 0,
            "handed_out": 0,
            "emails": 0,
        }


def test_dispatch_batches_and_does_not_hand_out_twice(cast, open_case):
    for _ in range(3):
        open_case(cast.csw_a, opened_on=today() - days(40))
    services.reminder_scan()
    assert Reminder.objects.count() == 3
    assert services.reminder_dispatch() == 3
    assert services.reminder_dispatch() == 0
    # A message that went missing is handed out again after a while.
    later = timezone.now() + services.reenqueue_after() + datetime.timedelta(seconds=1)
    assert services.reminder_dispatch(now=later) == 3


def test_messages_are_written_in_the_ward_language_whatever_the_caller_uses(cast, due_referral):
    from django.utils import translation

    with translation.override("en"):
        deliver_all()
    assert "回答期限" in Notification.objects.get(reminder__isnull=False).message


def test_a_worker_whose_claim_is_taken_over_mid_delivery_rolls_back(cast, due_referral):
    from reminders import rules

    ids = list(Reminder.objects.values_list("pk", flat=True))
    services.reminder_claim(ids, token="slow")
    reminder = Reminder.objects.get()  # the slow worker has read its claimed row...
    (candidate,) = rules.referral_unanswered(rules.ScanContext.load())
    # ...then stalls past the time limit; its claim is released and taken by another worker.
    Reminder.objects.update(state=ReminderState.PENDING, claim_token="", claimed_at=None)
    services.reminder_claim(ids, token="fresh")
    before = Notification.objects.count()
    assert services._deliver_one(reminder, candidate, token="slow") == "lost"
    assert Notification.objects.count() == before
    assert services.reminder_deliver_claimed(ids, token="fresh") == {"sent": 1}
    assert Notification.objects.filter(reminder__isnull=False).count() == 1
