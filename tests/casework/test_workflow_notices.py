"""The bell tells of the workflow's hand-offs; opening a notice marks it read."""

import datetime

from django.urls import reverse
from django.utils import timezone

from casework import selectors, services
from casework.models import Notification
from reminders import services as reminder_services
from reminders.models import Reminder


def _messages(user):
    return list(Notification.objects.filter(recipient=user).values_list("message", flat=True))


def test_plan_submitted_returned_and_approved_tell_the_right_people(cast, case_a, workflow):
    workflow.screen(case_a, cast.csw_a)
    workflow.assess(case_a, cast.csw_a)
    plan = workflow.draft_plan(case_a, cast.csw_a)
    services.plan_submit(actor=cast.csw_a, plan=plan)
    [submitted] = _messages(cast.supervisor_a)
    assert case_a.number in submitted and "提出されました" in submitted
    assert case_a.person.family_name not in submitted  # the case by number, never the name
    assert _messages(cast.csw_a) == [] and _messages(cast.supervisor_b) == []
    services.plan_return(actor=cast.supervisor_a, plan=plan, note="目標を具体的に")
    [returned] = _messages(cast.csw_a)
    assert "差し戻されました" in returned and "目標を具体的に" in returned
    services.plan_submit(actor=cast.csw_a, plan=plan)
    services.plan_approve(actor=cast.supervisor_a, plan=plan)
    assert any("承認されました" in m for m in _messages(cast.csw_a))
    # Nobody is told of what they did themselves.
    assert not any("承認されました" in m for m in _messages(cast.supervisor_a))


def test_closure_requested_and_decided_tell_the_supervisor_then_the_worker(cast, case_a):
    request = services.closure_request_submit(
        actor=cast.csw_a, case=case_a, reason="goal_achieved", closing_on=timezone.localdate()
    )
    [asked] = _messages(cast.supervisor_a)
    assert "終結が申請されました" in asked
    note = Notification.objects.get(recipient=cast.supervisor_a)
    assert note.url == reverse("casework:closure_decide", kwargs={"pk": request.pk})
    services.closure_decide(actor=cast.supervisor_a, request=request, approve=False, note="継続")
    [decided] = _messages(cast.csw_a)
    assert "差し戻されました" in decided and "継続" in decided


def test_opening_a_notice_marks_it_read_and_leads_on(client, cast):
    services.notification_send(recipients=[cast.csw_a], message="確認", url="/cases/")
    notice = Notification.objects.get(recipient=cast.csw_a)
    client.force_login(cast.csw_a)
    page = client.get(reverse("casework:notifications")).content.decode()
    opener = reverse("casework:notification_open", kwargs={"pk": notice.pk})
    assert opener in page
    response = client.get(opener)
    assert response.status_code == 302 and response.url == "/cases/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    # Another's notice: not theirs to know.
    client.force_login(cast.csw_b)
    assert client.get(opener).status_code == 404


def test_a_resolved_reminder_leaves_the_unread_count(cast, case_a, workflow):
    workflow.screen(case_a, cast.csw_a)
    workflow.assess(case_a, cast.csw_a)
    plan = workflow.approved_plan(case_a, cast.csw_a)
    plan.next_monitoring_on = timezone.localdate()
    plan.save(update_fields=["next_monitoring_on"])
    reminder_services.reminder_scan()
    reminder_services.reminder_deliver(Reminder.objects.values_list("pk", flat=True))
    reminder = Reminder.objects.get(rule="plan_due", recipient=cast.csw_a)
    notice = reminder.notification
    assert notice.read_at is None
    assert reminder_services.reminder_resolve() == 0  # still due: stays unread
    unread = selectors.unread_notification_count(cast.csw_a)
    services.monitoring_add(
        actor=cast.csw_a,
        plan=plan,
        monitored_on=timezone.localdate(),
        progress="on_track",
        notes="順調",
        next_monitoring_on=timezone.localdate() + datetime.timedelta(days=90),
    )
    assert reminder_services.reminder_resolve() == 1
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert selectors.unread_notification_count(cast.csw_a) == unread - 1


def test_a_notice_never_leads_off_the_site(client, cast):
    services.notification_send(recipients=[cast.csw_a], message="x", url="/\\\\evil.example/")
    notice = Notification.objects.get(recipient=cast.csw_a)
    client.force_login(cast.csw_a)
    response = client.get(reverse("casework:notification_open", kwargs={"pk": notice.pk}))
    assert response.url == reverse("casework:notifications")
