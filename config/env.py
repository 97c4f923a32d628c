"""Strict readers for the environment variables that configure Tsunagu.

A malformed value must stop start-up with a message that names the variable, so every
reader raises ImproperlyConfigured with the variable's name rather than silently falling
back to a default (django-environ's own bool() reads any unknown word as False).
"""

import os

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}: expected true or false, got {value!r}")


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected a whole number, got {value!r}") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name}: must be at least {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name}: must be at most {maximum}, got {number}")
    return number


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_db(name: str, default: str) -> dict:
    value = _raw(name) or default
    try:
        config = environ.Env.db_url_config(value)
    except Exception as exc:  # django-environ raises several kinds for a bad URL
        raise ImproperlyConfigured(f"{name}: not a usable database URL ({exc})") from None
    engine = config.get("ENGINE", "")
    if engine not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
        raise ImproperlyConfigured(
            f"{name}: only sqlite:// and postgres:// URLs are supported, got {value!r}"
        )
    if engine.endswith("postgresql") and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name}: the URL names no database, got {value!r}")
    return config


def env_url(name: str, default: str, schemes: tuple[str, ...]) -> str:
    value = _raw(name)
    if value is None or value == "":
        return default
    if not value.startswith(tuple(f"{scheme}://" for scheme in schemes)):
        wanted = ", ".join(f"{scheme}://" for scheme in schemes)
        raise ImproperlyConfigured(f"{name}: expected a URL starting with {wanted}, got {value!r}")
    return value
