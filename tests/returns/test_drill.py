"""The drill-down from a figure of an agency's return to the records behind it: what the
agency's supervisor sees, the access log it writes, and the requests it refuses. On the
hand-built ward (tests/returns/conftest.py)."""

import re

import pytest

from casework.models import AccessLog
from tests.returns.test_pages import (
    DRILL,
    compute,
    ids,
    last_log,
    new_rows,
    ref,
    sv,
    text_of,
)
from tests.returns.world import Builder, D

pytestmark = pytest.mark.django_db


def test_the_drill_lists_the_cases_behind_a_figure_and_logs_one_list_row(client, ward):
    compute(sv(ward, "j1"))
    cases = ward["cases"]
    client.force_login(sv(ward, "j1"))
    before = last_log()
    response = client.get(DRILL + ref(item="R01", month="2025-04-01"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    # R01 April at J1: B (1 Apr), G (5 Apr), C (30 Apr). A's intake is March's, D's May's.
    for key, name in (("b", "馬場"), ("g", "後藤"), ("c", "千葉")):
        assert name in page and cases[key].number in page, key
    assert page.index("馬場") < page.index("後藤") < page.index("千葉")  # oldest first
    for name in ("青木", "土井", "江藤", "福田"):
        assert name not in page
    assert "一致しません" not in page
    rows = new_rows(before)
    assert len(rows) == 1
    (row,) = rows
    assert row.action == AccessLog.Action.VIEW_LIST and row.user == sv(ward, "j1")
    assert ids(row.case_ids) == {cases["b"].pk, cases["c"].pk, cases["g"].pk}
    assert ids(row.person_ids) == {cases[k].person_id for k in "bcg"}
    assert "R01" in row.detail and "令和7年度 4月" in row.detail


def test_the_evaluation_drill_marks_who_improved(client, ward):
    compute(sv(ward, "j1"))
    client.force_login(sv(ward, "j1"))
    # The year: A (30 May, against v2's baseline: unchanged) and C (15 Jun: 健康 down);
    # G had nothing to compare and is not in the figure.
    page = client.get(DRILL + ref(item="R09")).content.decode()
    assert "青木" in page and "千葉" in page and "後藤" not in page
    assert page.count("<td>改善なし</td>") == 2 and "<td>改善</td>" not in page
    # April: A, against v1's baseline (意欲 2→3), improved.
    page = client.get(DRILL + ref(item="R09", month="2025-04-01")).content.decode()
    assert "青木" in page and "千葉" not in page
    assert page.count("<td>改善</td>") == 1 and "<td>改善なし</td>" not in page


def drill_rows(page: str) -> list[list[str]]:
    """The drill-down's table as printed: each record's cells."""
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.S).group(1)
    return [
        [text_of(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_the_drill_places_records_by_the_wards_day(client, ward):
    compute(sv(ward, "j1"))
    cases = ward["cases"]
    client.force_login(sv(ward, "j1"))
    # A's first plan, approved at 00:30 on 1 April in Tokyo (still 31 March in UTC), is
    # April's, with G's of 8 April.
    page = client.get(DRILL + ref(item="R02", month="2025-04-01")).content.decode()
    assert [(r[0], r[1]) for r in drill_rows(page)] == [
        ("令和7年4月1日", cases["a"].number),
        ("令和7年4月8日", cases["g"].number),
    ]
    # C's つなぎ to 生活保護 at 23:50 on 30 April is April's; the one to Hello Work at 00:10
    # on 1 May is May's; the one to O, withdrawn, is nobody's.
    page = client.get(DRILL + ref(item="R07", month="2025-04-01")).content.decode()
    assert [(r[0], r[1], r[3]) for r in drill_rows(page)] == [
        ("令和7年4月30日", cases["c"].number, "生活福祉課")
    ]
    page = client.get(DRILL + ref(item="R06", month="2025-05-01")).content.decode()
    assert [(r[0], r[3]) for r in drill_rows(page)] == [("令和7年5月1日", "就労支援窓口")]
    page = client.get(DRILL + ref(item="R06", month="2025-04-01")).content.decode()
    assert "この数値に数えた記録はありません。" in page and "地域包括支援センターO" not in page


def test_a_person_counted_once_is_listed_with_each_record_and_still_matches(client, ward):
    compute(sv(ward, "j1"))
    client.force_login(sv(ward, "j1"))
    # R04 (就労者数, 実人数) for the year: A found work on 30 April and on 1 May, one person.
    page = client.get(DRILL + ref(item="R04")).content.decode()
    assert [r[0] for r in drill_rows(page)] == ["令和7年4月30日", "令和7年5月1日"]
    assert page.count("青木") == 2
    assert "一致しません" not in page


def test_the_drill_says_when_records_changed_after_the_snapshot(client, ward):
    compute(sv(ward, "j1"))
    client.force_login(sv(ward, "j1"))
    url = DRILL + ref(item="R01", month="2025-04-01")
    assert "一致しません" not in client.get(url).content.decode()
    Builder(ward["desks"]["j1"]).intake(D(2025, 4, 20), "新井")
    page = client.get(url).content.decode()
    assert "一致しません" in page and "新井" in page
    # Another month's list still matches.
    assert (
        "一致しません"
        not in client.get(DRILL + ref(item="R01", month="2025-05-01")).content.decode()
    )


def test_the_officer_has_no_drill(client, ward, officer):
    compute(officer)
    client.force_login(officer)
    before = last_log()
    assert client.get(DRILL + ref(item="R01", month="2025-04-01")).status_code == 404
    assert client.get(DRILL + ref(item="R01")).status_code == 404
    assert new_rows(before) == []


@pytest.mark.parametrize(
    "query",
    [
        {"item": "R99", "month": "2025-04-01"},
        {"item": "R01", "month": "2024-04-01"},  # FY2024's
        {"item": "R01", "month": "2026-04-01"},  # FY2026's
        {"item": "R01", "month": "2025-04-15"},  # not a month's first day
        {"item": "R01", "month": "garbage"},
        {"item": "R01", "month": "2025-13-01"},
        {"month": "2025-04-01"},
        {"item": "R01", "month": "2025-04-01", "fy": "x"},
        {"item": "R01", "month": "2025-04-01", "n": "2"},
    ],
)
def test_a_bad_figure_is_404(client, ward, query):
    compute(sv(ward, "j1"))
    client.force_login(sv(ward, "j1"))
    params = {"fy": 2025, "n": 1, **query}
    before = last_log()
    assert client.get(DRILL, params).status_code == 404
    assert new_rows(before) == []


# --- computing and approving through the pages ------------------------------------------
