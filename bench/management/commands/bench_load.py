"""`manage.py bench_load [--users 50] [--minutes 2]`: gunicorn and locust, on the loopback.

Starts gunicorn (2 sync workers, DEBUG off, a throwaway secret key and static root) on a
free port of 127.0.0.1 against the database DATABASE_URL points at, runs bench/load.py
headless with locust for the given time, then stops both. It prints locust's figures and
the load script's summary: throughput, p50/p95/p99 per request, errors.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Q

from bench import staff
from casework.models import Role

BASE_DIR = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Command(BaseCommand):
    help = "Run the bounded locust load (bench/load.py) against a gunicorn it starts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--minutes", type=float, default=2.0)
        parser.add_argument("--spawn-rate", type=float, default=5.0, help="users started per s")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")

    def handle(
        self, *args: Any, users: int, minutes: float, spawn_rate: float, workers: int, **o: Any
    ) -> None:
        if not 1 <= users <= 500 or not 0 < minutes <= 30:
            raise CommandError("--users 1..500 and --minutes up to 30: the load stays bounded")
        if shutil.which("locust", path=str(Path(sys.executable).parent)) is None:
            try:
                import locust  # noqa: F401
            except ImportError:
                raise CommandError(
                    "locust is not installed: pip install -e '.[dev]' (it is a dev extra)"
                ) from None
        accounts = self._accounts()
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        static_root = tempfile.mkdtemp(prefix="tsunagu-bench-static-")
        env = dict(os.environ)
        env.update(
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_HTTPS="false",
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_STATIC_ROOT=static_root,
            DJANGO_LOG_LEVEL="WARNING",
        )
        python = sys.executable
        server: subprocess.Popen[bytes] | None = None
        try:
            subprocess.run(
                [python, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=BASE_DIR,
                env=env,
                check=True,
            )
            server = subprocess.Popen(
                [python, "-m", "gunicorn", "config.wsgi:application", "--workers", str(workers),
                 "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"],
                cwd=BASE_DIR,
                env=env,
                start_new_session=True,  # its own process group: stopped as one below
            )  # fmt: skip
            self._wait_for(url, server)
            self.stdout.write(
                f"gunicorn: {workers} sync workers on {url} (DEBUG off), database "
                f"{settings.DATABASES['default'].get('NAME')}; locust: {users} users "
                f"(CSW : supervisor : search = 3 : 1 : 1) for {minutes:g} min\n"
            )
            self.stdout.flush()
            load_env = dict(env, PYTHONPATH=str(BASE_DIR), **accounts)
            load_env["BENCH_PASSWORD"] = staff.PASSWORD
            subprocess.run(
                [python, "-m", "locust", "-f", str(BASE_DIR / "bench" / "load.py"), "--headless",
                 "--users", str(users), "--spawn-rate", str(spawn_rate),
                 "--run-time", f"{round(minutes * 60)}s", "--host", url, "--only-summary",
                 "--stop-timeout", "10", "--loglevel", "WARNING"],
                cwd=BASE_DIR,
                env=load_env,
                timeout=minutes * 60 + 180,
                check=False,
            )  # fmt: skip
        finally:
            if server is not None:
                self._stop(server)
            shutil.rmtree(static_root, ignore_errors=True)

    def _accounts(self) -> dict[str, str]:
        UserModel = get_user_model()
        bench = UserModel.objects.filter(username__startswith=staff.USER_PREFIX)
        csw = list(
            bench.filter(membership__role=Role.CSW)
            .annotate(n=Count("case_assignments", filter=Q(case_assignments__ended_at=None)))
            .filter(n__gt=0)
            .order_by("-n", "pk")
            .values_list("username", flat=True)[:30]
        )
        supervisors = list(
            bench.filter(membership__role=Role.SUPERVISOR)
            .order_by("pk")
            .values_list("username", flat=True)[:10]
        )
        search = list(
            bench.filter(membership__role=Role.CONSULTATION)
            .order_by("pk")
            .values_list("username", flat=True)[:10]
        )
        if not (csw and supervisors and search):
            raise CommandError("No bench accounts in this database: run bench_build first.")
        for preferred, names in ((staff.CSW, csw), (staff.SUPERVISOR, supervisors),
                                 (staff.CONSULTATION, search)):  # fmt: skip
            if preferred in names:
                names.remove(preferred)
                names.insert(0, preferred)
        return {
            "BENCH_CSW_USERS": ",".join(csw),
            "BENCH_SUPERVISOR_USERS": ",".join(supervisors),
            "BENCH_SEARCH_USERS": ",".join(search),
        }

    def _wait_for(self, url: str, server: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError(f"gunicorn exited with {server.returncode}")
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise CommandError("gunicorn did not answer /healthz within 60 s")

    def _stop(self, server: subprocess.Popen[bytes]) -> None:
        if server.poll() is not None:
            return
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
