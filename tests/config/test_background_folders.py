"""Background work without servers keeps all its files under TSUNAGU_VAR_DIR."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SEND = """
import django
django.setup()
from config.celery import app
app.send_task("reminders.scan")
"""


def test_the_embedded_queue_writes_nothing_where_the_process_was_started(tmp_path):
    var, elsewhere = tmp_path / "var", tmp_path / "started-here"
    elsewhere.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_"))
    }
    env.update(
        DJANGO_DEBUG="true",
        DJANGO_SETTINGS_MODULE="config.settings",
        TSUNAGU_VAR_DIR=str(var),
        PYTHONPATH=str(ROOT),
    )
    done = subprocess.run(
        [sys.executable, "-c", SEND],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    # kombu's exchange tables went to the var folder, next to the queue, not to ./control.
    assert list(elsewhere.iterdir()) == []
    assert any((var / "celery" / "control").glob("*.exchange"))
    assert any((var / "celery" / "queue").iterdir())
