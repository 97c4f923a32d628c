"""Real Celery workers on the real Redis and PostgreSQL deliver every reminder exactly once:
one worker, two workers racing, and a worker killed with SIGKILL in the middle of 1,000
deliveries. The workers are separate processes started here, on the test database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count, Q

from casework.models import Notification
from reminders import bulk, services, tasks
from reminders.models import Reminder, ReminderState

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[2]
TIME_LIMIT = 10
CLAIM_TIMEOUT = 12  # longer than the time limit, as in production


@pytest.fixture
def servers():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")
    if not settings.REDIS_URL:
        pytest.skip("needs Redis: set REDIS_URL=redis://...")
    import redis

    # The test's own Redis database: drop any message an earlier run left behind.
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Workers:
    """Celery worker processes, each in its own process group so SIGKILL takes it whole."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, concurrency: int = 2) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_DEBUG": "true",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_TASK_TIME_LIMIT": str(TIME_LIMIT),
            "CELERY_VISIBILITY_TIMEOUT": "30",
            "REMINDER_CLAIM_TIMEOUT_SECONDS": str(CLAIM_TIMEOUT),
            "REMINDER_REENQUEUE_SECONDS": "10",
            "TSUNAGU_VAR_DIR": str(self.tmp_path / "var"),
        }
        log = open(self.tmp_path / f"{name}.log", "w")  # noqa: SIM115 (closed by the process)
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                f"--concurrency={concurrency}",
                f"--hostname={name}@%h",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs[name] = proc
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if "ready." in self.log(name):
                return proc
            assert proc.poll() is None, self.log(name)
            time.sleep(0.2)
        raise AssertionError(f"worker {name} did not start:\n{self.log(name)}")

    def log(self, name: str) -> str:
        return (self.tmp_path / f"{name}.log").read_text(errors="replace")

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        for name in list(self.procs):
            proc = self.procs.pop(name)
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)


@pytest.fixture
def workers(servers, tmp_path):
    pool = Workers(tmp_path)
    yield pool
    pool.stop_all()
    connection.close()


def _quiet_cases(cast, n: int) -> list[int]:
    """n cases of agency A that have had no contact for 40 days: one reminder each."""
    return bulk.build_cases(
        n,
        agency=cast.agency_a,
        workers=[cast.csw_a],
        supervisor=cast.supervisor_a,
        quiet_days=40,
    )


def _counts() -> dict[str, int]:
    by_state = dict(
        Reminder.objects.values("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    return {state: by_state.get(state, 0) for state in ReminderState.values}


def _wait_until(condition, *, timeout: float, poll: float = 0.2, every=None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if every:
            every()
        time.sleep(poll)
    return condition()


def _delivered_once(n: int) -> dict[str, int]:
    """The proof: n reminders sent, and the worker's bell holds exactly n notifications
    (one more would be a double delivery, one fewer a lost one)."""
    notes = Notification.objects.filter(reminder__isnull=False)
    return {
        "reminders": Reminder.objects.count(),
        "sent": Reminder.objects.filter(state=ReminderState.SENT).count(),
        "notifications": notes.count(),
        "notifications_for_worker": Notification.objects.filter(
            recipient__username="csw_a"
        ).count(),
        "expected": n,
    }


def _report(capsys, title: str, figures: dict) -> None:
    with capsys.disabled():
        print(f"\n[{title}] " + ", ".join(f"{k}={v}" for k, v in figures.items()))


def test_a_real_worker_delivers_scanned_reminders(cast, workers, capsys):
    _quiet_cases(cast, 20)
    assert services.reminder_scan()["no_contact"] == 20
    workers.start("solo")
    tasks.sweep.delay()  # what beat does every minute; the worker runs it
    assert _wait_until(lambda: _counts()["sent"] == 20, timeout=60), (
        _counts(),
        workers.log("solo"),
    )
    figures = _delivered_once(20)
    _report(capsys, "one worker", figures)
    assert figures["notifications"] == figures["notifications_for_worker"] == 20


def test_two_workers_claiming_at_once_deliver_each_reminder_once(cast, workers, capsys):
    n = 400
    _quiet_cases(cast, n)
    services.reminder_scan()
    workers.start("first")
    workers.start("second")
    # Every reminder is handed out twice, so both workers race for every row. The workers
    # may already have delivered some before the second hand-out: it covers the rest.
    assert services.reminder_dispatch() == n
    Reminder.objects.update(enqueued_at=None)
    assert 0 < services.reminder_dispatch() <= n
    done = _wait_until(lambda: _counts()["pending"] == 0 and _counts()["claimed"] == 0, timeout=120)
    assert done, (_counts(), workers.log("first")[-3000:], workers.log("second")[-3000:])
    figures = _delivered_once(n)
    _report(capsys, "two workers", {**figures, **_counts()})
    assert figures["sent"] == figures["notifications"] == figures["notifications_for_worker"] == n
    assert "succeeded" in workers.log("first") and "succeeded" in workers.log("second")


def test_a_worker_killed_mid_delivery_loses_and_doubles_nothing(cast, workers, capsys):
    n = 1000
    _quiet_cases(cast, n)
    services.reminder_scan()
    assert services.reminder_dispatch() == n
    workers.start("doomed")
    # Kill it in the middle of a batch: some sent, some claimed and not yet delivered.
    started = _wait_until(
        lambda: (c := _counts())["sent"] >= 100 and c["claimed"] > 0, timeout=60, poll=0.005
    )
    assert started, (_counts(), workers.log("doomed")[-3000:])
    workers.kill("doomed")
    at_kill = _counts()
    assert 0 < at_kill["sent"] < n, "the worker finished before it could be killed"
    assert at_kill["claimed"] > 0, "the kill should interrupt a delivery in progress"

    workers.start("rescuer")
    # Beat would send a sweep every minute; here one every few seconds, so the claims
    # the dead worker left behind are released once they are older than the time limit.
    finished = _wait_until(
        lambda: _counts()["sent"] == n,
        timeout=180,
        poll=1,
        every=lambda: tasks.sweep.delay(),
    )
    assert finished, (_counts(), workers.log("rescuer")[-5000:])
    figures = _delivered_once(n)
    _report(
        capsys,
        "SIGKILL",
        {
            "sent_before_kill": at_kill["sent"],
            "claimed_at_kill": at_kill["claimed"],
            "pending_at_kill": at_kill["pending"],
            **figures,
            **_counts(),
        },
    )
    assert figures["sent"] == figures["notifications"] == figures["notifications_for_worker"] == n
    assert not Reminder.objects.filter(~Q(state=ReminderState.SENT)).exists()
