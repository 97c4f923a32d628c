"""Who may place and change a confidential mark, and what follows a hidden address: a
colleague who only reads a case cannot hide its person's address from those who work it; a
mark whose named members can no longer change it falls to the agency's supervisors; a
newcomer to a household whose address is hidden is hidden too; two placements at once
leave one mark and a message."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from casework import access, services
from casework.models import ConfidentialMark, Person

ADDRESS = "目黒区秘匿町九丁目9番9号"


@pytest.fixture
def person(case_a):
    Person.objects.filter(pk=case_a.person_id).update(address=ADDRESS)
    case_a.person.refresh_from_db()
    return case_a.person


def test_a_reader_of_the_case_cannot_hide_the_address_from_its_workers(
    client, cast, case_a, person
):
    services.case_share(actor=cast.csw_a, case=case_a, user=cast.consultation_a)
    assert access.VIEW in access.case_permissions(cast.consultation_a, case_a)
    assert not access.may_mark_address(cast.consultation_a, person)
    with pytest.raises(PermissionDenied):
        services.mark_place(actor=cast.consultation_a, person=person, kind="address", reason="DV")
    client.force_login(cast.consultation_a)
    url = reverse("casework:confidential_new", args=[person.pk])
    assert client.post(url, {"kind": "address", "reason": "DV"}).status_code == 403
    assert not ConfidentialMark.objects.exists()
    # Who works the case, and the agency's supervisor, may.
    assert access.may_mark_address(cast.csw_a, person)
    assert access.may_mark_address(cast.supervisor_a, person)


def test_a_mark_nobody_named_can_change_falls_to_the_supervisors(cast, case_a, person):
    services.case_share(actor=cast.csw_a, case=case_a, user=cast.consultation_a)
    mark = services.mark_place(
        actor=cast.csw_a,
        person=person,
        kind="address",
        reason="DV",
        staff=[cast.csw_a, cast.consultation_a],
    )[0]
    # consultation_a is named but neither placed it nor supervises: may not change it.
    assert not access.may_manage_mark(cast.consultation_a, mark)
    assert not access.may_manage_mark(cast.supervisor_a, mark)
    # The placer cannot remove themselves: nobody named could change the mark then.
    with pytest.raises(ValidationError) as refused:
        services.mark_staff_remove(actor=cast.csw_a, mark=mark, user=cast.csw_a)
    assert "外せません" in str(refused.value)
    cast.csw_a.is_active = False
    cast.csw_a.save()
    assert access.may_manage_mark(cast.supervisor_a, mark)
    assert not access.may_manage_mark(cast.consultation_a, mark)
    services.mark_lift(actor=cast.supervisor_a, mark=mark, reason="担当者の退職")
    person.refresh_from_db()
    assert not person.address_confidential


def test_a_placer_who_moved_agency_no_longer_changes_the_mark(cast, person):
    mark = services.mark_place(actor=cast.csw_a, person=person, kind="address", reason="DV")[0]
    assert access.may_manage_mark(cast.csw_a, mark)
    membership = cast.csw_a.membership
    membership.agency = cast.agency_b
    membership.save()
    cast.csw_a.refresh_from_db()
    assert not access.may_manage_mark(cast.csw_a, mark)
    assert access.may_manage_mark(cast.supervisor_a, mark)


def test_a_newcomer_to_a_hidden_household_is_hidden_too(client, cast, person):
    mark = services.mark_place(actor=cast.csw_a, person=person, kind="address", reason="DV")[0]
    services.household_member_add(
        actor=cast.csw_a,
        person=person,
        person_relation="head",
        new_member={"family_name": "世帯", "family_name_kana": "せたい", "address": ADDRESS},
        member_relation="child",
    )
    child = Person.objects.get(family_name="世帯")
    assert child.address_confidential
    copied = ConfidentialMark.objects.get(person=child, lifted_at__isnull=True)
    assert (copied.kind, copied.reason) == ("address", mark.reason)
    assert set(copied.staff.all()) == set(mark.staff.all())
    client.force_login(cast.supervisor_a)
    page = client.get(reverse("casework:person_detail", args=[child.pk])).content.decode()
    assert ADDRESS not in page
    # The form to add another member is not filled in with the hidden address.
    client.force_login(cast.csw_a)
    form = client.get(reverse("casework:household_add", args=[person.pk])).content.decode()
    assert ADDRESS not in form


def test_a_second_placement_is_refused_with_a_message(cast, person):
    services.mark_place(actor=cast.csw_a, person=person, kind="address", reason="DV")
    with pytest.raises(ValidationError) as refused:
        services.mark_place(actor=cast.supervisor_a, person=person, kind="address", reason="DV")
    assert "すでに指定されています" in str(refused.value)
    assert ConfidentialMark.objects.filter(person=person).count() == 1


def test_a_package_assembled_after_the_marks_holds_none_of_it(cast, case_a, person):
    import json

    from outreach import services as outreach_services
    from rights import services as rights_services

    words = "虐待について打ち明けられた内容"
    services.contact_record_add(
        actor=cast.csw_a,
        case=case_a,
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
        method="phone",
        minutes=10,
        summary=words,
    )
    report = outreach_services.report_receive(
        actor=cast.csw_a,
        reporter_kind="neighbour",
        reporter_name="近所の方",
        received_at=timezone.now() - datetime.timedelta(days=1),
        address=ADDRESS,
        district=cast.agency_a.district,
        noticed="夜に大きな声がする",
        urgency="normal",
    )
    outreach_services.report_link(actor=cast.csw_a, report=report, case=case_a)
    services.mark_place(actor=cast.csw_a, person=person, kind="address", reason="DV")
    services.mark_place(actor=cast.csw_a, person=person, kind="records", case=case_a, reason="虐待")
    request = rights_services.request_register(
        actor=cast.csw_a,
        person=person,
        kind="disclosure",
        received_on=timezone.localdate(),
        requester="本人",
        content="保有個人情報の全部",
    )
    request = rights_services.package_assemble(actor=cast.supervisor_a, request=request)
    text = json.dumps(request.package, ensure_ascii=False)
    assert ADDRESS not in text and words not in text
    assert text.count("秘匿の指定があるため載せていません。") >= 4  # 住所, 電話番号, 場所, 内容


def test_a_hidden_person_joining_a_household_hides_everyone_there(cast, open_case, person):
    mark = services.mark_place(actor=cast.csw_a, person=person, kind="address", reason="DV")[0]
    other = open_case(cast.csw_a, family_name="受入先", family_name_kana="うけいれさき").person
    services.household_member_add(
        actor=cast.csw_a,
        person=other,
        person_relation="head",
        new_member={"family_name": "同居", "family_name_kana": "どうきょ"},
        member_relation="child",
    )
    child = Person.objects.get(family_name="同居")
    assert not other.address_confidential
    # The marked person moves in with them: their addresses are the hidden one now.
    services.household_member_add(
        actor=cast.supervisor_a,
        person=other,
        person_relation="head",
        member=person,
        member_relation="other",
    )
    for someone in (other, child):
        someone.refresh_from_db()
        assert someone.address_confidential
        copied = ConfidentialMark.objects.get(person=someone, lifted_at__isnull=True)
        # The mark's placer stays its placer; the join is the change's actor.
        assert copied.placed_by == cast.csw_a and copied.agency == mark.agency
        assert copied.changes.get().actor == cast.supervisor_a
        assert set(copied.staff.all()) == {cast.csw_a}


def test_address_chosen_with_a_case_is_an_address_mark(client, cast, case_a, person):
    from casework.models import District

    central = District.objects.get(code="central")
    Person.objects.filter(pk=person.pk).update(district=central)
    client.force_login(cast.csw_a)
    url = reverse("casework:confidential_new", args=[person.pk])
    response = client.post(url, {"kind": "address", "case": case_a.pk, "reason": "DV"})
    assert response.status_code == 302
    mark = ConfidentialMark.objects.get(person=person)
    assert (mark.kind, mark.case) == ("address", None)
    # The district stays in sight of those not named.
    client.force_login(cast.supervisor_a)
    page = client.get(reverse("casework:case_detail", args=[case_a.pk])).content.decode()
    assert f"({central})" in page
    assert ADDRESS not in page


def test_a_placer_who_left_case_work_hands_the_mark_to_the_supervisors(cast, person):
    mark = services.mark_place(actor=cast.csw_a, person=person, kind="address", reason="DV")[0]
    membership = cast.csw_a.membership
    membership.role = "agency_admin"
    membership.save()
    cast.csw_a.refresh_from_db()
    assert access.may_manage_mark(cast.supervisor_a, mark)
