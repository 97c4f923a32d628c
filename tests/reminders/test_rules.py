"""Each rule at its boundaries: the day before, on the day, after; a closed case; a
reassigned case. Days count in Asia/Tokyo; `now` moves, the records stay."""

import datetime

from django.utils import timezone

from casework import services as casework_services
from outreach.models import WatchReport
from reminders import services
from reminders.models import AgencyReminderSettings, Rule
from tests.outreach import outreach_helpers as outreach

from .conftest import at, days, found, rows, today

PLAN_DUE = Rule.PLAN_MONITORING_DUE
OVERDUE = Rule.PLAN_MONITORING_OVERDUE


# --- plan monitoring due / overdue ---------------------------------------------------------


def test_plan_due_starts_seven_days_before_the_monitoring_date(cast, plan_due_on):
    day = today() + days(20)
    plan = plan_due_on(day)
    assert found(PLAN_DUE, at(day - days(8))) == set()
    assert found(PLAN_DUE, at(day - days(7), 0, 0)) == {(plan.pk, day - days(7), "csw_a")}
    # Every day until the date it is the same reminder, so scanning adds nothing new.
    assert found(PLAN_DUE, at(day - days(1), 23, 59)) == {(plan.pk, day - days(7), "csw_a")}


def test_plan_due_reminds_again_on_the_day(cast, plan_due_on):
    day = today() + days(20)
    plan = plan_due_on(day)
    assert found(PLAN_DUE, at(day)) == {(plan.pk, day, "csw_a")}
    # Not yet handed to supervisors: the overdue rule waits 14 days.
    assert found(OVERDUE, at(day + days(13))) == set()


def test_plan_overdue_goes_to_the_agency_supervisors_fourteen_days_after(cast, plan_due_on):
    day = today() + days(20)
    plan = plan_due_on(day)
    assert found(OVERDUE, at(day + days(13), 23, 59)) == set()
    assert found(OVERDUE, at(day + days(14), 0, 0)) == {(plan.pk, day + days(14), "supervisor_a")}
    assert found(OVERDUE, at(day + days(30))) == {(plan.pk, day + days(14), "supervisor_a")}
    # Once overdue, the worker's "due" reminder stops: the supervisor has it now.
    assert found(PLAN_DUE, at(day + days(14))) == set()


def test_agency_settings_change_the_days(cast, plan_due_on):
    AgencyReminderSettings.objects.create(
        agency=cast.agency_a, monitoring_due_days=3, monitoring_overdue_days=5
    )
    day = today() + days(20)
    plan = plan_due_on(day)
    assert found(PLAN_DUE, at(day - days(4))) == set()
    assert found(PLAN_DUE, at(day - days(3))) == {(plan.pk, day - days(3), "csw_a")}
    assert found(OVERDUE, at(day + days(4))) == set()
    assert found(OVERDUE, at(day + days(5))) == {(plan.pk, day + days(5), "supervisor_a")}


def test_another_agencys_settings_leave_the_defaults_alone(cast, plan_due_on):
    AgencyReminderSettings.objects.create(agency=cast.agency_b, monitoring_due_days=30)
    day = today() + days(20)
    plan_due_on(day)
    assert found(PLAN_DUE, at(day - days(8))) == set()
    assert len(found(PLAN_DUE, at(day - days(7)))) == 1


def test_plan_monitored_on_or_after_the_date_needs_no_reminder(cast, plan_due_on):
    day = today() - days(20)
    plan = plan_due_on(day)
    assert found(OVERDUE, at(today())) == {(plan.pk, day + days(14), "supervisor_a")}
    casework_services.monitoring_add(
        actor=cast.csw_a, plan=plan, monitored_on=today(), progress="on_track", notes="訪問"
    )
    assert found(OVERDUE, at(today())) == set()
    assert found(PLAN_DUE, at(today())) == set()


def test_closed_case_plan_is_not_reminded(cast, plan_due_on, workflow):
    day = today() + days(3)
    plan = plan_due_on(day)
    workflow.close(plan.case, cast.csw_a)
    assert found(PLAN_DUE, at(day)) == set()
    assert found(OVERDUE, at(day + days(20))) == set()


def test_reassigned_case_reminds_the_new_worker(cast, plan_due_on):
    day = today() + days(3)
    plan = plan_due_on(day)
    casework_services.case_reassign(
        actor=cast.supervisor_a,
        case=plan.case,
        from_worker=cast.csw_a,
        to_worker=cast.consultation_a,
    )
    assert found(PLAN_DUE, at(day)) == {(plan.pk, day, "consultation_a")}


def test_draft_plans_are_not_reminded(cast, open_case, workflow):
    case = open_case(cast.csw_a)
    workflow.screen(case, cast.csw_a)
    workflow.assess(case, cast.csw_a)
    plan = workflow.draft_plan(case, cast.csw_a, next_monitoring_on=today() + days(2))
    assert plan.state == "draft"
    assert found(PLAN_DUE, at(today() + days(2))) == set()
    services.reminder_scan(now=at(today() + days(2)))
    assert rows(rule=PLAN_DUE) == set()


# --- referrals -----------------------------------------------------------------------------


def test_referral_unanswered_on_the_answer_by_date_goes_to_the_receiving_agency(cast, refer):
    answer_by = today() + days(3)
    referral = refer.send(answer_by=answer_by)
    rule = Rule.REFERRAL_UNANSWERED
    assert found(rule, at(answer_by - days(1), 23, 59)) == set()
    assert found(rule, at(answer_by, 0, 0)) == {(referral.pk, answer_by, "supervisor_b")}


def test_referral_unanswered_after_the_date_reminds_daily_and_the_sender_too(cast, refer):
    answer_by = today() + days(3)
    referral = refer.send(answer_by=answer_by)
    rule = Rule.REFERRAL_UNANSWERED
    day1, day2 = answer_by + days(1), answer_by + days(2)
    assert found(rule, at(day1)) == {
        (referral.pk, day1, "supervisor_b"),
        (referral.pk, day1, "csw_a"),
    }
    assert found(rule, at(day2)) == {
        (referral.pk, day2, "supervisor_b"),
        (referral.pk, day2, "csw_a"),
    }


def test_answered_or_withdrawn_referrals_are_not_reminded(cast, refer):
    answer_by = today() + days(1)
    accepted = refer.accept(refer.send(answer_by=answer_by))
    withdrawn = refer.withdraw(refer.send(answer_by=answer_by))
    assert accepted.state == "accepted" and withdrawn.state == "withdrawn"
    assert found(Rule.REFERRAL_UNANSWERED, at(answer_by + days(5))) == set()


def test_referral_to_an_agency_without_supervisors_still_reaches_the_sender(cast, refer):
    cast.supervisor_b.membership.delete()
    answer_by = today() + days(1)
    referral = refer.send(answer_by=answer_by)
    assert found(Rule.REFERRAL_UNANSWERED, at(answer_by)) == set()
    assert found(Rule.REFERRAL_UNANSWERED, at(answer_by + days(1))) == {
        (referral.pk, answer_by + days(1), "csw_a")
    }


# --- outreach visits -----------------------------------------------------------------------


def _tomorrow_at_ten():
    return at(today() + days(1), 10)


def test_visit_tomorrow_is_reminded_the_day_before_only(cast, open_case):
    case = open_case(cast.csw_a)
    visit = outreach.plan(cast.csw_a, case=case, planned_at=_tomorrow_at_ten())
    visit.staff.add(cast.consultation_a)
    rule = Rule.VISIT_TOMORROW
    assert found(rule, at(today() - days(1))) == set()
    assert found(rule, at(today(), 0, 0)) == {
        (visit.pk, today(), "csw_a"),
        (visit.pk, today(), "consultation_a"),
    }
    assert found(rule, at(today() + days(1), 0, 0)) == set()


def test_visit_not_recorded_is_reminded_from_the_day_after(cast, open_case):
    case = open_case(cast.csw_a)
    visit = outreach.plan(cast.csw_a, case=case, planned_at=_tomorrow_at_ten())
    rule = Rule.VISIT_NOT_RECORDED
    visit_day = today() + days(1)
    assert found(rule, at(visit_day, 23, 59)) == set()
    assert found(rule, at(visit_day + days(1), 0, 0)) == {(visit.pk, visit_day + days(1), "csw_a")}
    # Still one reminder a week later: the key's date is the day after the visit.
    assert found(rule, at(visit_day + days(7))) == {(visit.pk, visit_day + days(1), "csw_a")}


def test_recorded_visit_is_not_reminded(cast, open_case):
    case = open_case(cast.csw_a)
    visit = outreach.plan(cast.csw_a, case=case)  # three hours ago
    assert found(Rule.VISIT_NOT_RECORDED, at(today() + days(1)))
    outreach.record(cast.csw_a, visit, "absent")
    assert found(Rule.VISIT_NOT_RECORDED, at(today() + days(1))) == set()


def test_visit_for_a_closed_case_is_not_reminded(cast, open_case, workflow):
    case = open_case(cast.csw_a)
    outreach.plan(cast.csw_a, case=case, planned_at=_tomorrow_at_ten())
    workflow.close(case, cast.csw_a)
    assert found(Rule.VISIT_TOMORROW, at(today())) == set()
    assert found(Rule.VISIT_NOT_RECORDED, at(today() + days(3))) == set()


# --- watch reports -------------------------------------------------------------------------


def _report(actor, urgency: str, hours_ago: float = 0.5):
    received = timezone.now() - datetime.timedelta(hours=hours_ago)
    return outreach.report(actor, urgency=urgency, received_at=received)


def test_untriaged_report_reaches_the_district_supervisors_after_24_hours(cast):
    report = _report(cast.csw_a, "normal")
    received = report.received_at
    rule = Rule.REPORT_UNTRIAGED
    hour = datetime.timedelta(hours=1)
    assert found(rule, received + 24 * hour - datetime.timedelta(seconds=1)) == set()
    due = timezone.localdate(received + 24 * hour)
    # Both test agencies lie in the report's district; the ward-wide planning office does not.
    assert found(rule, received + 24 * hour) == {
        (report.pk, due, "supervisor_a"),
        (report.pk, due, "supervisor_b"),
    }


def test_urgent_report_is_reminded_after_two_hours(cast):
    report = _report(cast.csw_a, "urgent")
    received = report.received_at
    rule = Rule.REPORT_UNTRIAGED
    two = datetime.timedelta(hours=2)
    assert found(rule, received + two - datetime.timedelta(seconds=1)) == set()
    assert {who for _pk, _due, who in found(rule, received + two)} == {
        "supervisor_a",
        "supervisor_b",
    }


def test_report_in_another_district_goes_to_that_districts_supervisors(cast):
    report = _report(cast.csw_a, "normal")
    WatchReport.objects.filter(pk=report.pk).update(district=outreach.district("north"))
    assert found(Rule.REPORT_UNTRIAGED, report.received_at + days(2)) == set()


def test_triaged_report_is_not_reminded(cast):
    from outreach import services as outreach_services

    report = _report(cast.csw_a, "urgent")
    outreach_services.report_assign(actor=cast.supervisor_a, report=report, worker=cast.csw_a)
    assert found(Rule.REPORT_UNTRIAGED, report.received_at + days(2)) == set()


# --- no contact ----------------------------------------------------------------------------


def _contact(case, actor, day: datetime.date):
    # At 10:00, or now if today's 10:00 has not come yet (a contact cannot be in the future).
    when = min(at(day, 10), timezone.now())
    return casework_services.contact_record_add(
        actor=actor, case=case, occurred_at=when, method="phone", minutes=10, summary="電話"
    )


def test_no_contact_after_thirty_days(cast, open_case):
    case = open_case(cast.csw_a, opened_on=today() - days(60))
    last = today() - days(20)
    _contact(case, cast.csw_a, last)
    rule = Rule.NO_CONTACT
    assert found(rule, at(last + days(29), 23, 59)) == set()
    assert found(rule, at(last + days(30), 0, 0)) == {(case.pk, last + days(30), "csw_a")}
    assert found(rule, at(last + days(31))) == {(case.pk, last + days(30), "csw_a")}


def test_no_contact_counts_from_the_opening_day_without_any_contact(cast, open_case):
    opened = today() - days(29)
    case = open_case(cast.csw_a, opened_on=opened)
    assert found(Rule.NO_CONTACT, at(today())) == set()
    assert found(Rule.NO_CONTACT, at(today() + days(1))) == {(case.pk, opened + days(30), "csw_a")}


def test_a_new_contact_moves_the_no_contact_reminder(cast, open_case):
    case = open_case(cast.csw_a, opened_on=today() - days(60))
    _contact(case, cast.csw_a, today() - days(45))
    assert found(Rule.NO_CONTACT, at(today())) == {(case.pk, today() - days(15), "csw_a")}
    _contact(case, cast.csw_a, today())
    assert found(Rule.NO_CONTACT, at(today())) == set()


def test_no_contact_skips_closed_cases_and_follows_reassignment(cast, open_case, workflow):
    quiet = open_case(cast.csw_a, opened_on=today() - days(60))
    closed = open_case(cast.csw_a, opened_on=today() - days(60))
    workflow.close(closed, cast.csw_a, on=today())
    casework_services.case_reassign(
        actor=cast.supervisor_a, case=quiet, from_worker=cast.csw_a, to_worker=cast.consultation_a
    )
    assert {(pk, who) for pk, _due, who in found(Rule.NO_CONTACT, at(today()))} == {
        (quiet.pk, "consultation_a")
    }


def test_no_contact_uses_the_agency_setting(cast, open_case):
    AgencyReminderSettings.objects.create(agency=cast.agency_a, no_contact_days=7)
    case = open_case(cast.csw_a, opened_on=today() - days(7))
    assert found(Rule.NO_CONTACT, at(today())) == {(case.pk, today(), "csw_a")}


# --- the scan as a whole -------------------------------------------------------------------


def test_scanning_twice_creates_nothing_new(cast, plan_due_on, refer, open_case):
    plan_due_on(today())
    refer.send(answer_by=today())
    open_case(cast.csw_a, opened_on=today() - days(40))
    first = services.reminder_scan()
    assert first[PLAN_DUE] == 1
    assert first[Rule.REFERRAL_UNANSWERED] == 1
    assert first[Rule.NO_CONTACT] >= 1
    before = rows()
    second = services.reminder_scan()
    assert set(second.values()) == {0}
    assert rows() == before


def test_scan_issues_the_same_number_of_queries_however_many_records(
    cast, plan_due_on, refer, open_case, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def make(n):
        for _ in range(n):
            plan_due_on(today())
            refer.send(answer_by=today())
            outreach.plan(cast.csw_a, case=open_case(cast.csw_a), planned_at=_tomorrow_at_ten())
            _report(cast.csw_a, "urgent", hours_ago=3)

    def count_scan():
        with CaptureQueriesContext(connection) as queries:
            services.reminder_scan(now=at(today() + days(1), 12))
        return len(queries)

    make(1)
    small = count_scan()
    make(4)
    assert count_scan() == small


# --- midnight, reassigned cases, staff who stop handling cases, old visits -----------------


def test_a_visit_reminder_scanned_before_midnight_is_delivered_after_it(cast, open_case):
    from reminders.models import Reminder

    from .conftest import deliver_all

    case = open_case(cast.csw_a)
    visit = outreach.plan(cast.csw_a, case=case, planned_at=at(today(), 10))
    yesterday = today() - days(1)
    services.reminder_scan(now=at(yesterday, 23, 55))
    # Delivered today: the visit is now "today", but the reminder is checked as of its scan.
    assert Reminder.objects.filter(rule=Rule.VISIT_TOMORROW).count() == 1
    deliver_all()
    assert rows(rule=Rule.VISIT_TOMORROW) == {
        (Rule.VISIT_TOMORROW, visit.pk, yesterday, "csw_a", "sent")
    }


def test_referral_sending_side_is_whoever_now_works_the_case(cast, refer):
    answer_by = today() + days(1)
    referral = refer.send(answer_by=answer_by)
    casework_services.case_reassign(
        actor=cast.supervisor_a,
        case=referral.case,
        from_worker=cast.csw_a,
        to_worker=cast.consultation_a,
    )
    day = answer_by + days(1)
    assert found(Rule.REFERRAL_UNANSWERED, at(day)) == {
        (referral.pk, day, "supervisor_b"),
        (referral.pk, day, "consultation_a"),
    }


def test_inactive_staff_are_not_reminded(cast, refer, open_case):
    cast.supervisor_b.is_active = False
    cast.supervisor_b.save()
    answer_by = today() + days(1)
    refer.send(answer_by=answer_by)
    assert found(Rule.REFERRAL_UNANSWERED, at(answer_by)) == set()


def test_a_worker_who_no_longer_handles_cases_is_not_reminded(cast, open_case):
    open_case(cast.csw_a, opened_on=today() - days(60))
    assert found(Rule.NO_CONTACT, at(today()))
    membership = cast.csw_a.membership
    membership.role = "indicator_officer"
    membership.save()
    assert found(Rule.NO_CONTACT, at(today())) == set()


def test_visits_unrecorded_for_over_sixty_days_are_left_to_the_caseload_review(cast, open_case):
    case = open_case(cast.csw_a)
    visit = outreach.plan(cast.csw_a, case=case)
    planned_day = timezone.localdate(visit.planned_at)
    assert found(Rule.VISIT_NOT_RECORDED, at(planned_day + days(60)))
    assert found(Rule.VISIT_NOT_RECORDED, at(planned_day + days(61))) == set()
