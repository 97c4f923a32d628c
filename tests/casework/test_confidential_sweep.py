"""Confidential marks across every page of the access matrix.

The person of case_a has their address and phone hidden (住所・電話の秘匿) and case_a's
records hidden (記録の秘匿), each naming csw_a alone. Every page with an id, every page
without one, the prints, the Excel and CSV downloads and the disclosure package in all its
forms are fetched as each member of the cast: nobody but csw_a ever gets the hidden address,
phone or words, and csw_a gets them where the page shows them (so the sweep can fail).
"""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.models import Notification, Person
from outreach import services as outreach_services
from tests.builders import CAST_NAMES, records_of_every_kind
from tests.casework.test_access_matrix import MATRIX, PAGES

ADDRESS = "目黒区秘匿町九丁目9番9号"
PHONE = "03-9999-8888"
WORDS = "面談で打ち明けられた秘匿の内容"
NEXT = "秘匿の次回の対応"
VISIT_NOTES = "訪問で聞いた秘匿の話"
VOID_REASON = "別の方の秘匿の話を誤って記録"
MOVED = "転居(新住所は目黒区秘匿町)"
SECRETS = (ADDRESS, PHONE, WORDS, NEXT, VISIT_NOTES, VOID_REASON, MOVED)


@pytest.fixture
def world(cast, case_a, workflow):
    """The secrets everywhere a record keeps them: the person's address and phone (by a
    correction whose reason says where they moved), a watch report's place, a contact
    record, a visit's notes, a void's reason. Then every other record, then the marks."""
    person = case_a.person
    values = {field: getattr(person, field) for field in Person.CORRECTABLE}
    services.person_correct(
        actor=cast.csw_a,
        person=person,
        version=person.version,
        reason=MOVED,
        **{**values, "address": ADDRESS, "phone": PHONE},
    )
    case_a.person.refresh_from_db()
    services.contact_record_add(
        actor=cast.csw_a,
        case=case_a,
        occurred_at=timezone.now() - datetime.timedelta(hours=2),
        method="home_visit",
        minutes=30,
        summary=WORDS,
        next_action=NEXT,
    )
    wrong = services.contact_record_add(
        actor=cast.csw_a,
        case=case_a,
        occurred_at=timezone.now() - datetime.timedelta(hours=3),
        method="phone",
        minutes=5,
        summary="別の方の話",
    )
    services.contact_record_void(actor=cast.supervisor_a, record=wrong, reason=VOID_REASON)
    visit = outreach_services.visit_plan(
        actor=cast.csw_a,
        case=case_a,
        planned_at=timezone.now() - datetime.timedelta(hours=5),
        staff=[cast.csw_a, cast.consultation_a],
    )
    outreach_services.visit_record(
        actor=cast.csw_a,
        visit=visit,
        result="met",
        visited_at=timezone.now() - datetime.timedelta(hours=4),
        notes=VISIT_NOTES,
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
    # The disclosure package is assembled before the marks: it must hide them afterwards.
    records = records_of_every_kind(cast, case_a, workflow)
    services.mark_place(
        actor=cast.csw_a,
        person=case_a.person,
        kind="address",
        reason="DV等支援措置",
        staff=[cast.csw_a],
    )
    services.mark_place(
        actor=cast.csw_a,
        person=case_a.person,
        kind="records",
        case=case_a,
        reason="虐待の記録",
        staff=[cast.csw_a],
    )
    return {**records, "secret_visit": visit, "secret_report": report}


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return "".join(
                book.read(name).decode("utf-8") for name in book.namelist() if name.endswith(".xml")
            )
    if "pdf" in kind:
        assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed to read the PDF"
        done = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
        )
        return done.stdout.decode("utf-8")
    return content.decode("utf-8", "replace")


# Pages a mark closes to who is not named (they would show what it hides), and placing a
# mark where both kinds are in place already: 403 where the matrix says 200.
CLOSED_BY_A_MARK = {
    "casework:confidential_new",
    "casework:person_correct",
    "casework:contact_correct",
    "casework:contact_void",
    "casework:contact_versions",
}


def _targets(records, person, member):
    """Each page with the status the member gets without the marks (the access matrix)."""
    for name, (kind, method, expected) in MATRIX.items():
        if method == "get":
            status = expected.get(member, 404)
            if name in CLOSED_BY_A_MARK and status == 200 and records[kind] != records["mark"]:
                status = 403
            yield reverse(name, kwargs={"pk": records[kind].pk}), status
    for name, expected in PAGES.items():
        yield reverse(name), expected[member]
    search = reverse("casework:person_search") + f"?q={person.family_name_kana}"
    yield search, PAGES["casework:person_search"][member]
    # The visit and the report that hold the secrets: whatever the member may see of them.
    yield reverse("outreach:visit_detail", args=[records["secret_visit"].pk]), None
    yield reverse("outreach:report_detail", args=[records["secret_report"].pk]), None


@pytest.mark.parametrize("member", [m for m in CAST_NAMES if m != "csw_a"])
def test_nobody_else_sees_what_a_mark_hides(client, cast, world, member):
    client.force_login(getattr(cast, member))
    seen = 0
    for url, status in _targets(world, world["person"], member):
        response = client.get(url)
        # A page answers as the matrix says: a mark hides words, it does not close pages.
        if status is not None:
            assert response.status_code in {status, 302 if status == 200 else status}, url
        if response.status_code != 200:
            continue
        seen += 1
        text = _text(response)
        for secret in SECRETS:
            assert secret not in text, (member, url, secret)
    assert seen  # every member gets some pages


def test_the_named_worker_sees_it_and_the_others_see_that_it_is_hidden(client, cast, world):
    person, case = world["person"], world["case"]
    client.force_login(cast.csw_a)
    assert ADDRESS in _text(client.get(reverse("casework:person_detail", args=[person.pk])))
    page = _text(client.get(reverse("casework:case_detail", args=[case.pk])))
    assert ADDRESS in page and PHONE in page and WORDS in page and NEXT in page
    assert MOVED not in page  # the 訂正の履歴 is on the person page
    visit = _text(client.get(reverse("outreach:visit_detail", args=[world["secret_visit"].pk])))
    assert VISIT_NOTES in visit and ADDRESS in visit
    person_page = _text(client.get(reverse("casework:person_detail", args=[person.pk])))
    assert MOVED in person_page
    assert WORDS in _text(client.get(reverse("casework:contacts_csv", args=[case.pk])))
    assert WORDS in _text(client.get(reverse("casework:print_contacts", args=[case.pk])))

    client.force_login(cast.supervisor_a)
    page = _text(client.get(reverse("casework:case_detail", args=[case.pk])))
    assert "この記録は秘匿が指定されています" in page
    assert "住所・電話の秘匿" in page and "記録の秘匿" in page  # and whom to ask
    # Every record of the case is hidden, not only the one about the abuse; the dates,
    # methods and workers stay.
    assert "電話で近況を確認した。" not in page
    csv = _text(client.get(reverse("casework:contacts_csv", args=[case.pk])))
    # The secret, the visit's record and the world's phone call: three rows, none with words.
    assert csv.count("(秘匿が指定された記録)") == 3 and "電話で近況を確認した。" not in csv


def test_no_notification_carries_what_a_mark_hides(world):
    for secret in SECRETS:
        assert not Notification.objects.filter(message__contains=secret).exists()
