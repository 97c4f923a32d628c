"""A real OpenLDAP server (Debian's slapd) for the directory tests.

The session starts one slapd of its own on a free loopback port, from a slapd.conf and an
LDIF written to a temporary folder (core, cosine, inetorgperson and nis schemas; an mdb
database under dc=tsunagu,dc=test that only the service account and the people themselves
may read), waits until it answers, and stops it at the end. A slapd the machine itself runs
is neither used nor touched. Each test starts from the same people and groups
(tests/directory/world.py) and points the settings at the server through the same
TSUNAGU_LDAP_* variables a ward sets (config/directory_settings.py).

Without slapd or python-ldap the tests skip, saying what to install; under CI=true a skip
fails the run (tests/conftest.py).
"""

import contextlib
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.directory import world

SLAPD = Path("/usr/sbin/slapd")
SLAPADD = Path("/usr/sbin/slapadd")
SCHEMAS = Path("/etc/ldap/schema")
MODULES = Path("/usr/lib/ldap")
BACKEND = "directory.backend.DirectoryBackend"
MODEL_BACKEND = "directory.local.LocalAccountBackend"  # ModelBackend, local accounts only

SLAPD_CONF = """\
include {schemas}/core.schema
include {schemas}/cosine.schema
include {schemas}/inetorgperson.schema
include {schemas}/nis.schema
pidfile {folder}/slapd.pid
argsfile {folder}/slapd.args
{modules}
database mdb
maxsize 67108864
suffix "{suffix}"
rootdn "{rootdn}"
rootpw {rootpw}
directory {folder}/data
access to attrs=userPassword
    by anonymous auth
    by self read
    by * none
access to *
    by users read
    by * none
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Slapd:
    """The running server, and the directory's changes the tests make as its root."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.conf = folder / "slapd.conf"
        self.process: subprocess.Popen | None = None
        self.uri = ""

    def write(self) -> None:
        (self.folder / "data").mkdir()
        modules = (
            f"modulepath {MODULES}\nmoduleload back_mdb"
            if (MODULES / "back_mdb.so").exists()
            else ""
        )
        self.conf.write_text(
            SLAPD_CONF.format(
                schemas=SCHEMAS,
                folder=self.folder,
                modules=modules,
                suffix=world.SUFFIX,
                rootdn=world.ROOT_DN,
                rootpw=world.ROOT_PASSWORD,
            )
        )
        data = self.folder / "data.ldif"
        data.write_text(world.ldif(world.skeleton() + world.people_and_groups()))
        subprocess.run(
            [str(SLAPADD), "-f", str(self.conf), "-l", str(data)],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def start(self) -> None:
        for _attempt in range(3):  # another process may take the free port first
            port = _free_port()
            self.uri = f"ldap://127.0.0.1:{port}/"
            log = (self.folder / "slapd.log").open("w")
            # -d keeps slapd in the foreground, a child of this process.
            self.process = subprocess.Popen(
                [str(SLAPD), "-h", self.uri, "-f", str(self.conf), "-d", "0"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            if self._answers():
                return
            self.stop()
        raise RuntimeError(f"slapd did not start: {(self.folder / 'slapd.log').read_text()}")

    def _answers(self) -> bool:
        import ldap

        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                return False
            try:
                self.root().unbind_s()
                return True
            except ldap.SERVER_DOWN:
                time.sleep(0.05)
        return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    # --- the directory, changed as its root ---------------------------------------------

    def root(self):
        import ldap

        connection = ldap.initialize(self.uri, bytes_mode=False)
        connection.set_option(ldap.OPT_NETWORK_TIMEOUT, 5)
        connection.simple_bind_s(world.ROOT_DN, world.ROOT_PASSWORD)
        return connection

    def reset(self) -> None:
        """Back to the people and groups every test starts from."""
        import ldap

        connection = self.root()
        try:
            for base in (world.PEOPLE, world.GROUPS):
                for dn, _attrs in connection.search_s(base, ldap.SCOPE_ONELEVEL, attrlist=["1.1"]):
                    connection.delete_s(dn)
            for dn, attrs in world.people_and_groups():
                connection.add_s(dn, attrs)
        finally:
            connection.unbind_s()

    def delete_user(self, uid: str) -> None:
        """Delete the person, as the ward does when someone leaves (and out of their groups,
        as Active Directory does by itself)."""
        connection = self.root()
        try:
            for cn in world.GROUP_NAMES:
                self._member(connection, cn, uid, add=False)
            connection.delete_s(world.user_dn(uid))
        finally:
            connection.unbind_s()

    def entry_uuid(self, uid: str) -> str:
        """The entry's entryUUID, which slapd gives every entry it adds."""
        import ldap

        connection = self.root()
        try:
            _dn, attrs = connection.search_s(
                world.user_dn(uid), ldap.SCOPE_BASE, attrlist=["entryUUID"]
            )[0]
        finally:
            connection.unbind_s()
        return attrs["entryUUID"][0].decode()

    def give_name_again(self, uid: str) -> None:
        """The person leaves and a newcomer gets the same name (and the same groups): a new
        entry, with a new entryUUID."""
        import ldap

        family, given, groups = world.USERS[uid]
        with contextlib.suppress(ldap.NO_SUCH_OBJECT):  # gone already
            self.delete_user(uid)
        connection = self.root()
        try:
            connection.add_s(world.user_dn(uid), world.user_entry(uid, given, family))
        finally:
            connection.unbind_s()
        self.set_groups(uid, groups)

    def rename_user(self, uid: str, new_uid: str) -> None:
        """The same entry under a new name (a marriage, a new naming rule), in its groups."""
        import ldap

        connection = self.root()
        try:
            connection.rename_s(world.user_dn(uid), f"uid={new_uid}", delold=1)
            for cn in world.GROUP_NAMES:
                dn = world.group_dn(cn)
                members = connection.search_s(dn, ldap.SCOPE_BASE, attrlist=["member"])[0][1]
                if world.user_dn(uid).encode() in members["member"]:
                    connection.modify_s(
                        dn,
                        [
                            (ldap.MOD_ADD, "member", [world.user_dn(new_uid).encode()]),
                            (ldap.MOD_DELETE, "member", [world.user_dn(uid).encode()]),
                        ],
                    )
        finally:
            connection.unbind_s()

    def set_groups(self, uid: str, groups: list[str]) -> None:
        connection = self.root()
        try:
            for cn in world.GROUP_NAMES:
                self._member(connection, cn, uid, add=cn in groups)
        finally:
            connection.unbind_s()

    @staticmethod
    def _member(connection, cn: str, uid: str, *, add: bool) -> None:
        import ldap

        dn = world.group_dn(cn)
        member = world.user_dn(uid).encode()
        current = connection.search_s(dn, ldap.SCOPE_BASE, attrlist=["member"])[0][1]["member"]
        if add and member not in current:
            connection.modify_s(dn, [(ldap.MOD_ADD, "member", [member])])
        elif not add and member in current:
            if current == [member]:  # groupOfNames keeps a member: the root stands in
                connection.modify_s(dn, [(ldap.MOD_ADD, "member", [world.ROOT_DN.encode()])])
            connection.modify_s(dn, [(ldap.MOD_DELETE, "member", [member])])


@pytest.fixture(scope="session")
def slapd(tmp_path_factory):
    if not SLAPD.exists() or not SLAPADD.exists():
        pytest.skip("OpenLDAP's slapd is not installed: apt-get install -y slapd ldap-utils")
    try:
        import django_auth_ldap  # noqa: F401
        import ldap  # noqa: F401
    except ImportError:
        pytest.skip(
            "python-ldap and django-auth-ldap are not installed: apt-get install -y "
            "libldap2-dev libsasl2-dev, then .venv/bin/pip install -e '.[ldap]'"
        )
    server = Slapd(tmp_path_factory.mktemp("slapd"))
    server.write()
    server.start()
    yield server
    server.stop()


def configure(settings, monkeypatch, environment: dict[str, str]) -> dict:
    """Point Django's settings at a directory through the TSUNAGU_LDAP_* variables, read
    by the same code as at start-up; the directory backend goes before ModelBackend, as
    config/settings.py puts it."""
    from config.directory_settings import directory_settings

    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    values = directory_settings()
    for name, value in values.items():
        if name != "DIRECTORY_BACKENDS":
            setattr(settings, name, value)
    backends = [b for b in settings.AUTHENTICATION_BACKENDS if b != BACKEND]
    at = backends.index(MODEL_BACKEND)
    ours = values["DIRECTORY_BACKENDS"]
    settings.AUTHENTICATION_BACKENDS = [*backends[:at], *ours, *backends[at:]]
    return values


@pytest.fixture
def directory(slapd, settings, monkeypatch, cast):
    """The directory on, pointed at the session's slapd, its people and groups as
    tests/directory/world.py has them; the cast's agencies (社協A, 包括B) exist."""
    from django.core.cache import cache

    from directory import health

    slapd.reset()
    cache.delete(health.KEY)
    configure(settings, monkeypatch, world.environment(slapd.uri))
    # The second factor is the security app's (its own tests); here the first one is tested.
    settings.TSUNAGU_SECOND_FACTOR_ROLES = frozenset()
    return slapd


@pytest.fixture
def closed_port() -> str:
    """An address where no directory answers (the server is down)."""
    return f"ldap://127.0.0.1:{_free_port()}/"
