"""The return's pages, on the hand-built ward (tests/returns/conftest.py; who is who and the
known answers: tests/returns/test_figures.py): who may open which, what the snapshot page
and the drill-down show, what they log, and the forms that compute and approve."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework.models import AccessLog, Agency, Role
from config.celery import app as celery_app
from indicators.selectors import current_fiscal_year
from returns import definitions, services
from returns.models import ReturnSnapshot
from tests.factories import AgencyFactory, StaffFactory

pytestmark = pytest.mark.django_db

# The family names of the fixture's persons (A…G): no page of the ward's planner shows one.
FAMILY_NAMES = ("青木", "馬場", "千葉", "土井", "後藤", "江藤", "福田")
INDEX = reverse("returns:index")
SNAPSHOT = reverse("returns:snapshot")
DRILL = reverse("returns:drill")
EXPORT_CSV = reverse("returns:export_csv")
EXPORT_XLSX = reverse("returns:export_xlsx")
COMPUTE = reverse("returns:compute")
APPROVE = reverse("returns:snapshot_approve")


@pytest.fixture
def csw(db):
    csw_agency = AgencyFactory(name="社協", kind=Agency.Kind.CSW)
    return StaffFactory(username="csw", agency=csw_agency, role=Role.CSW)


@pytest.fixture
def eager_celery():
    """The task runs in the test's process, as tests/reminders/conftest.py runs them."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def sv(ward, key):
    return ward["desks"][key].supervisor


def compute(actor, fy=2025):
    return services.return_compute(actor=actor, fiscal_year=fy)


def ref(fy=2025, n=1, **more) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"fy": fy, "n": n, **more}.items())
    return f"?{query}"


def get_urls(fy=2025, n=1) -> list[str]:
    return [
        INDEX,
        SNAPSHOT + ref(fy, n),
        EXPORT_CSV + ref(fy, n),
        EXPORT_XLSX + ref(fy, n),
        DRILL + ref(fy, n, item="R01", month="2025-04-01"),
        DRILL + ref(fy, n, item="R01"),
    ]


def text_of(fragment: str) -> str:
    return re.sub(r"<[^>]+>", "", fragment).strip()


def item_row(html: str, code: str) -> str:
    match = re.search(rf'<tr id="{code}">(.*?)</tr>', html, re.S)
    assert match, f"no row of {code}"
    return match.group(1)


def figures(html: str, code: str) -> list[str]:
    """The twelve months and the year of one item, as the page prints them."""
    cells = re.findall(r'<td class="num[^"]*">(.*?)</td>', item_row(html, code), re.S)
    return [text_of(c) for c in cells]


def breakdown(html: str) -> dict[str, dict[str, str]]:
    """The breakdown as printed: each item's year figure by agency."""
    section = html.split("<h2>機関別の内訳</h2>", 1)[1].split("</table>", 1)[0]
    names = [text_of(n) for n in re.findall(r'<th scope="col">(.*?)</th>', section, re.S)][1:]
    rows = re.findall(r'<tr><th scope="row">(\w+) .*?</th>(.*?)</tr>', section, re.S)
    return {
        code: dict(
            zip(
                names,
                [text_of(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)],
                strict=True,
            )
        )
        for code, cells in rows
    }


def token(client, url: str, action: str) -> str:
    """The one-time token of the form that posts to `action` on the page at `url`."""
    page = client.get(url).content.decode()
    form = re.search(rf'<form method="post" action="{re.escape(action)}".*?</form>', page, re.S)
    assert form, f"no form posting to {action} on {url}"
    return form.group(0).split('name="form_once" value="')[1].split('"')[0]


def new_rows(before: int) -> list[AccessLog]:
    return list(AccessLog.objects.filter(pk__gt=before).order_by("pk"))


def last_log() -> int:
    return AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def ids(text: str) -> set[int]:
    return {int(i) for i in text.strip(",").split(",") if i}


# --- who opens what ----------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, ward):
    compute(sv(ward, "j1"))
    for url in get_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    for url in (COMPUTE, APPROVE):
        response = client.post(url, {"fy": 2025, "n": 1, "fiscal_year": 2025})
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert ReturnSnapshot.objects.get().state == "draft"


@pytest.mark.parametrize("who", ["worker_j1", "worker_j2", "csw", "sv_o", "worker_o"])
def test_no_return_page_opens_to_anyone_else(client, ward, csw, who, monkeypatch):
    from returns import tasks

    enqueued = []
    monkeypatch.setattr(tasks.compute_return, "delay", lambda *a: enqueued.append(a))
    compute(sv(ward, "j1"))
    if who == "csw":
        user = csw
    else:
        role, key = who.split("_")
        user = getattr(ward["desks"][key], "worker" if role == "worker" else "supervisor")
    client.force_login(user)
    for url in get_urls():
        assert client.get(url).status_code == 403, url
    assert client.post(COMPUTE, {"fiscal_year": 2025}).status_code == 403
    assert client.post(APPROVE, {"fy": 2025, "n": 1}).status_code == 403
    assert enqueued == []
    assert ReturnSnapshot.objects.get().state == "draft"


def test_an_agencys_supervisor_sees_their_agencys_returns_only(client, ward):
    mine = compute(sv(ward, "j1"))
    theirs = compute(sv(ward, "j2"))
    theirs_later = compute(sv(ward, "j2"))
    assert (mine.number, theirs.number, theirs_later.number) == (1, 1, 2)
    client.force_login(sv(ward, "j1"))
    # 第1版 of FY2025 is J1's own for J1's supervisor: J2's twin is never shown.
    page = client.get(SNAPSHOT + ref(2025, 1)).content.decode()
    assert ward["j1"].name in page and ward["j2"].name not in page
    assert figures(page, "R01")[0] == "3"  # J1's April (J2's is 1)
    # J2's 第2版 has no J1 twin: it does not exist for J1.
    for url in (SNAPSHOT, EXPORT_CSV, EXPORT_XLSX):
        assert client.get(url + ref(2025, 2)).status_code == 404, url
    assert client.get(DRILL + ref(2025, 2, item="R01")).status_code == 404
    index = client.get(INDEX).content.decode()
    assert ward["j1"].name in index
    assert "n=1" in index and "n=2" not in index
    # And the other way round.
    client.force_login(sv(ward, "j2"))
    page = client.get(SNAPSHOT + ref(2025, 2)).content.decode()
    assert ward["j2"].name in page and figures(page, "R01")[0] == "1"


def test_the_officer_sees_the_wards_return_only(client, ward, officer):
    compute(sv(ward, "j1"))
    compute(sv(ward, "j1"))
    compute(officer)
    client.force_login(officer)
    page = client.get(SNAPSHOT + ref(2025, 1)).content.decode()
    assert "目黒区(区全体)" in page
    assert figures(page, "R01")[0] == "4"  # the ward's April: J1's 3 and J2's 1
    assert figures(page, "R01")[-1] == "5"
    # J1's 第2版 is not the ward's.
    assert client.get(SNAPSHOT + ref(2025, 2)).status_code == 404
    index = client.get(INDEX).content.decode()
    assert "n=1" in index and "n=2" not in index


def test_unknown_or_malformed_snapshots_are_404(client, ward):
    compute(sv(ward, "j1"))
    client.force_login(sv(ward, "j1"))
    for query in ("", "?fy=2025&n=9", "?fy=x&n=1", "?fy=2025&n=-1", f"?fy=2025&n={2**70}"):
        for url in (SNAPSHOT, EXPORT_CSV, EXPORT_XLSX):
            assert client.get(url + query).status_code == 404, (url, query)
    assert client.post(APPROVE, {"fy": "x"}).status_code == 404
    assert client.post(APPROVE, {"fy": 2025, "n": 9}).status_code == 404


# --- the snapshot page -------------------------------------------------------------------


def test_the_page_shows_each_rule_beside_its_figures_and_links_to_the_drill(client, ward):
    compute(sv(ward, "j1"))
    client.force_login(sv(ward, "j1"))
    response = client.get(SNAPSHOT + ref())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    for item in definitions.ITEMS:
        row = item_row(page, item.code)
        assert item.name_ja in row and item.rule in row, item.code
    assert "就労支援」の印がついた行を含むプランの本人の実人数" in item_row(page, "R03")
    assert figures(page, "R01") == ["3", "1", *["0"] * 10, "4"]
    assert figures(page, "R08")[-1] == "2"
    assert figures(page, "R09")[0] == "100.0%1/1"  # April: A improved
    assert figures(page, "R09")[-1] == "0.0%0/2"  # the year: A and C, neither improved
    # Every figure opens the records behind it.
    april = f"{DRILL}?fy=2025&amp;n=1&amp;item=R01&amp;month=2025-04-01"
    assert f'<a href="{april}">3</a>' in page
    assert f'<a href="{DRILL}?fy=2025&amp;n=1&amp;item=R01">4</a>' in page
    for item in definitions.ITEMS[:-1]:
        assert item_row(page, item.code).count(f'href="{DRILL}?') == 13, item.code
    # A rate nobody is in ("—": July to March) has nothing behind it.
    assert item_row(page, "R09").count(f'href="{DRILL}?') == 4
    # The improvement per change item of the year.
    assert "変化項目別の改善(年度)" in page
    assert re.search(r"<th scope=\"row\">生活習慣・健康</th><td class=\"num\">0</td>", page)


def test_the_officers_page_has_no_drill_and_hides_small_cells(client, ward, officer, settings):
    settings.INDICATORS_SUPPRESSION_K = 2
    compute(officer)
    client.force_login(officer)
    page = client.get(SNAPSHOT + ref()).content.decode()
    assert DRILL not in page
    assert figures(page, "R02")[:2] == ["3", "2"]  # the ward's own figures, all shown
    shown = breakdown(page)
    j1, j2 = ward["j1"].name, ward["j2"].name
    # The years: R02 J1 4, J2 1 (hidden, and J1's with it); R08 J1 2, J2 0 (shown).
    assert shown["R02"] == {j1: "*", j2: "*"}
    assert shown["R08"] == {j1: "2", j2: "0"}
    # R09: J2's one improved person is hidden, and J1's rate with it.
    assert shown["R09"] == {j1: "*", j2: "*"}
    # No month is broken down by agency.
    assert page.split("<h2>機関別の内訳</h2>", 1)[1].count("April") == 0


def test_the_officers_pages_and_files_name_nobody(client, ward, officer, settings):
    settings.INDICATORS_SUPPRESSION_K = 2
    compute(officer)
    client.force_login(officer)
    texts = [client.get(url).content.decode() for url in (INDEX, SNAPSHOT + ref())]
    csv_response = client.get(EXPORT_CSV + ref())
    texts.append(csv_response.content.decode("utf-8-sig"))
    xlsx_response = client.get(EXPORT_XLSX + ref())
    book = load_workbook(io.BytesIO(xlsx_response.content))
    texts.append(
        "\n".join(str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row)
    )
    texts += [csv_response["Content-Disposition"], xlsx_response["Content-Disposition"]]
    assert "機関別" in book.sheetnames  # the breakdown is in the file
    for text in texts:
        for name in (*FAMILY_NAMES, "太郎"):
            assert name not in text
    assert "自立相談支援機関J1" in texts[-3]  # the agencies are named, the persons never


def test_exports_are_attachments_named_by_year_scope_and_version(client, ward, officer):
    compute(sv(ward, "j1"))
    compute(officer)
    client.force_login(sv(ward, "j1"))
    response = client.get(EXPORT_CSV + ref())
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == (
        f'attachment; filename="return_FY2025_agency{ward["j1"].pk}_v1.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    r01 = next(r for r in rows if r and r[0] == "R01")
    assert r01[4:17] == ["3", "1", *["0"] * 10, "4"]
    response = client.get(EXPORT_XLSX + ref())
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="return_FY2025_agency{ward["j1"].pk}_v1.xlsx"'
    )
    load_workbook(io.BytesIO(response.content))
    client.force_login(officer)
    for url, ext in ((EXPORT_CSV, "csv"), (EXPORT_XLSX, "xlsx")):
        response = client.get(url + ref())
        assert response.status_code == 200
        disposition = response["Content-Disposition"]
        assert disposition == f'attachment; filename="return_FY2025_ward_v1.{ext}"'


def test_the_page_in_english(client, ward):
    compute(sv(ward, "j1"))
    client.force_login(sv(ward, "j1"))
    client.cookies["django_language"] = "en"
    page = client.get(SNAPSHOT + ref()).content.decode()
    assert '<html lang="en"' in page
    header = re.search(r"<thead>(.*?)</thead>", page.split("return-figures", 1)[1], re.S).group(1)
    assert [text_of(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", header)][1:4] == [
        "April",
        "May",
        "June",
    ]
    assert "4月" not in header
    row = item_row(page, "R01")
    assert "New consultations received" in row and "新規相談受付件数" not in row
    assert "Intakes whose date of receipt lies in the period." in row
    assert definitions.BY_CODE["R01"].rule not in row
    assert figures(page, "R01")[0] == "3"


# --- the drill-down ----------------------------------------------------------------------


def test_compute_enqueues_once_per_form(
    client, ward, eager_celery, django_capture_on_commit_callbacks
):
    client.force_login(sv(ward, "j1"))
    once = token(client, INDEX, COMPUTE)
    data = {"fiscal_year": "2025", "form_once": once}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(COMPUTE, data)
    assert response.status_code == 302 and response.url == INDEX
    snap = ReturnSnapshot.objects.get()
    assert (snap.agency, snap.fiscal_year, snap.number) == (ward["j1"], 2025, 1)
    assert snap.state == "draft" and snap.computed_via == "task"
    assert snap.values["months"][0]["figures"]["R01"]["value"] == 3
    # The same form again (a double click): nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(COMPUTE, data, follow=True)
    assert "二重送信" in again.content.decode()
    assert ReturnSnapshot.objects.count() == 1
    # A new form computes a new version.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(COMPUTE, {"fiscal_year": "2025", "form_once": token(client, INDEX, COMPUTE)})
    assert list(ReturnSnapshot.objects.values_list("number", flat=True)) == [2, 1]


def test_compute_refuses_a_year_outside_the_choices(client, ward, monkeypatch):
    from returns import tasks

    enqueued = []
    monkeypatch.setattr(tasks.compute_return, "delay", lambda *a: enqueued.append(a))
    client.force_login(sv(ward, "j1"))
    response = client.post(COMPUTE, {"fiscal_year": "1900"}, follow=True)
    assert "年度を選んでください" in response.content.decode()
    assert enqueued == []


def test_approving_a_year_still_running_asks_for_the_confirmation(client, ward):
    fy = current_fiscal_year()
    snap = compute(sv(ward, "j1"), fy=fy)
    client.force_login(sv(ward, "j1"))
    page = client.get(SNAPSHOT + ref(fy, 1)).content.decode()
    assert "年度途中の集計であることを確認しました" in page
    response = client.post(APPROVE, {"fy": fy, "n": 1})
    assert response.status_code == 400
    assert re.search(
        r'id="id_partial_year_confirmed_error">年度途中の集計です。', response.content.decode()
    )
    snap.refresh_from_db()
    assert snap.state == "draft"
    response = client.post(APPROVE, {"fy": fy, "n": 1, "partial_year_confirmed": "on"})
    assert response.status_code == 302 and response.url == SNAPSHOT + ref(fy, 1)
    snap.refresh_from_db()
    assert snap.is_approved and snap.approved_by == sv(ward, "j1")
    # An approved version has no approval form any more, and a second POST is refused.
    page = client.get(SNAPSHOT + ref(fy, 1)).content.decode()
    assert f'action="{APPROVE}"' not in page
    again = client.post(APPROVE, {"fy": fy, "n": 1, "partial_year_confirmed": "on"})
    assert again.status_code == 400
    assert "この集計はすでに承認されています。" in again.content.decode()
    assert ReturnSnapshot.objects.filter(state="approved").count() == 1


def test_a_replacement_through_the_page_asks_for_a_reason(client, ward):
    actor = sv(ward, "j1")
    first = services.return_approve(actor=actor, snapshot=compute(actor))
    second = compute(actor)
    client.force_login(actor)
    page = client.get(SNAPSHOT + ref(2025, 2)).content.decode()
    assert "承認済みの第1版があります" in page
    response = client.post(APPROVE, {"fy": 2025, "n": 2})
    assert response.status_code == 400
    assert 'id="id_reason_error">この年度には承認済みの第1版があります。' in (
        response.content.decode()
    )
    second.refresh_from_db()
    assert second.state == "draft"
    assert client.post(APPROVE, {"fy": 2025, "n": 2, "reason": "訂正を反映"}).status_code == 302
    second.refresh_from_db()
    assert second.is_approved and second.supersedes_id == first.pk
    old = client.get(SNAPSHOT + ref(2025, 1)).content.decode()
    assert "この版は差し替え済みです。この年度の値は第2版です。" in old


def test_the_officer_approves_the_wards_return_on_its_page(client, ward, officer):
    snap = compute(officer)
    client.force_login(sv(ward, "j1"))
    # J1's supervisor naming 第1版 names J1's own, of which there is none.
    assert client.post(APPROVE, {"fy": 2025, "n": 1}).status_code == 404
    client.force_login(officer)
    assert client.post(APPROVE, {"fy": 2025, "n": 1}).status_code == 302
    snap.refresh_from_db()
    assert snap.is_approved and snap.approved_by == officer
