"""Triage of a watch report (見守りネットワーク): assigning it, linking it to a case or a
person, opening a case from it, closing it as no concern; a reporter is never shown the
case, and a handled report refuses every action."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from casework.models import Case, Person
from outreach import services
from outreach.models import ReportState
from tests.outreach.outreach_helpers import person, pks, queue, report

# --- triage outcomes -------------------------------------------------------------------------


def test_assign_to_a_worker_of_the_own_agency(client, cast):
    saved = report(cast.csw_a)
    services.report_assign(actor=cast.csw_a, report=saved, worker=cast.consultation_a)
    saved.refresh_from_db()
    assert (saved.state, saved.assigned_to) == (ReportState.ASSIGNED, cast.consultation_a)
    # reassigning an assigned (still open) report is allowed
    client.force_login(cast.supervisor_a)
    response = client.post(
        reverse("outreach:report_assign", kwargs={"pk": saved.pk}), {"worker": cast.csw_a.pk}
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.assigned_to == cast.csw_a


@pytest.mark.parametrize("worker", ["csw_b", "admin_a", "indicator_officer"])
def test_assign_to_someone_else_is_refused(cast, worker):
    saved = report(cast.csw_a)
    with pytest.raises(ValidationError) as refused:
        services.report_assign(actor=cast.csw_a, report=saved, worker=getattr(cast, worker))
    assert "worker" in refused.value.message_dict
    saved.refresh_from_db()
    assert (saved.state, saved.assigned_to) == (ReportState.NEW, None)


def test_assign_page_offers_only_own_agency_workers(client, cast):
    saved = report(cast.csw_a)
    client.force_login(cast.csw_a)
    response = client.post(
        reverse("outreach:report_assign", kwargs={"pk": saved.pk}), {"worker": cast.csw_b.pk}
    )
    assert response.status_code == 400
    assert "worker" in response.context["form"].errors
    saved.refresh_from_db()
    assert saved.assigned_to is None


def test_link_to_a_readable_case_then_the_report_follows_the_case(client, cast, case_a):
    saved = report(cast.csw_a)
    # before linking, every case worker of the district sees it
    for member in ("consultation_a", "csw_b", "consultation_b"):
        client.force_login(getattr(cast, member))
        assert client.get(saved.get_absolute_url()).status_code == 200
    client.force_login(cast.csw_a)
    response = client.post(
        reverse("outreach:report_link", kwargs={"pk": saved.pk}),
        {"step": "link", "target": f"case:{case_a.pk}"},
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.state, saved.case, saved.person) == (ReportState.LINKED, case_a, case_a.person)
    for member in ("csw_a", "supervisor_a", "consultation_b"):  # may read case_a
        client.force_login(getattr(cast, member))
        assert client.get(saved.get_absolute_url()).status_code == 200
    for member in ("consultation_a", "csw_b", "supervisor_b"):  # district staff, not the case
        client.force_login(getattr(cast, member))
        assert client.get(saved.get_absolute_url()).status_code == 404
        assert saved.pk not in pks(queue(client, getattr(cast, member), all="1"))


def test_report_page_shows_no_case_data_to_those_who_cannot_see_the_case(client, cast, case_a):
    saved = report(cast.csw_a, subject_name="")
    services.report_link(actor=cast.csw_a, report=saved, case=case_a)
    name = f"{case_a.person.family_name} {case_a.person.given_name}"
    client.force_login(cast.csw_a)
    assert case_a.get_absolute_url() in client.get(saved.get_absolute_url()).content.decode()
    client.force_login(cast.csw_b)
    response = client.get(saved.get_absolute_url())
    assert response.status_code == 404
    body = response.content.decode()
    assert case_a.get_absolute_url() not in body and name not in body
    queue = client.get(reverse("outreach:reports"), {"all": "1"}).content.decode()
    assert case_a.get_absolute_url() not in queue and case_a.person.family_name not in queue


def test_link_to_a_case_the_actor_cannot_see_is_refused(client, cast, open_case):
    case_b = open_case(cast.csw_b, family_name="高橋")
    saved = report(cast.csw_a)
    with pytest.raises(PermissionDenied):
        services.report_link(actor=cast.csw_a, report=saved, case=case_b)
    client.force_login(cast.csw_a)
    response = client.post(
        reverse("outreach:report_link", kwargs={"pk": saved.pk}),
        {"step": "link", "target": f"case:{case_b.pk}"},
    )
    assert response.status_code == 400
    assert "target" in response.context["form"].errors
    saved.refresh_from_db()
    assert (saved.state, saved.case, saved.person) == (ReportState.NEW, None, None)


def test_link_to_a_person(client, cast):
    subject = person(cast.csw_a)
    saved = report(cast.csw_a)
    client.force_login(cast.csw_a)
    response = client.post(
        reverse("outreach:report_link", kwargs={"pk": saved.pk}),
        {"step": "link", "target": f"person:{subject.pk}"},
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.state, saved.person, saved.case) == (ReportState.LINKED, subject, None)
    # the report follows the person: agency B cannot see agency A's registration
    client.force_login(cast.csw_b)
    assert client.get(saved.get_absolute_url()).status_code == 404


def test_link_to_a_person_of_another_agency_is_refused(cast):
    other = person(cast.csw_b, family_name="別機関")
    saved = report(cast.csw_a)
    with pytest.raises(PermissionDenied):
        services.report_link(actor=cast.csw_a, report=saved, person=other)
    with pytest.raises(ValidationError):
        services.report_link(actor=cast.csw_a, report=saved)
    saved.refresh_from_db()
    assert saved.state == ReportState.NEW


def test_open_a_new_case_from_the_report(cast):
    saved = report(cast.csw_a)
    persons_before = Person.objects.count()
    services.report_open_case(
        actor=cast.csw_a,
        report=saved,
        person_fields={
            "family_name": "鈴木",
            "given_name": "一郎",
            "family_name_kana": "すずき",
            "address": saved.address,
            "district": saved.district,
        },
        intake_fields={
            "received_on": timezone.localdate(),
            "main_concern": "income",
            "chief_complaint": saved.noticed,
        },
    )
    saved.refresh_from_db()
    assert saved.state == ReportState.CASE_OPENED
    assert Person.objects.count() == persons_before + 1
    case = saved.case
    assert case.person == saved.person and case.person.family_name == "鈴木"
    assert case.intake.route == "watch_network"
    assert case.owning_agency == cast.agency_a
    assert saved.assigned_to == cast.csw_a


def test_open_a_new_case_through_the_page(client, cast):
    saved = report(cast.csw_a)
    client.force_login(cast.csw_a)
    url = reverse("outreach:report_open_case", kwargs={"pk": saved.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["person_form"].initial["family_name"] == "鈴木"
    response = client.post(
        url,
        {
            "person-family_name": "鈴木",
            "person-given_name": "一郎",
            "person-family_name_kana": "すずき",
            "person-sex": "male",
            "person-district": saved.district_id,
            "case-opened_on": timezone.localdate().isoformat(),
            "case-came_in_person": "1",
            "case-main_concern": "income",
            "case-chief_complaint": "新聞がたまっている",
            "case-consent_status": "pending",
        },
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.state == ReportState.CASE_OPENED
    assert response["Location"] == saved.case.get_absolute_url()
    assert saved.case.intake.route == "watch_network"


def test_close_as_no_concern_needs_a_reason(client, cast):
    saved = report(cast.csw_a)
    for reason in ("", "   "):
        with pytest.raises(ValidationError):
            services.report_close(actor=cast.csw_a, report=saved, reason=reason)
    client.force_login(cast.csw_a)
    url = reverse("outreach:report_close", kwargs={"pk": saved.pk})
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    saved.refresh_from_db()
    assert saved.state == ReportState.NEW
    assert client.post(url, {"reason": " 家族が同居していた "}).status_code == 302
    saved.refresh_from_db()
    assert saved.state == ReportState.CLOSED
    assert (saved.close_reason, saved.closed_by) == ("家族が同居していた", cast.csw_a)
    assert saved.closed_at is not None
    assert saved.pk not in pks(queue(client, cast.csw_a))


def _handle(cast, outcome, saved, case):
    if outcome == "closed":
        services.report_close(actor=cast.csw_a, report=saved, reason="問題なし")
    elif outcome == "linked":
        services.report_link(actor=cast.csw_a, report=saved, case=case)
    else:
        services.report_open_case(
            actor=cast.csw_a,
            report=saved,
            person_fields={"family_name": "鈴木", "family_name_kana": "すずき"},
            intake_fields={
                "received_on": timezone.localdate(),
                "main_concern": "income",
                "chief_complaint": "見守り通報",
            },
        )


@pytest.mark.parametrize("outcome", ["closed", "linked", "case_opened"])
def test_every_action_on_a_handled_report_is_refused(client, cast, case_a, outcome):
    saved = report(cast.csw_a)
    _handle(cast, outcome, saved, case_a)
    saved.refresh_from_db()
    before = (saved.state, saved.case_id, saved.person_id, saved.assigned_to_id)
    cases = Case.objects.count()
    actions = [
        lambda: services.report_assign(actor=cast.csw_a, report=saved, worker=cast.csw_a),
        lambda: services.report_link(actor=cast.csw_a, report=saved, case=case_a),
        lambda: services.report_link(actor=cast.csw_a, report=saved, person=person(cast.csw_a)),
        lambda: services.report_close(actor=cast.csw_a, report=saved, reason="再度"),
        lambda: services.report_open_case(
            actor=cast.csw_a,
            report=saved,
            person_fields={"family_name": "別人", "family_name_kana": "べつじん"},
            intake_fields={
                "received_on": timezone.localdate(),
                "main_concern": "income",
                "chief_complaint": "x",
            },
        ),
    ]
    for action in actions:
        with pytest.raises(ValidationError):
            action()
    saved.refresh_from_db()
    assert (saved.state, saved.case_id, saved.person_id, saved.assigned_to_id) == before
    assert Case.objects.count() == cases
    # the pages no longer offer the actions and refuse them
    client.force_login(cast.csw_a)
    assert "担当者を決める" not in client.get(saved.get_absolute_url()).content.decode()
    response = client.post(
        reverse("outreach:report_close", kwargs={"pk": saved.pk}), {"reason": "再度"}
    )
    assert response.status_code == 400 and response.context["form"].errors
    saved.refresh_from_db()
    assert saved.state == before[0]
