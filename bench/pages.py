"""bench_pages: the server time of every daily page, for each role that uses it.

Each page is requested in-process through django.test.Client with DEBUG off, once to warm
up and then --runs times; only the request is timed. Queries are counted with
CaptureQueriesContext. For 担当ケース and the supervisor's agency list, a hand-written
indexed SQL query for the same first page (its rows and its count) runs alternately with the
page, and the page's case ids must be the query's, in the same order.
"""

from __future__ import annotations

import math
import re
import statistics
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.scrape import pad
from casework.models import Case, CaseAssignment, CaseStatus, ContactRecord
from casework.pages import PAGE_SIZE

if TYPE_CHECKING:
    from django.contrib.auth.models import User

CASE_METRICS = ("active", "recent_contacts", "no_contact", "monitoring_overdue", "awaiting")
BACKEND = "directory.local.LocalAccountBackend"

# The first page of a worker's open (or closed) assigned cases, newest first, as 担当ケース
# shows it: the assignment index (worker, ended_at), the case, its person and agency, and
# the last contact through the (case, -occurred_at) index.
_COLUMNS = """
    SELECT c.id, c.opened_on, c.status, c.main_concern, p.family_name, p.given_name,
           p.family_name_kana, p.given_name_kana, a.name,
           (SELECT MAX(r.occurred_at) FROM casework_contactrecord r
             WHERE r.case_id = c.id AND r.voided_at IS NULL) AS last_contact_at
"""
ASSIGNED_ROWS = (
    _COLUMNS
    + """
    FROM casework_caseassignment ca
    JOIN casework_case c ON c.id = ca.case_id
    JOIN casework_person p ON p.id = c.person_id
    JOIN casework_agency a ON a.id = c.owning_agency_id
    WHERE ca.worker_id = %s AND ca.ended_at IS NULL AND c.status <> 'closed'
    ORDER BY c.opened_on DESC, c.id DESC
    LIMIT %s
"""
)
ASSIGNED_COUNT = """
    SELECT COUNT(*) FROM casework_caseassignment ca JOIN casework_case c ON c.id = ca.case_id
    WHERE ca.worker_id = %s AND ca.ended_at IS NULL AND c.status <> 'closed'
"""
# The supervisor's 機関のすべてのケース: the (owning_agency, status) index.
AGENCY_ROWS = (
    _COLUMNS
    + """
    FROM casework_case c
    JOIN casework_person p ON p.id = c.person_id
    JOIN casework_agency a ON a.id = c.owning_agency_id
    WHERE c.owning_agency_id = %s AND c.status <> 'closed'
    ORDER BY c.opened_on DESC, c.id DESC
    LIMIT %s
"""
)
AGENCY_COUNT = """
    SELECT COUNT(*) FROM casework_case c WHERE c.owning_agency_id = %s AND c.status <> 'closed'
"""


@dataclass
class HandSQL:
    rows: str
    count: str
    param: int

    def run(self) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(self.rows, [self.param, PAGE_SIZE])
            ids = [row[0] for row in cursor.fetchall()]
            cursor.execute(self.count, [self.param])
            cursor.fetchall()
        return ids


@dataclass
class Page:
    label: str
    role: str
    url: str
    compare: HandSQL | None = None


@dataclass
class Result:
    page: Page
    status: int = 0
    server_ms: list[float] = field(default_factory=list)
    db_ms: list[float] = field(default_factory=list)
    case_db_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    queries: int = 0
    ids_match: bool | None = None
    ids_note: str = ""


@dataclass
class Cast:
    users: dict[str, User]  # role → user

    def open_assigned(self, user: User, closed: bool = False) -> int:
        cases = CaseAssignment.objects.filter(worker=user, ended_at__isnull=True)
        if closed:
            return cases.filter(case__status=CaseStatus.CLOSED).count()
        return cases.exclude(case__status=CaseStatus.CLOSED).count()

    def agency_open(self, user: User) -> int:
        return (
            Case.objects.filter(owning_agency_id=user.membership.agency_id)
            .exclude(status=CaseStatus.CLOSED)
            .count()
        )

    def case_with_contacts(self, user: User, wanted: int = 80) -> int | None:
        """The user's assigned case whose number of contact records is nearest `wanted`."""
        case_ids = CaseAssignment.objects.filter(worker=user, ended_at__isnull=True).values(
            "case_id"
        )
        counts: dict[int, int] = {}
        for case_id in ContactRecord.objects.filter(case_id__in=case_ids).values_list(
            "case_id", flat=True
        ):
            counts[case_id] = counts.get(case_id, 0) + 1
        if not counts:
            return None
        return min(counts, key=lambda pk: (abs(counts[pk] - wanted), pk))


def last_page_cursor(user: User, **scope: Any) -> str:
    """`?after=` of 担当ケース's last page (keyset paging): the id of the case just before it,
    in the list's own order, read through the list's own selector."""
    from casework import selectors

    ids = list(selectors.my_cases(user, **scope).values_list("pk", flat=True))
    if len(ids) <= PAGE_SIZE:
        return ""
    last_start = (len(ids) - 1) // PAGE_SIZE * PAGE_SIZE
    return str(ids[last_start - 1])


def plan(cast: Cast) -> list[Page]:
    csw, sv = cast.users["csw"], cast.users["supervisor"]
    consultation, officer = cast.users["consultation"], cast.users["officer"]
    mine = reverse("casework:my_cases")
    pages: list[Page] = []

    def add(label: str, url: str, *roles: str, compare: Callable[[User], HandSQL] | None = None):
        for role in roles:
            user = cast.users[role]
            pages.append(Page(label, role, url, compare(user) if compare else None))

    def assigned(user: User) -> HandSQL:
        return HandSQL(ASSIGNED_ROWS, ASSIGNED_COUNT, user.pk)

    def agency(user: User) -> HandSQL:
        return HandSQL(AGENCY_ROWS, AGENCY_COUNT, user.membership.agency_id)

    add("担当ケース", mine, "csw", "consultation", compare=assigned)
    for role, user in (("csw", csw), ("consultation", consultation)):
        after = last_page_cursor(user)
        pages.append(Page("担当ケース 最後のページ", role, f"{mine}?after={after}"))
    add("担当ケース 共有されたケース", f"{mine}?scope=shared", "csw", "consultation")
    add("担当ケース 終結", f"{mine}?closed=1", "csw")
    after = last_page_cursor(csw, closed=True)
    add("担当ケース 終結 最後のページ", f"{mine}?closed=1&after={after}", "csw")
    add("機関のすべてのケース", f"{mine}?scope=agency", "supervisor", compare=agency)
    after = last_page_cursor(sv, scope="agency")
    add("機関のすべてのケース 最後のページ", f"{mine}?scope=agency&after={after}", "supervisor")
    case = cast.case_with_contacts(csw)
    if case is not None:
        count = ContactRecord.objects.filter(case_id=case).count()
        detail = reverse("casework:case_detail", kwargs={"pk": case})
        add(f"ケース(経過記録{count}件)", detail, "csw", "supervisor")
    search = reverse("casework:person_search")
    add("本人検索 さとう", f"{search}?q=さとう", "csw", "consultation", "supervisor")
    # Two characters: the bigram index, not the trigram one (PostgreSQL).
    add("本人検索 佐藤", f"{search}?q=佐藤", "csw", "consultation", "supervisor")
    add("ケース点検", reverse("casework:caseload"), "supervisor")
    worker = reverse("casework:caseload_worker", kwargs={"pk": csw.pk})
    for metric in CASE_METRICS:
        add(f"ケース点検 職員別 {metric}", f"{worker}?metric={metric}", "supervisor")
    add("受け取ったつなぎ", reverse("referrals:inbox"), "csw", "consultation", "supervisor")
    add("送ったつなぎ", reverse("referrals:outbox"), "csw", "consultation")
    log = reverse("casework:access_log")
    add("アクセス記録", log, "supervisor")
    add("アクセス記録 職員で絞り込み", f"{log}?worker={csw.pk}", "supervisor")
    add("見守り通報(トリアージ)", reverse("outreach:reports"), "csw", "consultation")
    add("訪問予定", reverse("outreach:visits"), "csw", "consultation")
    add("会議", reverse("casework:meeting_list"), "csw", "supervisor")
    add("今日", reverse("casework:home"), "csw", "consultation", "supervisor")
    add("お知らせ", reverse("casework:notifications"), "csw", "consultation", "supervisor")
    add("指標ダッシュボード", reverse("indicators:dashboard"), "officer", "supervisor")
    assert officer is cast.users["officer"]
    return pages


def case_ids_in(html: str) -> list[int]:
    """The case ids a page links to, in the order it shows them (each once)."""
    prefix = reverse("casework:case_detail", kwargs={"pk": 1})[: -len("1/")]
    seen: list[int] = []
    for match in re.finditer(re.escape(f'href="{prefix}') + r'(\d+)/"', html):
        pk = int(match.group(1))
        if pk not in seen:
            seen.append(pk)
    return seen


class _QueryTimer:
    """Each statement's own time, to the microsecond (the captured times are rounded to
    the millisecond)."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, float]] = []

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.entries.append((sql, (time.perf_counter() - started) * 1000))


def measure(
    pages: list[Page], cast: Cast, runs: int, progress: Callable[[str], None]
) -> list[Result]:
    clients: dict[str, Client] = {}
    for role, user in cast.users.items():
        client = Client(raise_request_exception=False)
        client.force_login(user, backend=BACKEND)
        clients[role] = client
    results = []
    for page in pages:
        client = clients[page.role]
        result = Result(page)
        response = client.get(page.url, secure=True)  # warm-up: templates, caches, plans
        result.status = response.status_code
        if page.compare is not None and response.status_code == 200:
            shown = case_ids_in(response.content.decode())[:PAGE_SIZE]
            expected = page.compare.run()
            result.ids_match = shown == expected
            if not result.ids_match:
                result.ids_note = f"page {shown[:5]}… ≠ SQL {expected[:5]}…"
        for _ in range(runs):
            timer = _QueryTimer()
            with connection.execute_wrapper(timer), CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(page.url, secure=True)
                result.server_ms.append((time.perf_counter() - started) * 1000)
            result.status = response.status_code
            result.queries = len(captured.captured_queries)
            times = timer.entries
            result.db_ms.append(sum(t for _sql, t in times))
            result.case_db_ms.append(sum(t for sql, t in times if '"casework_case"' in sql))
            if page.compare is not None:
                started = time.perf_counter()
                page.compare.run()
                result.sql_ms.append((time.perf_counter() - started) * 1000)
        progress(f"{page.label} / {page.role}: {statistics.median(result.server_ms):.1f} ms")
        results.append(result)
    return results


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(results: list[Result]) -> list[str]:
    label_w = max([_width(r.page.label) for r in results] + [4]) + 1
    head = (
        f"{pad('page', label_w)} {'role':<12} {'HTTP':>4} {'median':>8} {'p95':>8} "
        f"{'queries':>7} {'db':>7} {'sql':>7} {'×sql':>6} {'db×sql':>6}  ids"
    )
    lines = [head, "-" * _width(head)]
    for r in results:
        med = statistics.median(r.server_ms) if r.server_ms else float("nan")
        high = p95(r.server_ms) if r.server_ms else float("nan")
        db = statistics.median(r.db_ms) if r.db_ms else float("nan")
        sql = ratio = db_ratio = "—"
        if r.sql_ms:
            sql_med = statistics.median(r.sql_ms)
            sql = f"{sql_med:.1f}"
            ratio = f"{med / sql_med:.1f}"
            db_ratio = f"{statistics.median(r.case_db_ms) / sql_med:.1f}"
        ids = "" if r.ids_match is None else ("same" if r.ids_match else "DIFFER " + r.ids_note)
        lines.append(
            f"{pad(r.page.label, label_w)} {r.page.role:<12} {r.status:>4} {med:8.1f} "
            f"{high:8.1f} {r.queries:>7} {db:7.1f} {sql:>7} {ratio:>6} {db_ratio:>6}  {ids}"
        )
    return lines
