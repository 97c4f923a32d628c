"""The security log's events as one line of JSON each, for the ward's log server: the line
equals the row, goes out only once committed, never carries a secret, and reaches a real
syslog socket."""

import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from security import events, settings_watch
from security.models import EventKind, SecurityEvent
from tests.casework.admin_helpers import OLD_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def _login(client, username, password=OLD_PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_a_changed_secret_is_named_without_its_value(settings, mark, lines):
    settings_watch.check()
    start = len(mark())
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    assert settings_watch.check() is True
    (event,) = mark()[start:]
    assert (event.kind, event.detail) == ("settings_change", "SECRET_KEY")
    line = lines()[-1]
    assert json.loads(line)["detail"] == "SECRET_KEY"
    for secret in (old, settings.SECRET_KEY):
        assert secret not in line
        assert secret not in str(settings_watch.current())


# --- the JSON lines ---------------------------------------------------------------------------


@pytest.fixture
def lines(caplog, monkeypatch):
    """The security logger's lines so far, as a function. The logger does not propagate to
    the root (config/settings.py); should caplog's handler not be on the logger itself, the
    test puts it there for its duration. A line goes out when its event is committed: in
    the test's transaction, at once (test_a_rolled_back_event_sends_no_line tests the wait)."""
    monkeypatch.setattr(events.transaction, "on_commit", lambda send, **kw: send())
    security = logging.getLogger("tsunagu.security")
    added = caplog.handler not in security.handlers
    if added:
        security.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="tsunagu.security")
    yield lambda: [r.getMessage() for r in caplog.records if r.name == "tsunagu.security"]
    if added:
        security.removeHandler(caplog.handler)


def test_each_events_json_line_equals_its_row(client, cast, mark, lines):
    _login(client, "csw_a", REMOTE_ADDR="10.1.2.3")
    _login(Client(), "csw_a", "wrong")
    _login(Client(), "no_such_worker", "guess", REMOTE_ADDR="10.4.4.4")
    client.post(reverse("logout"))
    events = mark()
    assert [e.kind for e in events] == ["login", "login_failed", "login_failed", "logout"]
    parsed = [json.loads(line) for line in lines()]
    assert len(parsed) == len(events)
    for line, event in zip(parsed, events, strict=True):
        assert line == {
            "event": "tsunagu.security",
            "id": event.pk,
            "at": event.at.isoformat(),
            "kind": event.kind,
            "result": event.result,
            "actor": event.actor.username if event.actor else None,
            "subject": event.subject.username if event.subject else None,
            "username": event.username,
            "agency_id": event.agency_id,
            "address": event.address,
            "detail": event.detail,
        }
    assert parsed[2]["subject"] is None and parsed[2]["username"] == "no_such_worker"
    assert parsed[2]["address"] == "10.4.4.4"


def test_a_rolled_back_event_sends_no_line(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as sent:
        with pytest.raises(RuntimeError), transaction.atomic():
            events.record(EventKind.SETTINGS_CHANGE, system=True, detail="rolled back")
            raise RuntimeError
        events.record(EventKind.SETTINGS_CHANGE, system=True, detail="kept")
    assert len(sent) == 1
    assert list(SecurityEvent.objects.values_list("detail", flat=True)) == ["kept"]


def test_the_json_lines_go_to_the_syslog_server():
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(30)
    port = receiver.getsockname()[1]
    line = json.dumps(
        {"event": "tsunagu.security", "kind": "login", "id": 42}, separators=(",", ":")
    )
    code = (
        "import django, logging\n"
        "django.setup()\n"
        f"logging.getLogger('tsunagu.security').info({line!r})\n"
        "logging.shutdown()\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="true",
        SECURITY_SYSLOG=f"udp://127.0.0.1:{port}",
    )
    try:
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        datagram = receiver.recv(65535).decode("utf-8")
    finally:
        receiver.close()
    assert line in datagram
    assert "tsunagu: " in datagram
    # The console line is the same JSON, alone on its line.
    assert line in result.stderr.splitlines()
