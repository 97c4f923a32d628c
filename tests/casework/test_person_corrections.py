"""Correcting a person's details and their household, with the history on the person page."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from casework import selectors, services
from casework.models import District, HouseholdMember, Person


def _values(person, **changes):
    values = {field: getattr(person, field) for field in Person.CORRECTABLE}
    values.update(changes)
    return values


def _post_values(person, **changes):
    data = {}
    for field, value in _values(person, **changes).items():
        if isinstance(value, District):
            value = value.pk
        data[field] = "" if value is None else str(value)
    return data


def test_a_correction_keeps_who_when_why_and_the_old_value(cast, case_a):
    person = case_a.person
    north = District.objects.get(code="north")
    corrected = services.person_correct(
        actor=cast.csw_a,
        person=person,
        version=person.version,
        reason="婚姻による改姓の申出",
        **_values(person, family_name="鈴木", family_name_kana="すずき", district=north),
    )
    assert corrected.version == 2
    person.refresh_from_db()
    assert (person.family_name, person.district) == ("鈴木", north)
    [change] = selectors.person_corrections(person)
    assert change["by"] == cast.csw_a
    assert change["reason"] == "婚姻による改姓の申出"
    assert ("姓", "佐藤", "鈴木") in change["fields"]
    assert ("姓(ふりがな)", "さとう", "すずき") in change["fields"]
    assert ("地区", "—", str(north)) in change["fields"]
    # The search key follows at once: the new name finds the person, the old one does not.
    assert list(selectors.person_search(cast.csw_a, query="鈴木", birth_date=None)) == [person]
    assert person not in selectors.person_search(cast.csw_a, query="佐藤", birth_date=None)


def test_a_correction_needs_a_reason_and_a_change(cast, case_a):
    person = case_a.person
    with pytest.raises(services.Refusal) as refused:
        services.person_correct(
            actor=cast.csw_a,
            person=person,
            version=1,
            reason="  ",
            **_values(person, phone="03-1111-2222"),
        )
    assert "reason" in refused.value.error_dict
    with pytest.raises(services.Refusal, match="変更された項目がありません"):
        services.person_correct(
            actor=cast.csw_a, person=person, version=1, reason="確認", **_values(person)
        )
    person.refresh_from_db()
    assert (person.version, person.phone) == (1, "")


def test_only_who_may_work_the_case_corrects(cast, case_a):
    person = case_a.person
    for outsider in (cast.consultation_b, cast.csw_b, cast.admin_a, cast.indicator_officer):
        with pytest.raises(PermissionDenied):
            services.person_correct(
                actor=outsider,
                person=person,
                version=1,
                reason="x",
                **_values(person, phone="03-0000-0000"),
            )
    person.refresh_from_db()
    assert person.phone == "" and person.version == 1
    services.person_correct(
        actor=cast.supervisor_a,
        person=person,
        version=1,
        reason="電話番号の変更",
        **_values(person, phone="03-0000-0000"),
    )


def test_a_stale_form_is_refused_and_keeps_what_was_typed(client, cast, case_a):
    """Two people correct the same person: the second save, over the first, is refused, the
    form keeps what they typed and shows what changed meanwhile."""
    person = case_a.person
    url = reverse("casework:person_correct", kwargs={"pk": person.pk})
    services.person_correct(
        actor=cast.supervisor_a,
        person=person,
        version=1,
        reason="転居",
        **_values(person, address="目黒区中町一丁目"),
    )
    client.force_login(cast.csw_a)
    response = client.post(
        url, {**_post_values(person, phone="03-3333-4444"), "version": "1", "reason": "電話"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "他の職員が変更しました" in page
    assert "目黒区中町一丁目" in page  # what changed meanwhile
    assert 'value="03-3333-4444"' in page  # what they typed
    person.refresh_from_db()
    assert (person.version, person.phone) == (2, "")
    # Saving again, after a look, goes through (the form now carries version 2).
    assert 'name="version" value="2"' in page
    response = client.post(
        url,
        {
            **_post_values(person, address="目黒区中町一丁目", phone="03-3333-4444"),
            "version": "2",
            "reason": "電話",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.version, person.phone) == (3, "03-3333-4444")


def test_the_person_page_offers_the_correction_and_shows_its_history(client, cast, case_a):
    person = case_a.person
    client.force_login(cast.csw_a)
    url = reverse("casework:person_correct", kwargs={"pk": person.pk})
    page = client.get(url).content.decode()
    assert 'value="佐藤"' in page and 'name="reason"' in page
    response = client.post(
        url,
        {**_post_values(person, given_name="華子"), "version": "1", "reason": "入力の誤り"},
    )
    assert response.status_code == 302
    detail = client.get(reverse("casework:person_detail", kwargs={"pk": person.pk}))
    text = detail.content.decode()
    assert "本人の情報を訂正しました" in text
    assert "訂正の履歴" in text and "入力の誤り" in text
    assert "<td>花子</td><td>華子</td>" in text
    # Bad input changes nothing and is shown next to the field.
    response = client.post(
        url, {**_post_values(person, given_name="x", birth_date="2999-01-01"), "version": "2"}
    )
    assert response.status_code == 400
    assert "reason_error" in response.content.decode()
    person.refresh_from_db()
    assert person.given_name == "華子"


def _household(cast, case_a):
    return services.household_member_add(
        actor=cast.csw_a,
        person=case_a.person,
        person_relation="head",
        new_member={"family_name": "佐藤", "given_name": "一郎", "family_name_kana": "さとう"},
        member_relation="child",
    )


def test_a_member_moves_out_and_the_household_keeps_the_past(client, cast, case_a):
    household = _household(cast, case_a)
    child = household.members.get(relation="child")
    services.household_member_leave(
        actor=cast.csw_a,
        member=child,
        reason="moved_out",
        left_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    assert list(HouseholdMember.objects.current().filter(household=household)) == [
        case_a.person.household_member.get()
    ]
    client.force_login(cast.csw_a)
    page = client.get(reverse("casework:person_detail", kwargs={"pk": case_a.person.pk}))
    text = page.content.decode()
    assert "以前の世帯員" in text and "佐藤 一郎" in text and "転出" in text
    # The one who left may join a household again.
    services.household_member_add(
        actor=cast.csw_a,
        person=child.person,
        person_relation="head",
        new_member={"family_name": "田中", "family_name_kana": "たなか"},
        member_relation="spouse",
    )
    assert HouseholdMember.objects.current().filter(person=child.person).count() == 1


def test_a_death_is_kept_on_the_person_with_its_date(cast, case_a):
    household = _household(cast, case_a)
    head = household.members.get(relation="head")
    died = timezone.localdate() - datetime.timedelta(days=1)
    services.household_member_leave(actor=cast.csw_a, member=head, reason="died", left_on=died)
    head.person.refresh_from_db()
    assert head.person.died_on == died
    [change] = selectors.person_corrections(head.person)
    assert change["reason"] == "死亡"
    with pytest.raises(services.Refusal, match="すでに世帯を離れて"):
        services.household_member_leave(actor=cast.csw_a, member=head, reason="died", left_on=died)
    with pytest.raises(services.Refusal):
        services.household_member_leave(
            actor=cast.csw_a,
            member=household.members.get(relation="child"),
            reason="moved_out",
            left_on=timezone.localdate() + datetime.timedelta(days=1),
        )


def test_one_head_per_household(client, cast, case_a):
    household = _household(cast, case_a)
    child = household.members.get(relation="child")
    with pytest.raises(services.Refusal, match="世帯主はすでに登録"):
        services.household_relation_change(
            actor=cast.csw_a, member=child, relation="head", reason="世帯主の変更"
        )
    with pytest.raises(services.Refusal, match="世帯主がすでに登録"):
        services.household_member_add(
            actor=cast.csw_a,
            person=case_a.person,
            person_relation="head",
            new_member={"family_name": "別", "family_name_kana": "べつ"},
            member_relation="head",
        )
    # The head's 続柄 changes first; then the child can become the head, with history.
    head = household.members.get(relation="head")
    services.household_relation_change(
        actor=cast.csw_a, member=head, relation="parent", reason="世帯主の変更"
    )
    services.household_relation_change(
        actor=cast.csw_a, member=child, relation="head", reason="世帯主の変更"
    )
    changes = selectors.household_changes(household.pk)
    assert [c["reason"] for c in changes][:2] == ["世帯主の変更", "世帯主の変更"]
    # Adding a member: the household's address is the default and 世帯主 is not offered.
    person = case_a.person
    person.address = "目黒区八雲一丁目"
    person.save()
    client.force_login(cast.csw_a)
    page = client.get(reverse("casework:household_add", kwargs={"pk": child.person.pk}))
    text = page.content.decode()
    assert 'value="head"' not in text.split('name="relation"')[1].split("</select>")[0]
    assert 'name="member-address"' in text


def test_household_changes_are_refused_to_who_cannot_hold_the_person(client, cast, case_a):
    household = _household(cast, case_a)
    child = household.members.get(relation="child")
    for outsider in (cast.consultation_b, cast.csw_b):
        with pytest.raises(PermissionDenied):
            services.household_member_leave(
                actor=outsider, member=child, reason="moved_out", left_on=timezone.localdate()
            )
    # consultation_b reads case_a through a share: the household shows, it is not theirs
    # to change. The child, who has no case, they may not even know of.
    head = household.members.get(relation="head")
    client.force_login(cast.consultation_b)
    for member, status in ((head, 403), (child, 404)):
        url = reverse("casework:household_member_leave", kwargs={"pk": member.pk})
        response = client.post(url, {"left_reason": "moved_out", "left_on": "2026-01-01"})
        assert response.status_code == status
    assert not household.members.filter(left_on__isnull=False).exists()


def test_a_member_who_left_keeps_the_name_they_had_then(client, cast, case_a):
    household = _household(cast, case_a)
    child = household.members.get(relation="child")
    services.household_member_leave(
        actor=cast.csw_a, member=child, reason="moved_out", left_on=timezone.localdate()
    )
    services.person_correct(
        actor=cast.csw_a,
        person=child.person,
        version=child.person.version,
        reason="改姓",
        **_values(child.person, family_name="新姓", family_name_kana="しんせい"),
    )
    client.force_login(cast.csw_a)
    page = client.get(reverse("casework:person_detail", kwargs={"pk": case_a.person.pk}))
    past = page.content.decode().split("以前の世帯員")[1].split("</ul>")[0]
    assert "佐藤 一郎" in past and "新姓" not in past
