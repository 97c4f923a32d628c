"""Confidential marks (秘匿の指定) as the staff use them: placed from the person's page,
refused on bad input, managed and lifted by whom they may, and what they hide in the
records pages, corrections, the CSV, referrals, disclosure packages and disposal.

The sweep of every page is tests/casework/test_confidential_sweep.py; here each test checks
that the hidden words are absent where they must be and present where they should be.
"""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework import access, services
from casework.models import (
    AccessLog,
    Case,
    ConfidentialMark,
    HouseholdMember,
    MarkChange,
    Person,
)
from casework.templatetags.tsunagu import staff_name
from referrals import services as referral_services
from referrals.forms import ReferralForm
from referrals.models import Referral
from rights import anonymize, disposal
from rights import services as rights_services
from rights.disposal import years_before
from rights.package_fields import CONCEALED

ADDRESS = "目黒区秘匿町九丁目9番9号"
PHONE = "03-9999-8888"
REASON = "DV等支援措置の申出"
HIDDEN_TAG = 'class="tag confidential"'
R1 = "母親から打ち明けられた虐待の内容"
R2 = "主任が学校と電話で見守りを調整した。"
PLACEHOLDER = "(秘匿が指定された記録)"


@pytest.fixture
def person(case_a):
    Person.objects.filter(pk=case_a.person_id).update(address=ADDRESS, phone=PHONE)
    case_a.person.refresh_from_db()
    return case_a.person


def _page(client, user, name, pk):
    client.force_login(user)
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


def _person_page(client, user, person):
    return _page(client, user, "casework:person_detail", person.pk)


def _address_mark(cast, person, *staff, actor=None):
    return services.mark_place(
        actor=actor or cast.csw_a,
        person=person,
        kind="address",
        reason=REASON,
        staff=list(staff) or [cast.csw_a],
    )[0]


def _record(actor, case, summary):
    return services.contact_record_add(
        actor=actor,
        case=case,
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
        method="phone",
        minutes=10,
        summary=summary,
    )


def _assert_hidden(page):
    assert ADDRESS not in page and PHONE not in page
    assert HIDDEN_TAG in page


def _assert_shown(page):
    assert ADDRESS in page and PHONE in page
    assert HIDDEN_TAG not in page


def test_placing_an_address_mark_from_the_page(client, cast, person):
    # Before the mark, the shared worker of agency B reads the address.
    _assert_shown(_person_page(client, cast.consultation_b, person))
    url = reverse("casework:confidential_new", args=[person.pk])
    page = _page(client, cast.csw_a, "casework:confidential_new", person.pk)
    assert "秘匿の理由" in page and staff_name(cast.supervisor_a) in page
    data = {"kind": "address", "reason": REASON, "staff": [cast.csw_a.pk, cast.supervisor_a.pk]}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()

    person.refresh_from_db()
    assert person.address_confidential
    mark = ConfidentialMark.objects.get(person=person)
    assert (mark.kind, mark.reason, mark.case, mark.placed_by) == (
        "address",
        REASON,
        None,
        cast.csw_a,
    )
    assert set(mark.staff.all()) == {cast.csw_a, cast.supervisor_a}
    assert list(mark.changes.values_list("action", "actor")) == [("place", cast.csw_a.pk)]
    grant = AccessLog.objects.get(
        action=AccessLog.Action.GRANT, person=person, detail__startswith="秘匿の指定"
    )
    assert grant.user == cast.csw_a and "のみ閲覧" in grant.detail

    _assert_shown(_person_page(client, cast.supervisor_a, person))
    # consultation_b (agency B, reading the case through the share) is not named.
    page = _person_page(client, cast.consultation_b, person)
    _assert_hidden(page)
    assert "住所・電話の秘匿" in page  # the notice: what is hidden and whom to ask
    assert staff_name(cast.csw_a) in page and staff_name(cast.supervisor_a) in page
    assert REASON not in page
    # The mark's page names the staff but gives its reason to the named alone.
    detail = _page(client, cast.consultation_b, "casework:confidential_detail", mark.pk)
    assert REASON not in detail and staff_name(cast.supervisor_a) in detail
    assert REASON in _page(client, cast.supervisor_a, "casework:confidential_detail", mark.pk)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "address", "reason": ""}, "reason", "このフィールドは必須です。"),
        ({"kind": "address", "reason": "   "}, "reason", "このフィールドは必須です。"),
        ({"kind": "address", "reason": "理" * 301}, "reason", "300 文字以下"),
        ({"kind": "records", "reason": REASON}, "case", "記録を秘匿するケースを選んでください。"),
        ({"kind": "address", "reason": REASON, "other": "csw_b"}, "staff", "候補にありません"),
    ],
    ids=["empty-reason", "blank-reason", "long-reason", "records-without-case", "other-agency"],
)
def test_bad_input_changes_nothing_and_says_why_next_to_the_field(
    client, cast, person, data, field, message
):
    data = dict(data)
    data["staff"] = [cast.csw_a.pk] + ([cast.csw_b.pk] if data.pop("other", None) else [])
    client.force_login(cast.csw_a)
    response = client.post(reverse("casework:confidential_new", args=[person.pk]), data)
    # The app's form pages answer 400 to a form sent back with errors (casework.pages).
    assert response.status_code == 400
    assert message in response.content.decode()
    assert any(message in e for e in response.context["form"].errors[field])
    assert not ConfidentialMark.objects.exists() and not MarkChange.objects.exists()
    person.refresh_from_db()
    assert not person.address_confidential
    _assert_shown(_person_page(client, cast.consultation_b, person))


def test_a_read_only_share_cannot_mark_and_a_second_address_mark_is_refused(client, cast, person):
    url = reverse("casework:confidential_new", args=[person.pk])
    client.force_login(cast.consultation_b)
    assert client.get(url).status_code == 403
    assert client.post(url, {"kind": "address", "reason": REASON}).status_code == 403
    assert not ConfidentialMark.objects.exists()

    _address_mark(cast, person)
    client.force_login(cast.csw_a)
    page = client.get(url).content.decode()
    assert "住所・電話の秘匿" not in page and "記録の秘匿" in page  # only the case's records left
    response = client.post(url, {"kind": "address", "reason": "二度目", "staff": [cast.csw_a.pk]})
    assert response.status_code == 400
    assert "address は候補にありません" in response.content.decode()
    with pytest.raises(ValidationError, match="すでに指定されています") as info:
        _address_mark(cast, person)
    assert "kind" in info.value.message_dict
    assert list(ConfidentialMark.objects.values_list("reason", flat=True)) == [REASON]


def test_an_address_mark_hides_the_ticked_household_member_too(client, cast, person):
    services.household_member_add(
        actor=cast.csw_a,
        person=person,
        person_relation="head",
        new_member={"family_name": "世帯", "family_name_kana": "せたい", "address": ADDRESS},
        member_relation="spouse",
    )
    member = HouseholdMember.objects.exclude(person=person).get().person
    Person.objects.filter(pk=member.pk).update(phone=PHONE)
    _assert_shown(_person_page(client, cast.supervisor_a, member))
    page = _page(client, cast.csw_a, "casework:confidential_new", person.pk)
    assert "同じ世帯の方の住所・電話も秘匿する" in page and str(member) in page
    data = {"kind": "address", "reason": REASON, "staff": [cast.csw_a.pk], "household": [member.pk]}
    response = client.post(reverse("casework:confidential_new", args=[person.pk]), data)
    assert response.status_code == 302

    marks = ConfidentialMark.objects.filter(kind="address")
    assert sorted(marks.values_list("person_id", flat=True)) == sorted([person.pk, member.pk])
    assert (
        Person.objects.filter(pk__in=[person.pk, member.pk], address_confidential=True).count() == 2
    )
    for who in (person, member):
        _assert_hidden(_person_page(client, cast.supervisor_a, who))
        _assert_shown(_person_page(client, cast.csw_a, who))


@pytest.fixture
def marked_records(cast, case_a):
    """R1 by csw_a, R2 by supervisor_a; case_a's records then hidden, naming csw_a alone."""
    r1, r2 = _record(cast.csw_a, case_a, R1), _record(cast.supervisor_a, case_a, R2)
    services.mark_place(
        actor=cast.csw_a,
        person=case_a.person,
        kind="records",
        case=case_a,
        reason="虐待の記録",
        staff=[cast.csw_a],
    )
    case_a.refresh_from_db()
    return r1, r2


def test_a_records_mark_hides_others_words_but_not_ones_own(client, cast, case_a, marked_records):
    r1, r2 = marked_records
    assert case_a.records_confidential
    page = _page(client, cast.supervisor_a, "casework:case_detail", case_a.pk)
    assert R2 in page and R1 not in page
    assert "記録の秘匿" in page and staff_name(cast.csw_a) in page  # whom to ask
    page = _page(client, cast.csw_a, "casework:case_detail", case_a.pk)
    assert R1 in page and R2 in page
    page = _page(client, cast.consultation_b, "casework:case_detail", case_a.pk)
    assert R1 not in page and R2 not in page

    client.force_login(cast.supervisor_a)
    for name in ("casework:contact_versions", "casework:contact_correct", "casework:contact_void"):
        response = client.get(reverse(name, args=[r1.pk]))
        assert response.status_code == 403 and R1 not in response.content.decode()
    assert R2 in _page(client, cast.supervisor_a, "casework:contact_versions", r2.pk)
    assert R1 in _page(client, cast.csw_a, "casework:contact_versions", r1.pk)

    client.force_login(cast.supervisor_a)
    response = client.get(reverse("casework:contacts_csv", args=[case_a.pk]))
    csv = b"".join(response.streaming_content) if response.streaming else response.content
    csv = csv.decode("utf-8-sig")
    assert response.status_code == 200
    assert csv.count(PLACEHOLDER) == 1 and R1 not in csv and R2 in csv


def test_a_referral_cannot_share_the_records_of_a_marked_case(cast, case_a):
    r1 = _record(cast.csw_a, case_a, R1)
    assert list(ReferralForm(case=case_a).fields["shared_contacts"].queryset) == [r1]
    services.mark_place(
        actor=cast.csw_a,
        person=case_a.person,
        kind="records",
        case=case_a,
        reason="虐待の記録",
        staff=[cast.csw_a],
    )
    case_a.refresh_from_db()
    assert not ReferralForm(case=case_a).fields["shared_contacts"].queryset.exists()
    send = {
        "actor": cast.csw_a,
        "case": case_a,
        "receiving_agency": cast.agency_b,
        "reason": "介護保険の申請を手伝ってほしい",
        "urgency": "normal",
        "answer_by": timezone.localdate() + datetime.timedelta(days=7),
        "scope": "summary",
    }
    with pytest.raises(ValidationError, match="記録の秘匿") as info:
        referral_services.referral_send(**send, shared_contacts=[r1])
    assert "shared_contacts" in info.value.message_dict
    assert not Referral.objects.exists()
    # Without the records the referral goes.
    referral = referral_services.referral_send(**send)
    assert not referral.shared_contacts.exists()


def _fields(package):
    for section in package["sections"]:
        for item in section.get("items", []):
            yield from item.get("fields", [])


def test_a_package_assembled_before_an_address_mark_no_longer_holds_the_address(cast, person):
    request = rights_services.request_register(
        actor=cast.csw_a,
        person=person,
        kind="disclosure",
        received_on=timezone.localdate(),
        requester="本人",
        content="保有個人情報の全部",
    )
    request = rights_services.package_assemble(actor=cast.supervisor_a, request=request)
    assert ADDRESS in json.dumps(request.package, ensure_ascii=False)
    _address_mark(cast, person)
    request.refresh_from_db()
    stored = json.dumps(request.package, ensure_ascii=False)
    assert ADDRESS not in stored and PHONE not in stored
    values = {f["label"]: f["value"] for f in _fields(request.package)}
    assert values["住所"] == CONCEALED == "秘匿の指定があるため載せていません。"
    assert values["電話番号"] == CONCEALED
    assert person.family_name in stored  # the rest of the package stays


def _staff_post(client, actor, mark, **data):
    """POST to the mark's staff form; the names listed on the mark's page after it."""
    client.force_login(actor)
    url = reverse("casework:confidential_staff", args=[mark.pk])
    page = client.post(url, data, follow=True).content.decode()
    named = re.search(r'<ul class="named-staff">(.*?)</ul>', page, re.S).group(1)
    return page, named


def test_managing_a_mark_adding_removing_and_lifting(client, cast, person):
    mark = _address_mark(cast, person)
    lift = reverse("casework:confidential_lift", args=[mark.pk])
    staff = reverse("casework:confidential_staff", args=[mark.pk])
    # supervisor_a is not named while csw_a, who placed it, is: no say over it.
    client.force_login(cast.supervisor_a)
    assert client.post(staff, {"user": cast.supervisor_a.pk}).status_code == 403
    assert client.get(lift).status_code == 403
    assert client.post(lift, {"reason": "終了"}).status_code == 403
    assert list(mark.staff.all()) == [cast.csw_a]
    _assert_hidden(_person_page(client, cast.supervisor_a, person))

    page, named = _staff_post(client, cast.csw_a, mark, user=cast.consultation_a.pk)
    assert "閲覧できる職員に加えました。" in page
    assert staff_name(cast.consultation_a) in named and staff_name(cast.csw_a) in named
    assert set(mark.staff.all()) == {cast.csw_a, cast.consultation_a}
    assert mark.changes.filter(action="add", staff=cast.consultation_a, actor=cast.csw_a).exists()
    _assert_hidden(_person_page(client, cast.supervisor_a, person))  # still not named

    page, named = _staff_post(client, cast.csw_a, mark, remove=cast.consultation_a.pk)
    assert "閲覧できる職員から外しました。" in page
    assert staff_name(cast.consultation_a) not in named and staff_name(cast.csw_a) in named
    assert list(mark.staff.all()) == [cast.csw_a]
    assert mark.changes.filter(action="remove", staff=cast.consultation_a).exists()

    page, named = _staff_post(client, cast.csw_a, mark, remove=cast.csw_a.pk)
    assert "閲覧できる職員を誰もいなくすることはできません" in page
    assert staff_name(cast.csw_a) in named and list(mark.staff.all()) == [cast.csw_a]
    assert not mark.changes.filter(action="remove", staff=cast.csw_a).exists()

    client.force_login(cast.csw_a)
    response = client.post(lift, {"reason": ""})
    assert response.status_code == 400 and "このフィールドは必須です。" in response.content.decode()
    mark.refresh_from_db()
    assert mark.active and not mark.changes.filter(action="lift").exists()

    response = client.post(lift, {"reason": "保護命令の期間が終わった"})
    assert response.status_code == 302
    mark.refresh_from_db()
    person.refresh_from_db()
    assert not mark.active and mark.lifted_by == cast.csw_a and not person.address_confidential
    assert mark.lift_reason == "保護命令の期間が終わった"
    _assert_shown(_person_page(client, cast.supervisor_a, person))


def test_supervisors_may_lift_when_no_named_member_is_still_active(client, cast, person):
    mark = _address_mark(cast, person)
    lift = reverse("casework:confidential_lift", args=[mark.pk])
    assert not access.may_manage_mark(cast.supervisor_a, mark)
    assert lift not in _page(client, cast.supervisor_a, "casework:confidential_detail", mark.pk)
    cast.csw_a.is_active = False
    cast.csw_a.save()
    assert access.may_manage_mark(cast.supervisor_a, mark)
    assert not access.may_manage_mark(cast.consultation_a, mark)  # not a supervisor
    page = _page(client, cast.supervisor_a, "casework:confidential_detail", mark.pk)
    assert lift in page
    assert client.post(lift, {"reason": "担当者の退職"}).status_code == 302
    mark.refresh_from_db()
    assert mark.lifted_by == cast.supervisor_a
    _assert_shown(_person_page(client, cast.supervisor_a, person))


def _queries(client, user, name, pk):
    """The SQL of one page, the second time it is fetched (the session warmed up)."""
    client.force_login(user)
    client.get(reverse(name, args=[pk]))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name, args=[pk])).status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def _about_marks(sql):
    return [q for q in sql if "casework_confidentialmark" in q]


# Measured on the test database, as supervisor_a (not named). The case page: 31 queries
# unmarked, 34 marked; the person page: 22 and 24. Marked, each page reads the marks (1)
# with their named staff for the notice (1, the prefetch) and the marks naming the viewer
# (1); the person page then skips the query of may_correct_person (refused at once when
# the address is hidden), hence +2.
QUERY_COUNTS = {"casework:case_detail": (31, 34), "casework:person_detail": (22, 24)}


def test_an_unmarked_page_reads_no_mark_and_a_marked_one_few_queries_more(
    client, cast, case_a, person
):
    _record(cast.csw_a, case_a, R1)
    pks = {"casework:case_detail": case_a.pk, "casework:person_detail": person.pk}
    before = {n: _queries(client, cast.supervisor_a, n, pk) for n, pk in pks.items()}
    _address_mark(cast, person)
    services.mark_place(actor=cast.csw_a, person=person, kind="records", case=case_a, reason="虐待")
    after = {n: _queries(client, cast.supervisor_a, n, pk) for n, pk in pks.items()}
    for name, (unmarked, marked) in QUERY_COUNTS.items():
        assert not _about_marks(before[name]), name  # an unmarked page never asks
        assert (len(before[name]), len(after[name])) == (unmarked, marked), name
        assert len(_about_marks(after[name])) == 3, name


def test_disposal_blanks_the_reason_of_a_mark(cast, open_case):
    case = open_case(cast.csw_a, family_name="廃棄野", family_name_kana="はいきの")
    _record(cast.csw_a, case, R1)
    address = _address_mark(cast, case.person)
    records = services.mark_place(
        actor=cast.csw_a, person=case.person, kind="records", case=case, reason="虐待の記録"
    )[0]
    closed_on = years_before(timezone.localdate(), 5) - datetime.timedelta(days=31)
    Case.objects.filter(pk=case.pk).update(
        status="closed", closed_on=closed_on, opened_on=closed_on - datetime.timedelta(days=60)
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert disposal.dispose(source="command") is not None
    for mark in (address, records):
        mark.refresh_from_db()
        assert mark.reason == anonymize.MARK == "(廃棄)"
    assert not ConfidentialMark.objects.filter(reason__in=[REASON, "虐待の記録"]).exists()
