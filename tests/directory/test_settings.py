"""The TSUNAGU_LDAP_* variables: the directory is off without them, a malformed value stops
start-up naming the variable, and the app runs without python-ldap installed."""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from casework.models import Role
from config.directory_settings import DIRECTORY_ROLES, directory_settings
from tests.directory import world

ROOT = Path(__file__).resolve().parents[2]
BACKEND = "directory.backend.DirectoryBackend"
MODEL_BACKEND = "directory.local.LocalAccountBackend"  # ModelBackend, local accounts only
VALID = world.environment("ldap://dc1.ward.example ldaps://dc2.ward.example:636")


def _ldap_installed() -> bool:
    try:
        import django_auth_ldap  # noqa: F401
        import ldap  # noqa: F401
    except ImportError:
        return False
    return True


def _require_ldap():
    if not _ldap_installed():
        pytest.skip(
            "python-ldap and django-auth-ldap are not installed: apt-get install -y "
            "libldap2-dev libsasl2-dev, then .venv/bin/pip install -e '.[ldap]'"
        )


def _environment(monkeypatch, **values):
    for name in list(os.environ):
        if name.startswith("TSUNAGU_LDAP_"):
            monkeypatch.delenv(name)
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def _python(code: str, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "TSUNAGU_LDAP_"))
    }
    clean.update(DJANGO_DEBUG="true", DJANGO_SETTINGS_MODULE="config.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_roles_are_casework_roles():
    assert set(DIRECTORY_ROLES) == set(Role.values)


def test_the_directory_is_off_without_a_uri(monkeypatch, settings):
    _environment(monkeypatch)
    assert directory_settings() == {
        "DIRECTORY_BACKENDS": [],
        "DIRECTORY_GROUP_MAP": {},
        "DIRECTORY_ID_ATTR": "",
    }
    if not os.environ.get("TSUNAGU_LDAP_URI"):
        assert BACKEND not in settings.AUTHENTICATION_BACKENDS


def test_a_full_configuration_turns_the_backend_on(monkeypatch):
    _require_ldap()
    import ldap
    from django_auth_ldap.config import GroupOfNamesType

    _environment(monkeypatch, **VALID)
    values = directory_settings()
    assert values["DIRECTORY_BACKENDS"] == [BACKEND]
    assert values["AUTH_LDAP_SERVER_URI"] == "ldap://dc1.ward.example ldaps://dc2.ward.example:636"
    assert values["AUTH_LDAP_USER_SEARCH"].base_dn == world.PEOPLE
    assert values["AUTH_LDAP_USER_SEARCH"].filterstr == VALID["TSUNAGU_LDAP_USER_FILTER"]
    assert values["AUTH_LDAP_GROUP_SEARCH"].filterstr == "(objectClass=groupOfNames)"
    assert isinstance(values["AUTH_LDAP_GROUP_TYPE"], GroupOfNamesType)
    assert values["AUTH_LDAP_CONNECTION_OPTIONS"][ldap.OPT_NETWORK_TIMEOUT] == 2
    assert values["AUTH_LDAP_ALWAYS_UPDATE_USER"] is True
    assert values["AUTH_LDAP_MIRROR_GROUPS"] is False
    # Every spelling of a DN is the one the directory returns.
    assert values["DIRECTORY_GROUP_MAP"][world.group_dn("csw-a-team")] == ("社協A", "csw")
    assert values["DIRECTORY_GROUP_MAP"][world.group_dn("csw-b")] == ("包括B", "csw")


def test_active_directory_is_configured_with_its_own_filters(monkeypatch):
    _require_ldap()
    from django_auth_ldap.config import NestedActiveDirectoryGroupType

    _environment(
        monkeypatch,
        **{
            **VALID,
            "TSUNAGU_LDAP_USER_FILTER": "(sAMAccountName=%(user)s)",
            "TSUNAGU_LDAP_GROUP_TYPE": "nestedActiveDirectory",
        },
    )
    values = directory_settings()
    assert isinstance(values["AUTH_LDAP_GROUP_TYPE"], NestedActiveDirectoryGroupType)
    assert values["AUTH_LDAP_GROUP_SEARCH"].filterstr == "(objectClass=group)"


def test_the_group_map_can_be_a_file(monkeypatch, tmp_path):
    _require_ldap()
    path = tmp_path / "groups.json"
    path.write_text(json.dumps(world.GROUP_MAP, ensure_ascii=False), encoding="utf-8")
    _environment(monkeypatch, **{**VALID, "TSUNAGU_LDAP_GROUP_MAP": str(path)})
    assert len(directory_settings()["DIRECTORY_GROUP_MAP"]) == len(world.GROUP_MAP)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TSUNAGU_LDAP_URI", "http://dc1.ward.example"),
        ("TSUNAGU_LDAP_URI", "ldap://dc1.ward.example dc2.ward.example"),
        ("TSUNAGU_LDAP_USER_BASE", ""),
        ("TSUNAGU_LDAP_USER_BASE", "people"),
        ("TSUNAGU_LDAP_GROUP_BASE", ""),
        ("TSUNAGU_LDAP_USER_FILTER", "uid=%(user)s"),
        ("TSUNAGU_LDAP_USER_FILTER", "(uid=%(name)s)"),
        ("TSUNAGU_LDAP_USER_FILTER", "(objectClass=person)"),
        ("TSUNAGU_LDAP_GROUP_TYPE", "posixGroup"),
        ("TSUNAGU_LDAP_GROUP_FILTER", "objectClass=group"),
        ("TSUNAGU_LDAP_START_TLS", "maybe"),
        ("TSUNAGU_LDAP_TIMEOUT_SECONDS", "0"),
        ("TSUNAGU_LDAP_CA_FILE", "/nonexistent/ca.pem"),
        ("TSUNAGU_LDAP_BIND_PASSWORD", ""),
        ("TSUNAGU_LDAP_BIND_DN", "reader"),
        ("TSUNAGU_LDAP_GROUP_MAP", ""),
        ("TSUNAGU_LDAP_GROUP_MAP", "{not json"),
        ("TSUNAGU_LDAP_GROUP_MAP", "/nonexistent/groups.json"),
        ("TSUNAGU_LDAP_GROUP_MAP", "{}"),
        ("TSUNAGU_LDAP_GROUP_MAP", '{"nonsense": {"agency": "社協A", "role": "csw"}}'),
        ("TSUNAGU_LDAP_GROUP_MAP", '{"cn=g,dc=x": {"agency": "社協A", "role": "boss"}}'),
        ("TSUNAGU_LDAP_GROUP_MAP", '{"cn=g,dc=x": {"agency": "", "role": "csw"}}'),
        ("TSUNAGU_LDAP_GROUP_MAP", '{"cn=g,dc=x": "社協A"}'),
        (
            "TSUNAGU_LDAP_GROUP_MAP",
            '{"cn=g,dc=x": {"agency": "社協A", "role": "csw"},'
            ' "CN=G, DC=X": {"agency": "包括B", "role": "csw"}}',
        ),
    ],
)
def test_a_malformed_value_is_refused_naming_the_variable(monkeypatch, name, value):
    if name != "TSUNAGU_LDAP_URI":
        _require_ldap()
    _environment(monkeypatch, **{**VALID, name: value})
    with pytest.raises(ImproperlyConfigured, match=f"^{name}: "):
        directory_settings()


def test_a_malformed_value_stops_start_up():
    _require_ldap()
    result = _python(
        "import django; django.setup()",
        **{**VALID, "TSUNAGU_LDAP_GROUP_TYPE": "posixGroup"},
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: TSUNAGU_LDAP_GROUP_TYPE" in result.stderr


def test_the_directory_backend_goes_before_model_backend():
    _require_ldap()
    result = _python(
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.AUTHENTICATION_BACKENDS); print(settings.AUTH_LDAP_SERVER_URI)",
        **VALID,
    )
    assert result.returncode == 0, result.stderr
    backends, uri = result.stdout.strip().splitlines()[-2:]
    backends = ast.literal_eval(backends)
    assert backends.index(BACKEND) == backends.index(MODEL_BACKEND) - 1
    assert uri == VALID["TSUNAGU_LDAP_URI"]


# Importing ldap or django_auth_ldap fails, as on a machine without the `ldap` extra.
WITHOUT_LDAP = (
    "import sys\n"
    "sys.modules['ldap'] = None\n"
    "sys.modules['django_auth_ldap'] = None\n"
    "import django\n"
    "django.setup()\n"
)


def test_the_app_runs_without_python_ldap():
    code = WITHOUT_LDAP + (
        "from django.conf import settings\n"
        "print(settings.DIRECTORY_BACKENDS, 'directory.backend.DirectoryBackend' in "
        "settings.AUTHENTICATION_BACKENDS)\n"
        "import directory.models, directory.sync, directory.tasks\n"
        "print(directory.tasks.directory_sync())\n"
        "from django.core.management import call_command\n"
        "call_command('check')\n"
    )
    result = _python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["[] False", "{'enabled': False}"]


def test_a_uri_without_python_ldap_stops_start_up():
    result = _python(WITHOUT_LDAP, TSUNAGU_LDAP_URI="ldap://dc1.ward.example")
    assert result.returncode != 0
    assert "TSUNAGU_LDAP_URI: set, but django-auth-ldap is not installed" in result.stderr


def test_the_command_says_when_the_directory_is_off(db, settings):
    from django.core.management import CommandError, call_command

    settings.AUTHENTICATION_BACKENDS = [b for b in settings.AUTHENTICATION_BACKENDS if b != BACKEND]
    with pytest.raises(CommandError, match="ディレクトリ連携は設定されていません"):
        call_command("directory_sync")
