"""The disclosure package: everything held about the person across the agencies, with the
third parties' information and the other agencies' notes withheld for review."""

import datetime
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework import services
from casework.models import AccessLog, Person
from casework.templatetags.tsunagu import staff_name
from outreach import services as outreach_services
from rights import package
from tests import builders
from tests.attachment_files import signed_form
from tests.rights.package_world import (
    A_SUMMARY,
    B_SUMMARY,
    MAX_QUERIES,
    MEMBER,
    REPORTER,
    REPORTER_PHONE,
    WHY_B,
    _field,
    _fields,
    _items,
    _labelled,
    _stored,
    _titles,
)


def test_another_agencys_note_is_withheld_and_our_own_is_not(record):
    pkg = package.assemble(record["request"])
    # B's note is not in the package at all: only that it is there, and whom to ask.
    theirs = [f for f in _labelled(pkg, "contacts", "内容") if f["withheld"]]
    assert theirs == [{"label": "内容", "value": "", "withheld": True, "why": WHY_B}]
    assert B_SUMMARY not in _stored(pkg)
    # The facts of B's 経過記録 (when, how) are the person's own and are released.
    b_item = next(i for i in _items(pkg, "contacts") if i["agency"] == "包括B")
    assert {f["label"] for f in b_item["fields"] if not f["withheld"]} >= {"日時", "方法"}
    ours = _field(pkg, "contacts", A_SUMMARY)
    assert ours["withheld"] is False
    assert ours["why"] == ""
    # The facts of B's case are the person's own and are released.
    numbers = [f["value"] for f in _fields(pkg, "cases") if f["label"] == "ケース番号"]
    assert numbers == [record["case_a"].number, record["case_b"].number]
    assert not any(f["withheld"] for f in _fields(pkg, "cases"))


def test_third_parties_are_withheld(record):
    pkg = package.assemble(record["request"])
    member = _field(pkg, "household", MEMBER)
    assert member["withheld"] and member["why"]
    reporter = _field(pkg, "watch_reports", REPORTER)
    assert reporter["withheld"] and reporter["why"]
    assert _field(pkg, "watch_reports", REPORTER_PHONE)["withheld"]
    # The person's own details and place in the household are theirs.
    assert not any(f["withheld"] for f in _fields(pkg, "person"))
    assert _field(pkg, "person", str(record["person"]))["label"] == "氏名"
    assert _field(pkg, "person", "昭和19年5月1日")["label"] == "生年月日"
    own = [f for f in _fields(pkg, "household") if f["label"] == "続柄" and not f["withheld"]]
    assert [f["value"] for f in own] == ["世帯主"]
    counted = sum(f["withheld"] for s in pkg["sections"] for i in s["items"] for f in i["fields"])
    assert pkg["withheld_count"] == counted >= 4


def test_the_package_is_json_and_in_the_shape_stored(record):
    pkg = package.assemble(record["request"])
    assert json.loads(json.dumps(pkg)) == pkg
    assert pkg["version"] == 1
    assert pkg["request_id"] == record["request"].pk
    assert pkg["person_id"] == record["person"].pk
    assert pkg["agency"] == "社協A"
    datetime.datetime.fromisoformat(pkg["assembled_at"])
    for section in pkg["sections"]:
        assert set(section) == {"key", "title", "items"}
        for item in section["items"]:
            assert set(item) == {"title", "agency", "fields"}
            for f in item["fields"]:
                assert set(f) == {"label", "value", "withheld", "why"}
                assert isinstance(f["value"], str)


def test_voided_records_are_noted_without_their_text(cast, record):
    contact = services.contact_record_add(
        actor=cast.csw_a,
        case=record["case_a"],
        occurred_at=timezone.now() - datetime.timedelta(minutes=30),
        method="phone",
        minutes=5,
        summary="別の方の記録を誤って書いた。",
    )
    services.contact_record_void(actor=cast.supervisor_a, record=contact, reason="別の方の記録")
    pkg = package.assemble(record["request"])
    values = [f["value"] for f in _fields(pkg, "contacts")]
    assert "別の方の記録を誤って書いた。" not in values
    assert "別の方の記録" in values


def test_the_access_log_of_the_record_is_listed(cast, record, client):
    client.force_login(cast.csw_a)
    client.get(record["person"].get_absolute_url())
    pkg = package.assemble(record["request"])
    actions = [f["value"] for f in _fields(pkg, "access_log") if f["label"] == "操作"]
    assert "本人情報閲覧" in actions


def _assemble_counting(request):
    with CaptureQueriesContext(connection) as queries:
        package.assemble(request)
    return len(queries)


def test_query_count_is_fixed(cast, record, workflow, django_assert_max_num_queries):
    # A record of every kind, so that every prefetch runs.
    case_a = record["case_a"]
    plan = workflow.to_support(case_a, cast.csw_a)
    services.meeting_record(
        actor=cast.csw_a,
        kind="coordination",
        held_on=timezone.localdate(),
        title="支援調整会議",
        attending_agencies=[cast.agency_a, cast.agency_b],
        decisions="家計相談につなぐ",
        cases=[case_a],
    )
    services.attachment_add(
        actor=cast.csw_a,
        person=record["person"],
        case=case_a,
        plan=plan,
        kind="signed_form",
        title="署名済みプランの控え",
        file=signed_form(),
    )
    services.monitoring_add(
        actor=cast.csw_a,
        plan=plan,
        kind="evaluation",
        monitored_on=timezone.localdate(),
        progress="on_track",
        notes="家計簿をつけ始めた。",
        scores={"motivation": 4},
    )
    enrolment = services.enrolment_add(
        actor=cast.csw_a,
        case=case_a,
        person=record["person"],
        programme="employment",
        enrolled_on=timezone.localdate() - datetime.timedelta(days=20),
    )

    def outcome(days_ago):
        services.outcome_add(
            actor=cast.csw_a,
            enrolment=enrolment,
            kind="income_up",
            achieved_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        )

    def visit(minutes_ago):
        outreach_services.visit_plan(
            actor=cast.csw_b,
            case=record["case_b"],
            planned_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
            staff=[cast.csw_b],
        )

    outcome(0)
    visit(0)
    services.closure_request_submit(
        actor=cast.csw_a, case=case_a, reason="goal_achieved", closing_on=timezone.localdate()
    )
    with django_assert_max_num_queries(MAX_QUERIES):
        package.assemble(record["request"])
    one_record = _assemble_counting(record["request"])
    for n in range(10):
        services.contact_record_add(
            actor=cast.csw_b,
            case=record["case_b"],
            occurred_at=timezone.now() - datetime.timedelta(minutes=50 - n),
            method="phone",
            minutes=5,
            summary=f"追加の記録{n}",
        )
        outcome(n + 1)
        visit(n + 1)
    eleven_records = _assemble_counting(record["request"])
    assert eleven_records == one_record
    pkg = package.assemble(record["request"])
    assert {"支援プラン 第1版", "支援調整会議", "署名済みプランの控え"} <= {
        f["value"] for s in pkg["sections"] for i in s["items"] for f in i["fields"]
    } | {i["title"].split("(")[0] for s in pkg["sections"] for i in s["items"]}


# --- what is released, and what is held for the decision ----------------------------------

WHY_ABUSE = "虐待に関する情報(開示の判断が必要)"
WHY_OTHER_CASES = "第三者の情報(他の方も対象の会議)"


def _today():
    return timezone.localdate()


def _ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


def test_no_free_text_of_another_agency_is_held(cast, record):
    """What B typed (a meeting's title and decisions, an attachment's title, a report's
    address and name as told, a visit's purpose and notes) is in neither copy, nor in the
    stored package, nor in a heading; the facts of B's records are."""
    person, case_b = record["person"], record["case_b"]
    services.meeting_record(
        actor=cast.csw_b,
        kind="support_meeting",
        held_on=_today(),
        title="包括Bの会議の件名",
        attending_agencies=[cast.agency_b],
        decisions="包括Bの決定事項",
        cases=[case_b],
    )
    services.attachment_add(
        actor=cast.csw_b,
        person=person,
        case=case_b,
        kind="letter",
        title="包括Bの書類の件名",
        file=signed_form(),
    )
    outreach_services.report_receive(
        actor=cast.csw_b,
        reporter_kind="neighbour",
        received_at=_ago(3),
        address="包括Bが聞いた住所",
        district=cast.agency_b.district,
        subject_name="包括Bが聞いた氏名",
        noticed="包括Bが気づいたこと",
        urgency="normal",
        person=person,
    )
    visit = outreach_services.visit_plan(
        actor=cast.csw_b,
        case=case_b,
        planned_at=_ago(3),
        staff=[cast.csw_b],
        purpose="包括Bの訪問の目的",
    )
    outreach_services.visit_record(
        actor=cast.csw_b,
        visit=visit,
        result="met",
        visited_at=_ago(2),
        observations=["mail_piled"],
        notes="包括Bの訪問の記録",
    )
    pkg = package.assemble(record["request"])
    typed = (
        "包括Bの会議の件名",
        "包括Bの決定事項",
        "包括Bの書類の件名",
        "包括Bが聞いた住所",
        "包括Bが聞いた氏名",
        "包括Bが気づいたこと",
        "包括Bの訪問の目的",
        "包括Bの訪問の記録",
    )
    for text in typed:
        assert text not in _stored(pkg)
    for key, label in (
        ("meetings", "件名"),
        ("meetings", "決定事項"),
        ("attachments", "件名"),
        ("watch_reports", "場所(住所)"),
        ("watch_reports", "対象者の氏名"),
        ("outreach_visits", "目的"),
        ("outreach_visits", "記録"),
    ):
        theirs = [
            f
            for i in _items(pkg, key)
            if i["agency"] == "包括B"
            for f in i["fields"]
            if f["label"] == label
        ]
        assert theirs == [{"label": label, "value": "", "withheld": True, "why": WHY_B}], (
            key,
            label,
        )
    assert _labelled(pkg, "meetings", "開催機関")[0]["value"] == "包括B"
    assert _labelled(pkg, "meetings", "開催日")[0]["value"]
    assert _labelled(pkg, "attachments", "種類")[0]["value"] == "手紙・通知"
    assert _labelled(pkg, "outreach_visits", "結果")[0]["value"] == "面会できた"
    assert _labelled(pkg, "outreach_visits", "気づいた様子")[0]["value"] == "郵便物の滞留"
    review = package.package_rows(pkg, released=False)
    shown = [f["text"] for s in review for i in s["items"] for f in i["fields"]]
    assert not set(typed) & set(shown)


def test_the_access_log_names_no_staff(cast, record):
    person = record["person"]
    AccessLog.objects.create(
        user=cast.csw_b,
        agency=cast.agency_b,
        action=AccessLog.Action.VIEW_LIST,
        person_ids=f",{person.pk},",
        detail="本人の検索「佐藤」",
        query="佐藤",
    )
    grants = AccessLog.objects.filter(person=person, action=AccessLog.Action.GRANT)
    details = [row.detail for row in grants]
    # Sharing case_a with consultation_b and accepting the referral granted access.
    assert details and all("(" in d for d in details)
    pkg = package.assemble(record["request"])
    fields = _fields(pkg, "access_log")
    assert {f["label"] for f in fields} == {"日時", "職員の機関", "操作", "表示"}
    section = json.dumps(_items(pkg, "access_log"), ensure_ascii=False)
    for detail in (*details, "本人の検索「佐藤」"):
        assert detail not in section
    for user in (cast.csw_a, cast.csw_b, cast.consultation_b, cast.supervisor_b):
        assert user.username not in section
        assert staff_name(user) not in section
    listed = [i for i in _items(pkg, "access_log") if i["fields"][2]["value"] == "一覧・検索"]
    assert [i["fields"][3] for i in listed] == [
        {"label": "表示", "value": "一覧・検索", "withheld": False, "why": ""}
    ]
    assert listed[0]["agency"] == "包括B"


def test_a_meeting_about_others_too_is_for_the_decision(cast, record):
    case_a, person = record["case_a"], record["person"]
    other = builders.open_case(
        cast,
        cast.csw_a,
        family_name="別人",
        given_name="次郎",
        family_name_kana="べつじん",
        given_name_kana="じろう",
    )
    for title, decisions, cases in (
        ("別人さんと合同の検討", "二人とも家計相談へ", [case_a, other]),
        ("本人だけの会議", "本人の家計を見直す", [case_a]),
    ):
        services.meeting_record(
            actor=cast.csw_a,
            kind="coordination",
            held_on=_today(),
            title=title,
            attending_agencies=[cast.agency_a],
            decisions=decisions,
            cases=cases,
        )
        AccessLog.objects.create(
            user=cast.csw_a,
            agency=cast.agency_a,
            person=person,
            case=case_a,
            action=AccessLog.Action.VIEW_CASE,
            detail=f"会議「{title}」",
        )
    pkg = package.assemble(record["request"])
    for value in ("別人さんと合同の検討", "二人とも家計相談へ"):
        joint = _field(pkg, "meetings", value)
        assert joint["withheld"] and joint["why"] == WHY_OTHER_CASES
    for value in ("本人だけの会議", "本人の家計を見直す"):
        assert not _field(pkg, "meetings", value)["withheld"]
    section = json.dumps(_items(pkg, "access_log"), ensure_ascii=False)
    for title in ("別人さんと合同の検討", "本人だけの会議"):
        assert not any(title in t for t in _titles(pkg))
        assert title not in section
    assert other.number not in _stored(pkg)
    assert "別人" not in _stored(pkg).replace("別人さんと合同の検討", "")


def test_attachments_are_headed_by_kind_and_date(cast, record):
    services.attachment_add(
        actor=cast.csw_a,
        person=record["person"],
        kind="signed_form",
        title="署名済みの申請書",
        file=signed_form(),
    )
    pkg = package.assemble(record["request"])
    (entry,) = _items(pkg, "attachments")
    assert entry["title"].startswith("添付書類 署名した書類 令和")
    assert "署名済みの申請書" not in entry["title"]
    # Agency A's own title is released.
    assert _field(pkg, "attachments", "署名済みの申請書")["withheld"] is False


def test_abuse_is_for_the_decision(cast, record, workflow):
    case_a, person = record["case_a"], record["person"]
    workflow.screen(case_a, cast.csw_a)
    workflow.assess(case_a, cast.csw_a, abuse_suspected=True, abuse_note="夫からの暴言がある")
    workflow.assess(case_a, cast.csw_a)
    services.consent_record(
        actor=cast.csw_a,
        person=person,
        basis="abuse_response",
        agencies=[cast.agency_b],
        given_on=_today(),
        note="虐待対応のための共有",
    )
    pkg = package.assemble(record["request"])
    suspected = _labelled(pkg, "assessments", "虐待の疑い")
    assert [f["value"] for f in suspected] == ["あり", "なし"]
    # A suspicion is for the decision; its absence is released (an assessment alone does
    # not keep a disclosure from being full).
    assert suspected[0]["withheld"] and suspected[0]["why"] == WHY_ABUSE
    assert not suspected[1]["withheld"]
    note = _field(pkg, "assessments", "夫からの暴言がある")
    assert note["withheld"] and note["why"] == WHY_ABUSE
    (abuse,) = [i for i in _items(pkg, "consents") if any(f["why"] for f in i["fields"])]
    assert "虐待" not in abuse["title"]
    assert {f["label"] for f in abuse["fields"]} >= {"根拠", "対象機関", "同意日", "備考"}
    assert all(f["withheld"] and f["why"] == WHY_ABUSE for f in abuse["fields"])
    # The ordinary consent of the fixture is released.
    assert not _field(pkg, "consents", "本人同意")["withheld"]
    released = package.package_rows(pkg, released=True)
    text = json.dumps(released, ensure_ascii=False)
    for secret in ("虐待対応", "夫からの暴言", "あり"):
        assert secret not in text


def test_the_package_holds_visits_programmes_closures_status_and_scores(cast, record, workflow):
    case_a, person = record["case_a"], record["person"]
    plan = workflow.to_support(case_a, cast.csw_a)
    services.monitoring_add(
        actor=cast.csw_a,
        plan=plan,
        kind="evaluation",
        monitored_on=_today(),
        progress="on_track",
        notes="家計簿をつけ始めた。",
        scores={"motivation": 4, "finances": 2},
    )
    enrolment = services.enrolment_add(
        actor=cast.csw_a,
        case=case_a,
        person=person,
        programme="employment",
        enrolled_on=_today() - datetime.timedelta(days=5),
    )
    services.outcome_add(
        actor=cast.csw_a,
        enrolment=enrolment,
        kind="employed",
        achieved_on=_today(),
        note="週3日のパートに就いた",
    )
    spouse = Person.objects.get(family_name="世帯")
    services.enrolment_add(
        actor=cast.csw_a,
        case=case_a,
        person=spouse,
        programme="employment",
        enrolled_on=_today() - datetime.timedelta(days=5),
    )
    visit = outreach_services.visit_plan(
        actor=cast.csw_a,
        case=case_a,
        planned_at=_ago(3),
        staff=[cast.csw_a],
        purpose="安否の確認",
    )
    outreach_services.visit_record(
        actor=cast.csw_a, visit=visit, result="met", visited_at=_ago(0.5), notes="元気そうだった"
    )
    workflow.close(case_a, cast.csw_a)
    pkg = package.assemble(record["request"])
    assert _labelled(pkg, "outreach_visits", "目的")[0]["value"] == "安否の確認"
    assert _labelled(pkg, "outreach_visits", "記録")[0]["value"] == "元気そうだった"
    assert _labelled(pkg, "outreach_visits", "結果")[0]["value"] == "面会できた"
    own, other = _items(pkg, "programmes")
    values = {f["label"]: f["value"] for f in own["fields"]}
    assert values["事業"] == "自立支援プログラム(就労支援)"
    assert values["成果1"].startswith("就労(令和")
    assert values["成果1の備考"] == "週3日のパートに就いた"
    assert not any(f["withheld"] for f in own["fields"])
    # The spouse's enrolment is theirs.
    assert all(f["withheld"] for f in other["fields"])
    assert _field(pkg, "programmes", MEMBER)["label"] == "参加者"
    closure = {f["label"]: f["value"] for f in _fields(pkg, "closures")}
    assert closure["終結理由"] == "目標達成"
    assert closure["判断"] == "承認"
    moves = [f["value"] for f in _labelled(pkg, "status_history", "変更後")]
    assert moves[-1] == "終結"
    assert "支援中" in moves
    scores = [f["value"] for f in _labelled(pkg, "plans", "変化項目の点数")]
    assert scores == ["意欲・気力:4 良い、家計・経済状況:2 悪い"]


# --- the copies -----------------------------------------------------------------------------
