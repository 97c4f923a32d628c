"""The request pages as staff meet them: receiving a request from the person's page, the
agency's list with the days left, the decision forms' messages next to the field, the
package's copies, and the 利用停止 notice where it stops a referral."""

import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework.models import AccessLog
from referrals.models import Referral
from rights import services
from rights.models import RequestKind, RequestState, RightsRequest
from tests.rights.conftest import days, today


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_request_is_received_from_the_persons_page(client, cast, case_a):
    client.force_login(cast.csw_a)
    person_page = client.get(reverse("casework:person_detail", kwargs={"pk": case_a.person_id}))
    register_url = reverse("rights:register", kwargs={"pk": case_a.person_id})
    assert register_url in person_page.content.decode()
    response = client.post(
        register_url,
        {
            "kind": "disclosure",
            "received_on": days(-2).isoformat(),
            "requester": "本人",
            "content": "平成の記録も含めて全部",
        },
        follow=True,
    )
    request = RightsRequest.objects.get()
    assert response.redirect_chain[-1][0] == request.get_absolute_url()
    text = _text(response)
    assert "請求を受け付けました" in text and "開示請求 No." in text
    assert "あと28日" in text
    # The person's page lists it.
    person_page = client.get(reverse("casework:person_detail", kwargs={"pk": case_a.person_id}))
    assert f"開示請求 No.{request.pk}" in person_page.content.decode()


def test_a_bad_date_is_refused_next_to_the_field(client, cast, case_a):
    client.force_login(cast.csw_a)
    response = client.post(
        reverse("rights:register", kwargs={"pk": case_a.person_id}),
        {
            "kind": "correction",
            "received_on": days(3).isoformat(),
            "requester": "本人",
            "content": "住所",
        },
    )
    assert response.status_code == 400
    assert "受付日に未来の日付は指定できません" in response.content.decode()
    assert not RightsRequest.objects.exists()


def test_the_list_shows_the_days_left_nearest_first(client, cast, register):
    late = register(received_on=days(-32))
    soon = register(RequestKind.CORRECTION, received_on=days(-29))
    later = register(RequestKind.SUSPENSION, received_on=days(-1))
    client.force_login(cast.supervisor_a)
    response = client.get(reverse("rights:list"))
    text = _text(response)
    assert "2日超過" in text and "あと1日" in text and "あと29日" in text
    order = [text.index(f">{r.pk}<") for r in (late, soon, later)]
    assert order == sorted(order)
    row = AccessLog.objects.filter(user=cast.supervisor_a, action="view_list").latest("pk")
    assert f",{late.person_id}," in row.person_ids


def test_a_worker_lists_only_the_requests_they_received(client, cast, case_a, register):
    mine = register()
    theirs = register(actor=cast.supervisor_a)
    client.force_login(cast.csw_a)
    text = _text(client.get(reverse("rights:list")))
    assert f">{mine.pk}<" in text and f">{theirs.pk}<" not in text
    assert client.get(theirs.get_absolute_url()).status_code == 404


def test_the_detail_page_is_logged(client, cast, register):
    request = register()
    client.force_login(cast.supervisor_a)
    before = AccessLog.objects.count()
    response = client.get(request.get_absolute_url())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    row = AccessLog.objects.latest("pk")
    assert AccessLog.objects.count() == before + 1
    assert row.person_id == request.person_id and f"No.{request.pk}" in row.detail


def test_the_extension_form_says_what_is_wrong(client, cast, register):
    request = register(received_on=days(-10))
    client.force_login(cast.supervisor_a)
    url = reverse("rights:extend", kwargs={"pk": request.pk})
    response = client.post(url, {"extended_to": days(60).isoformat(), "reason": "資料が多い"})
    assert response.status_code == 400
    assert "延長できるのは" in response.content.decode()
    request.refresh_from_db()
    assert request.extended_to is None
    response = client.post(
        url, {"extended_to": days(40).isoformat(), "reason": "資料が多い"}, follow=True
    )
    assert "延長" in _text(response) and "資料が多い" in _text(response)


def test_the_package_copies_hide_what_is_withheld(client, cast, case_a, register):
    from casework.services import household_member_add

    household_member_add(
        actor=cast.csw_a,
        person=case_a.person,
        person_relation="head",
        new_member={"family_name": "同居", "given_name": "次郎", "family_name_kana": "どうきょ"},
        member_relation="child",
    )
    request = register()
    client.force_login(cast.supervisor_a)
    response = client.post(reverse("rights:assemble", kwargs={"pk": request.pk}), follow=True)
    assert "開示資料を作成しました" in _text(response)
    assert "確認が必要な箇所が" in _text(response)
    print_url = reverse("rights:package_print", kwargs={"pk": request.pk})
    # Before the decision there is only the review copy.
    assert "(確認用)" in _text(client.get(print_url))
    assert "開示用は、全部開示または一部開示の決定を記録すると出力できます" in _text(
        client.get(request.get_absolute_url())
    )
    services.request_decide(
        actor=cast.supervisor_a,
        request=request,
        decision="partial",
        reason="同居の方の情報を除く",
        decided_on=today(),
    )
    release = _text(client.get(print_url))
    review = _text(client.get(print_url + "?copy=review"))
    assert "(開示用)" in release and "(確認用)" in review
    assert "同居 次郎" in review and "同居 次郎" not in release
    assert "不開示" in release and str(case_a.person) in release
    workbook = client.get(reverse("rights:package_xlsx", kwargs={"pk": request.pk}))
    assert workbook["Content-Disposition"].startswith("attachment;")
    assert "no-store" in workbook["Cache-Control"]
    cells = [
        str(c.value)
        for sheet in load_workbook(io.BytesIO(workbook.content)).worksheets
        for row in sheet.iter_rows()
        for c in row
        if c.value
    ]
    assert not any("同居 次郎" in c for c in cells)
    exports = AccessLog.objects.filter(action=AccessLog.Action.EXPORT, person=case_a.person)
    assert {("開示用" in r.detail, r.detail.rsplit("・", 1)[-1]) for r in exports} >= {
        (True, "印刷)"),
        (False, "印刷)"),
        (True, "Excel)"),
    }


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_pdf_is_a_download_that_reads_back(client, cast, case_a, register):
    request = register()
    services.package_assemble(actor=cast.supervisor_a, request=request)
    services.request_decide(
        actor=cast.supervisor_a, request=request, decision="full", reason="", decided_on=today()
    )
    client.force_login(cast.supervisor_a)
    response = client.get(reverse("rights:package_pdf", kwargs={"pk": request.pk}))
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="disclosure-{request.pk}-release.pdf"'
    )
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "保有個人情報開示資料" in text and case_a.person.family_name in text


def test_a_worker_may_not_open_the_package(client, cast, register):
    request = register()
    services.package_assemble(actor=cast.supervisor_a, request=request)
    client.force_login(cast.csw_a)
    assert client.get(reverse("rights:package_print", kwargs={"pk": request.pk})).status_code == 403
    assert client.post(reverse("rights:assemble", kwargs={"pk": request.pk})).status_code == 403


def test_the_suspension_shows_on_the_case_and_stops_the_referral_form(
    client, cast, case_a, register
):
    request = register(RequestKind.SUSPENSION)
    client.force_login(cast.csw_a)
    case_page = _text(client.get(case_a.get_absolute_url()))
    assert "利用停止中" in case_page and "本人からの利用停止の請求" in case_page
    assert request.pk
    response = client.post(
        reverse("referrals:send", kwargs={"pk": case_a.pk}),
        {
            "receiving_agency": cast.agency_b.pk,
            "reason": "相談",
            "urgency": "normal",
            "answer_by": days(7).isoformat(),
            "scope": "summary",
        },
    )
    assert response.status_code == 400
    assert "本人の記録は利用停止中です" in response.content.decode()
    assert not Referral.objects.exists()


def test_deciding_and_delivering_through_the_forms(client, cast, register):
    request = register(RequestKind.SUSPENSION)
    client.force_login(cast.supervisor_a)
    response = client.post(
        reverse("rights:decide", kwargs={"pk": request.pk}),
        {"decision": "refused", "reason": "", "decided_on": today().isoformat()},
    )
    assert response.status_code == 400
    assert "全部を認めないときは" in response.content.decode()
    client.post(
        reverse("rights:decide", kwargs={"pk": request.pk}),
        {"decision": "refused", "reason": "法令による利用", "decided_on": today().isoformat()},
    )
    client.post(
        reverse("rights:deliver", kwargs={"pk": request.pk}),
        {"delivered_on": today().isoformat(), "delivery": "notice"},
    )
    request.refresh_from_db()
    assert request.state == RequestState.DELIVERED and request.delivery == "notice"
    text = _text(client.get(request.get_absolute_url()))
    assert "認めない" in text and "決定の通知のみ" in text and "解除" in text


def test_a_download_is_logged_in_every_agency_holding_a_case(client, cast, case_a, register):
    from casework.models import Case

    other = Case.objects.create(
        person=case_a.person,
        owning_agency=cast.agency_b,
        opened_on=today(),
        main_concern="income",
        created_by=cast.csw_b,
    )
    request = register()
    services.package_assemble(actor=cast.supervisor_a, request=request)
    client.force_login(cast.supervisor_a)
    client.get(reverse("rights:package_xlsx", kwargs={"pk": request.pk}))
    row = AccessLog.objects.filter(action=AccessLog.Action.EXPORT).latest("pk")
    assert {e.agency_id for e in row.agencies.all()} == {cast.agency_a.pk, cast.agency_b.pk}
    assert f",{other.pk}," in row.case_ids and "確認用・Excel" in row.detail


def test_the_list_costs_the_same_for_three_requests_or_twelve(client, cast, register):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.supervisor_a)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("rights:list")).status_code == 200
        return len(queries)

    for _ in range(3):
        register()
    few = count()
    for _ in range(9):
        register(RequestKind.CORRECTION)
    assert count() == few
