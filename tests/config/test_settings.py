"""Settings come from the environment; a malformed value stops start-up naming the variable."""

import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _production_env(**extra):
    env = {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "tsunagu.example.lg.jp",
    }
    env.update(extra)
    return env


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DJANGO_DEBUG", "maybe"),
        ("SESSION_IDLE_TIMEOUT_MINUTES", "half an hour"),
        ("SESSION_IDLE_TIMEOUT_MINUTES", "0"),
        ("AXES_FAILURE_LIMIT", "-3"),
        ("DATABASE_URL", "mysql://root@localhost/tsunagu"),
        ("DATABASE_URL", "not a url"),
        ("REDIS_URL", "localhost:6379"),
        ("DJANGO_HSTS_SECONDS", "1y"),
        ("DJANGO_LOG_LEVEL", "LOUD"),
        ("CELERY_BROKER_URL", "amqp://guest@localhost//"),
        ("DJANGO_CSRF_TRUSTED_ORIGINS", "tsunagu.example.lg.jp"),
        ("CELERY_VISIBILITY_TIMEOUT", "60"),
        ("CELERY_TASK_TIME_LIMIT", "soon"),
        ("EMAIL_PORT", "smtp"),
        ("TSUNAGU_BASE_URL", "tsunagu.example.lg.jp"),
        ("REMINDER_MAX_ATTEMPTS", "0"),
        ("REMINDER_CLAIM_TIMEOUT_SECONDS", "100"),
        ("TSUNAGU_SECOND_FACTOR_ROLES", "everyone"),
        ("TSUNAGU_SECOND_FACTOR_ROLES", "csw,director"),
        ("SECURITY_SPRAY_USERNAMES", "1"),
        ("SECURITY_SYSLOG", "loghost:514"),
        ("SECURITY_SYSLOG", "udp://loghost:port"),
    ],
)
def test_malformed_value_stops_startup_naming_the_variable(name, value):
    result = _manage("check", **{"DJANGO_DEBUG": "true", name: value})
    assert result.returncode != 0
    assert name in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_secret_key_is_required_without_debug():
    env = _production_env()
    del env["DJANGO_SECRET_KEY"]
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_deploy_check_reports_nothing_in_production_mode():
    result = _manage("check", "--deploy", "--fail-level", "DEBUG", **_production_env())
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_mode_starts_without_secret_key():
    result = _manage("check", DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_time_zone_and_languages(settings):
    assert settings.TIME_ZONE == "Asia/Tokyo"
    assert settings.LANGUAGE_CODE == "ja"
    assert [code for code, _ in settings.LANGUAGES] == ["ja", "en"]


def test_email_cannot_use_both_tls_and_ssl():
    result = _manage(
        "check",
        DJANGO_DEBUG="true",
        EMAIL_HOST="smtp.example.lg.jp",
        EMAIL_USE_TLS="true",
        EMAIL_USE_SSL="true",
    )
    assert result.returncode != 0
    assert "EMAIL_USE_TLS and EMAIL_USE_SSL" in result.stderr


def test_celery_settings_for_at_least_once_delivery(settings):
    from config.celery import app

    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    assert app.conf.task_time_limit < settings.CELERY_VISIBILITY_TIMEOUT
    assert app.conf.task_time_limit < settings.REMINDER_CLAIM_TIMEOUT_SECONDS
    if app.conf.broker_url.startswith("redis"):
        timeout = app.conf.broker_transport_options["visibility_timeout"]
        assert timeout == settings.CELERY_VISIBILITY_TIMEOUT


def test_email_links_default_to_the_first_allowed_host_in_production():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.TSUNAGU_BASE_URL)",
        **_production_env(),
    )
    assert result.stdout.strip().splitlines()[-1] == "https://tsunagu.example.lg.jp", result.stderr


def test_debug_log_level_prints_no_sql_with_its_personal_data():
    """DJANGO_LOG_LEVEL=DEBUG shows the app's debug lines, but Django's own loggers stay at
    INFO: django.db.backends would print every statement with its parameters."""
    code = (
        "import logging; from django.db import connection; "
        "connection.force_debug_cursor = True; "
        "connection.cursor().execute('SELECT %s', ['渡辺 太郎']); "
        "print(logging.getLogger('django').getEffectiveLevel(), "
        "logging.getLogger('casework').getEffectiveLevel())"
    )
    result = _manage("shell", "-c", code, DJANGO_DEBUG="true", DJANGO_LOG_LEVEL="DEBUG")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [str(logging.INFO), str(logging.DEBUG)]
    assert "渡辺" not in result.stderr and "SELECT" not in result.stderr
