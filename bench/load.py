"""A bounded load on a running Tsunagu, for locust (headless), on the loopback only.

    locust -f bench/load.py --headless -u 50 -r 5 -t 2m --host http://127.0.0.1:8000

`manage.py bench_load` starts gunicorn and runs this with the bench accounts; run by hand, it
reads the accounts from the environment (BENCH_CSW_USERS, BENCH_SUPERVISOR_USERS,
BENCH_SEARCH_USERS: comma-separated usernames; BENCH_PASSWORD). Three kinds of user, 3:1:1:

- a CSW: 担当ケース → a case → 経過記録を追加 (the form, then the POST that saves it);
- a supervisor: ケース点検 → the agency's cases → one worker's figure (drill-down);
- a search: 本人検索 for a common surname in kana.

Each signs in once (its own session), then waits 1–3 s between pages. At the end it prints
the throughput, the p50/p95/p99 of each request and the errors. It refuses any host that
is not on this machine's loopback.
"""

from __future__ import annotations

import datetime
import itertools
import os
import random
import sys
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from locust import HttpUser, between, events, task
from locust.stats import StatsEntry

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench.scrape import hidden_fields, is_loopback, linked_ids, pad

PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-tsunagu-2026")
SEARCHES = ("さとう", "すずき", "たかはし", "たなか", "いとう", "わたなべ", "やまもと", "サトウ")
METRICS = ("active", "recent_contacts", "no_contact", "monitoring_overdue", "awaiting")
TOKYO = ZoneInfo("Asia/Tokyo")


def _accounts(variable: str, default: str) -> itertools.cycle[str]:
    names = [n for n in os.environ.get(variable, default).split(",") if n.strip()]
    return itertools.cycle([n.strip() for n in names])


CSW_ACCOUNTS = _accounts("BENCH_CSW_USERS", "bench_csw")
SUPERVISOR_ACCOUNTS = _accounts("BENCH_SUPERVISOR_USERS", "bench_supervisor")
SEARCH_ACCOUNTS = _accounts("BENCH_SEARCH_USERS", "bench_consultation")


@events.init.add_listener
def _only_loopback(environment: Any, **kwargs: Any) -> None:
    host = environment.host or ""
    if not is_loopback(host):
        sys.stderr.write(f"bench/load.py: refusing {host!r}: only the loopback (127.0.0.0/8)\n")
        sys.exit(2)


class _Signed(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    accounts: itertools.cycle[str]

    def on_start(self) -> None:
        self.username = next(self.accounts)
        page = self.client.get("/accounts/login/", name="login (form)")
        data = hidden_fields(page.text)
        data.update(username=self.username, password=PASSWORD, next="/cases/")
        with self.client.post(
            "/accounts/login/", data=data, name="login (POST)", catch_response=True
        ) as response:
            if response.status_code != 200 or urlparse(response.url).path != "/cases/":
                response.failure(f"could not sign in as {self.username}")

    def page(self, path: str, name: str) -> str:
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif urlparse(response.url).path != urlparse(path).path:
                response.failure(f"sent to {urlparse(response.url).path}")  # signed out?
            return response.text


class CaseWorker(_Signed):
    """A CSW: the list, one of their cases, and a new 経過記録."""

    weight = 3
    accounts = CSW_ACCOUNTS

    @task
    def record_contact(self) -> None:
        cases = linked_ids(self.page("/cases/", "担当ケース"), "/cases/")
        if not cases:
            return
        case = random.choice(cases)
        self.page(f"/cases/{case}/", "ケース")
        form = self.page(f"/cases/{case}/contacts/new/", "経過記録を追加 (form)")
        data = hidden_fields(form)
        now = datetime.datetime.now(TOKYO).replace(second=0, microsecond=0)
        data.update(
            occurred_at=(now - datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
            method="phone",
            minutes="10",
            summary="負荷試験: 本人に電話で様子を確認した。",
            next_action="",
        )
        with self.client.post(
            f"/cases/{case}/contacts/new/",
            data=data,
            name="経過記録を追加 (POST)",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or urlparse(response.url).path != f"/cases/{case}/":
                response.failure(f"not saved (HTTP {response.status_code}, {response.url})")


class Supervisor(_Signed):
    """A supervisor: the caseload review, the agency list, one worker's figure."""

    weight = 1
    accounts = SUPERVISOR_ACCOUNTS

    @task
    def review(self) -> None:
        workers = linked_ids(self.page("/caseload/", "ケース点検"), "/caseload/")
        self.page("/cases/?scope=agency", "機関のすべてのケース")
        if workers:
            worker, metric = random.choice(workers), random.choice(METRICS)
            self.page(f"/caseload/{worker}/?metric={metric}", "ケース点検 職員別")


class Searcher(_Signed):
    """A worker looking someone up by the kana of a common surname."""

    weight = 1
    accounts = SEARCH_ACCOUNTS

    @task
    def search(self) -> None:
        self.page(f"/persons/?q={random.choice(SEARCHES)}", "本人検索")


@events.quitting.add_listener
def _summary(environment: Any, **kwargs: Any) -> None:
    stats = environment.stats
    total = stats.total
    if not total.num_requests:
        print("bench/load.py: no requests were made")
        return
    seconds = max(1e-9, (total.last_request_timestamp or 0) - (total.start_time or 0))
    print("\nbench/load.py summary")
    print(f"  {'request':<26} {'count':>7} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        print(
            f"  {pad(entry.name, 26)} {entry.num_requests:>7} {entry.num_failures:>6} "
            f"{entry.get_response_time_percentile(0.5):>7.0f} "
            f"{entry.get_response_time_percentile(0.95):>7.0f} "
            f"{entry.get_response_time_percentile(0.99):>7.0f}"
        )
    # The pages alone: each user signs in once, at the start (a slow hash, on purpose).
    pages = StatsEntry(stats, "pages (no sign-in)", "")
    for entry in stats.entries.values():
        if not entry.name.startswith("login"):
            pages.extend(entry)
    for entry in (pages, total):
        print(
            f"  {pad(entry.name if entry is pages else 'all', 26)} {entry.num_requests:>7} "
            f"{entry.num_failures:>6} {entry.get_response_time_percentile(0.5):>7.0f} "
            f"{entry.get_response_time_percentile(0.95):>7.0f} "
            f"{entry.get_response_time_percentile(0.99):>7.0f}"
        )
    print(
        f"  throughput {total.num_requests / seconds:.1f} requests/s over {seconds:.0f} s "
        f"({pages.num_requests / seconds:.1f} pages/s); "
        f"errors {total.num_failures} ({100 * total.fail_ratio:.2f} %)"
    )
    for error in list(stats.errors.values())[:10]:
        print(f"  error x{error.occurrences}: {error.method} {error.name}: {error.error}")
