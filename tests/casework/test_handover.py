"""Handover: cases nobody works show in 担当者なし; a worker's cases move in one step."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from casework import selectors, services
from casework.models import CaseAssignment, Notification, Role
from tests.factories import StaffFactory


def test_a_deactivated_or_moved_workers_cases_show_as_unassigned(client, cast, open_case):
    kept = open_case(cast.csw_a)
    left = open_case(cast.consultation_a)
    assert list(selectors.unassigned_cases(cast.supervisor_a)) == []
    cast.consultation_a.is_active = False
    cast.consultation_a.save()
    assert list(selectors.unassigned_cases(cast.supervisor_a)) == [left]
    client.force_login(cast.supervisor_a)
    page = client.get(reverse("casework:caseload")).content.decode()
    unassigned = page.split('class="unassigned"')[1].split("</tr>")[0]
    assert "担当者なし" in unassigned and ">1<" in unassigned
    listing = client.get(reverse("casework:caseload_unassigned")).content.decode()
    assert left.number in listing and kept.number not in listing
    assign = reverse("casework:case_reassign", kwargs={"pk": left.pk})
    assert assign in listing
    # Assigned from there: the case leaves the list, the worker can open it.
    response = client.post(assign, {"from_worker": "", "to_worker": cast.csw_a.pk})
    assert response.status_code == 302
    assert list(selectors.unassigned_cases(cast.supervisor_a)) == []
    client.force_login(cast.csw_a)
    assert client.get(reverse("casework:case_detail", kwargs={"pk": left.pk})).status_code == 200


def test_a_role_change_ends_assignments_and_the_case_needs_a_worker(cast, open_case):
    case = open_case(cast.consultation_a)
    previous = (cast.consultation_a.membership.agency_id, cast.consultation_a.membership.role)
    cast.consultation_a.membership.role = Role.AGENCY_ADMIN
    cast.consultation_a.membership.save()
    moved = User.objects.get(pk=cast.consultation_a.pk)  # as the admin page loads them
    services.staff_membership_revoke_grants(actor=cast.admin_a, user=moved, previous=previous)
    assert list(selectors.unassigned_cases(cast.supervisor_a)) == [case]


def test_bulk_handover_moves_chosen_cases_to_several_workers(client, cast, open_case):
    leaving = StaffFactory(username="csw_leaving", agency=cast.agency_a, role=Role.CSW)
    cases = [open_case(leaving) for _ in range(3)]
    client.force_login(cast.supervisor_a)
    url = reverse("casework:caseload_handover", kwargs={"pk": leaving.pk})
    page = client.get(url).content.decode()
    assert all(c.number in page for c in cases)
    # Nothing chosen: refused, nothing moves.
    assert client.post(url, {"all_to": ""}).status_code == 400
    response = client.post(
        url,
        {
            "all_to": cast.csw_a.pk,
            f"to_{cases[2].pk}": cast.consultation_a.pk,
        },
    )
    assert response.status_code == 302
    workers = {
        c.pk: set(
            CaseAssignment.objects.filter(case=c, ended_at__isnull=True).values_list(
                "worker__username", flat=True
            )
        )
        for c in cases
    }
    assert workers == {
        cases[0].pk: {"csw_a"},
        cases[1].pk: {"csw_a"},
        cases[2].pk: {"consultation_a"},
    }
    # Grants moved: the one who left has no access any more; the new workers are told.
    client.force_login(leaving)
    assert (
        client.get(reverse("casework:case_detail", kwargs={"pk": cases[0].pk})).status_code == 404
    )
    told = {
        n.recipient.username: n.message
        for n in Notification.objects.filter(message__contains="引き継ぎました")
    }
    assert "2件" in told["csw_a"] and "1件" in told["consultation_a"]


def test_a_handover_is_all_or_nothing(cast, open_case):
    leaving = StaffFactory(username="csw_leaving", agency=cast.agency_a, role=Role.CSW)
    first, second = open_case(leaving), open_case(leaving)
    # The second case already has csw_a: moving it to csw_a again is refused.
    services.case_assign(actor=cast.supervisor_a, case=second, worker=cast.csw_a)
    with pytest.raises(services.Refusal, match=second.number):
        services.case_handover(
            actor=cast.supervisor_a,
            from_worker=leaving,
            moves=[(first, cast.csw_a), (second, cast.csw_a)],
        )
    assert CaseAssignment.objects.filter(case=first, worker=leaving, ended_at__isnull=True).exists()
    with pytest.raises(services.Refusal):
        services.case_handover(actor=cast.supervisor_b, from_worker=leaving, moves=[])


def test_my_cases_shows_open_cases_and_closed_ones_under_their_tab(
    client, cast, open_case, workflow
):
    open_one = open_case(cast.csw_a)
    closed_one = open_case(cast.csw_a)
    workflow.close(closed_one, cast.csw_a)
    client.force_login(cast.csw_a)
    url = reverse("casework:my_cases")
    assert list(client.get(url).context["page"]) == [open_one]
    assert list(client.get(url, {"closed": "1"}).context["page"]) == [closed_one]
    page = client.get(url).content.decode()
    assert "?scope=assigned&amp;closed=1" in page
