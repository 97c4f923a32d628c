"""Indicator pages: who may reach them, bad input, exports, the dashboard's charts."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from indicators import services, tasks
from indicators.models import ReportedFigure, Snapshot, SurveyResult
from tests.indicators.builders import D, plan_baseline

pytestmark = pytest.mark.django_db

VIEWERS = ("indicator_officer", "supervisor_a", "supervisor_b")
REFUSED = ("csw_a", "consultation_a", "admin_a", "csw_b", "outsider")


@pytest.fixture
def snapshot(cast, world):
    plan_baseline(world, 2024)
    return services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)


@pytest.fixture
def approved(cast, snapshot):
    return services.snapshot_approve(actor=cast.indicator_officer, snapshot=snapshot)


def _ref(snapshot):
    return {"fy": snapshot.fiscal_year, "n": snapshot.number}


def _view_urls(snapshot):
    ref = f"?fy={snapshot.fiscal_year}&n={snapshot.number}"
    return [
        reverse("indicators:dashboard"),
        reverse("indicators:snapshot") + ref,
        reverse("indicators:export_csv") + ref,
        reverse("indicators:export_xlsx") + ref,
    ]


OFFICER_PAGES = ("indicators:survey_new", "indicators:reported_new")
OFFICER_POSTS = ("indicators:compute", "indicators:snapshot_approve")


@pytest.mark.parametrize("member", VIEWERS + REFUSED)
def test_dashboard_snapshot_and_exports_only_for_officers_and_supervisors(
    client, cast, approved, member
):
    client.force_login(getattr(cast, member))
    for url in _view_urls(approved):
        response = client.get(url)
        assert response.status_code == (200 if member in VIEWERS else 403), url
        if response.status_code == 200:
            assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("member", ["supervisor_a", "supervisor_b"])
def test_supervisors_see_approved_snapshots_only(client, cast, snapshot, member):
    client.force_login(getattr(cast, member))
    for url in _view_urls(snapshot)[1:]:
        assert client.get(url).status_code == 404, url
    page = client.get(reverse("indicators:dashboard")).content.decode()
    assert f"n={snapshot.number}" not in page
    client.force_login(cast.indicator_officer)
    assert client.get(_view_urls(snapshot)[1]).status_code == 200


@pytest.mark.parametrize("member", VIEWERS + REFUSED)
def test_only_indicator_officers_enter_figures_compute_and_approve(
    client, cast, snapshot, member, monkeypatch
):
    monkeypatch.setattr(tasks.compute_snapshot, "delay", lambda *a: None)
    client.force_login(getattr(cast, member))
    officer = member == "indicator_officer"
    for name in OFFICER_PAGES:
        assert client.get(reverse(name)).status_code == (200 if officer else 403)
    response = client.post(reverse("indicators:compute"), {"fiscal_year": 2024})
    assert response.status_code == (302 if officer else 403)
    response = client.post(reverse("indicators:snapshot_approve"), _ref(snapshot))
    assert response.status_code == (302 if officer else 403)
    snapshot.refresh_from_db()
    assert snapshot.is_approved == officer


def test_anonymous_is_sent_to_login(client, snapshot):
    urls = _view_urls(snapshot) + [reverse(n) for n in OFFICER_PAGES]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for name in OFFICER_POSTS:
        response = client.post(reverse(name), _ref(snapshot))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_unknown_or_malformed_snapshot_is_404(client, cast, snapshot):
    client.force_login(cast.indicator_officer)
    for query in ("", "?fy=2024&n=99", "?fy=x&n=1", "?fy=2024&n=-1", f"?fy=2024&n={2**70}"):
        assert client.get(reverse("indicators:snapshot") + query).status_code == 404
        assert client.get(reverse("indicators:export_csv") + query).status_code == 404
    assert client.post(reverse("indicators:snapshot_approve"), {"fy": "x"}).status_code == 404


def test_compute_enqueues_the_task_after_commit(
    client, cast, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(tasks.compute_snapshot, "delay", lambda *a: calls.append(a))
    client.force_login(cast.indicator_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("indicators:compute"), {"fiscal_year": "2025"})
    assert response.status_code == 302
    assert calls == [(2025, cast.indicator_officer.pk)]
    response = client.post(reverse("indicators:compute"), {"fiscal_year": "1900"}, follow=True)
    assert "年度を選んでください" in response.content.decode()
    assert len(calls) == 1


def test_survey_entry_saves_and_bad_values_are_refused_next_to_the_field(client, cast):
    client.force_login(cast.indicator_officer)
    url = reverse("indicators:survey_new")
    good = {
        "indicator": "P1",
        "percent": "41.2",
        "respondents": "1520",
        "survey_name": "目黒区区民意識調査",
        "surveyed_on": "2025-07-01",
    }
    assert client.post(url, good).status_code == 302
    assert str(SurveyResult.objects.get().percent) == "41.2"
    for field, bad in [
        ("percent", "100.1"),
        ("percent", "-1"),
        ("respondents", "0"),
        ("surveyed_on", "2999-01-01"),
        ("surveyed_on", "0001-01-01"),
        ("indicator", "P1-3a"),  # a record-based indicator is not entered
        ("survey_name", ""),
    ]:
        response = client.post(url, {**good, field: bad})
        assert response.status_code == 400, (field, bad)
        assert f'id="id_{field}_error"' in response.content.decode(), (field, bad)
    assert SurveyResult.objects.count() == 1


def test_reported_entry_saves_and_bad_values_are_refused(client, cast):
    client.force_login(cast.indicator_officer)
    url = reverse("indicators:reported_new")
    good = {
        "indicator": "P2-2b",
        "value": "3850",
        "reporting_body": "目黒区老人クラブ連合会",
        "as_of": "2025-04-01",
        "note": "4月1日現在",
    }
    assert client.post(url, good).status_code == 302
    for field, bad in [("value", "-5"), ("value", "99999999999"), ("indicator", "P1")]:
        response = client.post(url, {**good, field: bad})
        assert response.status_code == 400
        assert f'id="id_{field}_error"' in response.content.decode()
    assert ReportedFigure.objects.count() == 1


def test_survey_and_reported_figures_reach_the_snapshot(cast):
    officer = cast.indicator_officer
    services.survey_record(
        actor=officer,
        indicator="P1",
        percent="40.0",
        respondents=1500,
        survey_name="区民意識調査",
        surveyed_on=D(2025, 6, 1),
    )
    services.reported_record(
        actor=officer, indicator="P2-2c", value=1300, reporting_body="シルバー", as_of=D(2025, 4, 1)
    )
    snap = services.snapshot_compute(actor=officer, fiscal_year=2025)
    assert snap.values["indicators"]["P1"]["value"] == 40.0
    assert snap.values["indicators"]["P1"]["respondents"] == 1500
    assert snap.values["indicators"]["P2-2c"]["value"] == 1300
    assert (
        services.snapshot_compute(actor=officer, fiscal_year=2024).values["indicators"]["P1"][
            "value"
        ]
        is None
    )


JUNK = [
    {},
    {"fy": "\u0000", "n": "' OR 1=1 --", "fiscal_year": "99999999999999999999"},
    {"percent": "nan", "respondents": "1e9", "surveyed_on": "31/02/2026", "indicator": "../"},
    {"value": "x" * 10000, "as_of": "9999-12-31", "indicator": "P2-2b", "reporting_body": "x"},
]


def test_no_request_ends_in_a_server_error(client, cast, snapshot, monkeypatch):
    monkeypatch.setattr(tasks.compute_snapshot, "delay", lambda *a: None)
    for member in ("indicator_officer", "supervisor_a", "csw_a"):
        client.force_login(getattr(cast, member))
        for url in _view_urls(snapshot) + [reverse(n) for n in OFFICER_PAGES + OFFICER_POSTS]:
            for data in JUNK:
                for method in ("get", "post"):
                    response = getattr(client, method)(url.split("?")[0], data)
                    assert response.status_code < 500, (member, method, url, data)


def test_exports_have_japanese_headers_and_the_years_figures(client, cast, approved):
    client.force_login(cast.supervisor_a)
    ref = f"?fy={approved.fiscal_year}&n={approved.number}"
    text = client.get(reverse("indicators:export_csv") + ref).content.decode("utf-8-sig")
    assert (
        "コード,指標名,単位,現状値,目標値(令和13年度末),年度,今年度の値,目標に対する進捗(%)" in text
    )
    assert (
        "P2-1a,定期的に運動を行うグループの参加者延べ人数,人(延べ),6700,9600,令和6年度,6700,0.0"
        in text
    )
    assert "試験" not in text
    book = load_workbook(io.BytesIO(client.get(reverse("indicators:export_xlsx") + ref).content))
    sheet = book["成果指標"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows.index(next(r for r in rows if r[0] == "コード"))
    by_code = {r[0]: r for r in rows[header + 1 :]}
    assert by_code["P1-3a"][6] == 40 and by_code["P1-3a"][3] == 40 and by_code["P1-3a"][4] == 60
    assert by_code["P1-3b"][6] == 9
    assert "内訳 P2-1a 地区別" in book.sheetnames


def test_dashboard_draws_inline_svg_with_no_outside_asset(client, cast, snapshot):
    services.snapshot_approve(actor=cast.indicator_officer, snapshot=snapshot)
    client.force_login(cast.indicator_officer)
    html = client.get(reverse("indicators:dashboard")).content.decode()
    assert html.count("<svg") == 13
    assert "令和6" in html and "6,700" in html
    # The charts need no script; the only one is the app's own, served locally.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/tsunagu.js" defer>']
    assert "https://" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )


def test_snapshot_page_shows_suppressed_cells_as_stars(client, cast, world):
    world.child(D(2025, 4, 1), district="north")
    for n in range(12):
        world.child(D(2025, 4, 2), district="east", birth_date=D(2014, 1, n + 1))
    snap = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2025)
    services.snapshot_approve(actor=cast.indicator_officer, snapshot=snap)
    client.force_login(cast.supervisor_a)
    html = client.get(reverse("indicators:snapshot") + f"?fy=2025&n={snap.number}").content
    # The lone child in the north is a hidden cell of the district table, not a number.
    assert '<td class="num">*</td>' in html.decode()
    assert Snapshot.objects.count() == 1
    # Periods as the ward writes them: the fiscal year from 1 April, in 和暦.
    assert "令和7年4月1日〜令和8年3月31日" in html.decode()
    assert "2025-04-01" not in html.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_broker_that_is_down_is_reported_not_hidden(client, cast, monkeypatch):
    # Outside a transaction, as a request runs, the task is enqueued at once.
    def down(*args):
        raise OSError("connection refused")

    monkeypatch.setattr(tasks.compute_snapshot, "delay", down)
    client.force_login(cast.indicator_officer)
    response = client.post(reverse("indicators:compute"), {"fiscal_year": "2025"}, follow=True)
    assert "集計を開始できませんでした" in response.content.decode()


@pytest.mark.parametrize("years", [1, 4])
def test_dashboard_query_count_does_not_grow_with_snapshots(
    client, cast, years, django_assert_max_num_queries
):
    for fy in range(2022, 2022 + years):
        services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=fy)
    client.force_login(cast.supervisor_a)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("indicators:dashboard")).status_code == 200


def test_exports_quote_text_that_a_spreadsheet_would_run(client, cast, world):
    from indicators import exports

    services.survey_record(
        actor=cast.indicator_officer,
        indicator="P1",
        percent="40.0",
        respondents=1200,
        survey_name='=HYPERLINK("http://evil.example","x")',
        surveyed_on=D(2024, 7, 1),
    )
    snap = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    text = exports.to_csv(snap)
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text and ',"=HYPERLINK' not in text
    book = load_workbook(io.BytesIO(exports.to_xlsx(snap)))
    cells = [c.value for row in book["成果指標"].iter_rows() for c in row]
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)
    assert any(isinstance(v, str) and v.startswith("'=HYPERLINK") for v in cells)


def test_exports_give_the_time_in_tokyo_and_the_period_of_pre_plan_years(cast, world):
    from django.utils import timezone

    from indicators import exports

    snap = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2020)
    meta = dict(row for row in exports.snapshot_meta(snap) if len(row) == 2)
    # As the ward writes it: 和暦 and the time in Tokyo.
    local = timezone.localtime(snap.computed_at)
    assert meta["集計日時"].startswith("令和")
    assert meta["集計日時"].endswith(f" {local:%H:%M}")
    by_code = {row[0]: row for row in exports.summary_rows(snap)}
    assert by_code["P1-2a"][8] == "単年度(計画開始前の年度)"
    later = services.snapshot_compute(actor=cast.indicator_officer, fiscal_year=2024)
    assert {row[0]: row for row in exports.summary_rows(later)}["P1-2a"][8] == "累計(令和4年度から)"
