"""The world of the disclosure-package tests: a person held by two agencies, and the
helpers that read a package (tests/rights/test_package*.py)."""

import datetime
import json

import pytest
from django.utils import timezone

from casework import services
from outreach import services as outreach_services
from referrals import services as referral_services
from rights.models import RightsRequest
from tests import builders

A_SUMMARY = "社協Aが電話で近況を確認した。"
B_SUMMARY = "包括Bが訪問し室内の様子を見た。"
REPORTER = "近所の山田一郎"
REPORTER_PHONE = "090-1111-2222"
MEMBER = "世帯 太郎"
# Queries the package costs however long the record is (see test_query_count_is_fixed).
MAX_QUERIES = 29


def _fields(pkg, key):
    section = next(s for s in pkg["sections"] if s["key"] == key)
    return [f for item in section["items"] for f in item["fields"]]


def _field(pkg, key, value):
    return next(f for f in _fields(pkg, key) if f["value"] == value)


def _items(pkg, key):
    return next(s for s in pkg["sections"] if s["key"] == key)["items"]


def _labelled(pkg, key, label):
    return [f for f in _fields(pkg, key) if f["label"] == label]


def _stored(pkg):
    """Everything the stored package holds, as text."""
    return json.dumps(pkg, ensure_ascii=False)


def _titles(pkg):
    return [i["title"] for s in pkg["sections"] for i in s["items"]]


WHY_B = "他機関(包括B)の記録:その機関に照会してください"


@pytest.fixture
def record(cast, case_a):
    """A person with a case in agency A and, after A's referral to B, one in agency B, each
    with a 経過記録 written by its own agency, a household with another member, and a watch
    report with a reporter."""
    person = case_a.person
    referral = referral_services.referral_send(
        actor=cast.csw_a,
        case=case_a,
        receiving_agency=cast.agency_b,
        reason="介護保険の申請を手伝ってほしい",
        urgency="normal",
        answer_by=timezone.localdate() + datetime.timedelta(days=7),
        scope="summary",
    )
    referral_services.referral_accept(actor=cast.supervisor_b, referral=referral, worker=cast.csw_b)
    case_b = builders.open_case(cast, cast.csw_b, person=person)
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    for actor, case, summary in ((cast.csw_a, case_a, A_SUMMARY), (cast.csw_b, case_b, B_SUMMARY)):
        services.contact_record_add(
            actor=actor,
            case=case,
            occurred_at=an_hour_ago,
            method="phone",
            minutes=10,
            summary=summary,
        )
    services.household_member_add(
        actor=cast.csw_a,
        person=person,
        person_relation="head",
        new_member={
            "family_name": "世帯",
            "given_name": "太郎",
            "family_name_kana": "せたい",
            "given_name_kana": "たろう",
        },
        member_relation="spouse",
    )
    outreach_services.report_receive(
        actor=cast.csw_a,
        reporter_kind="neighbour",
        reporter_name=REPORTER,
        reporter_contact=REPORTER_PHONE,
        received_at=an_hour_ago,
        address=person.address or "目黒区中央町一丁目",
        district=cast.agency_a.district,
        noticed="郵便受けに郵便物がたまっている",
        urgency="normal",
        person=person,
    )
    request = RightsRequest.objects.create(
        kind="disclosure",
        person=person,
        agency=cast.agency_a,
        received_on=timezone.localdate(),
        due_on=timezone.localdate() + datetime.timedelta(days=30),
        requester="本人",
        content="全部",
        registered_by=cast.csw_a,
    )
    return {"request": request, "person": person, "case_a": case_a, "case_b": case_b}
