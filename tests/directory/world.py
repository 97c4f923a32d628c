"""The test directory: the people and groups of the directory tests, mirroring the fixed cast
(tests/builders.py: 社協A and 包括B), and the group map that places them."""

import base64
import hashlib
import json
import os

SUFFIX = "dc=tsunagu,dc=test"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "slapd-root-2026"
# The service account Tsunagu searches with (TSUNAGU_LDAP_BIND_DN): only it and the people
# themselves may read the directory, as in the ward's.
READER_DN = f"cn=tsunagu-reader,ou=services,{SUFFIX}"
READER_PASSWORD = "reader-kagi-2026"
# Every directory user's directory password; never their local one.
PASSWORD = "tsubaki-no-hana-2026"


def user_dn(uid: str) -> str:
    return f"uid={uid},{PEOPLE}"


def group_dn(cn: str) -> str:
    return f"cn={cn},{GROUPS}"


# uid → (family name, given name, groups)
USERS = {
    "ldap_csw_a": ("山田", "太郎", ["csw-a"]),
    "ldap_consultation_a": ("川村", "花", ["consultation-a"]),
    "ldap_supervisor_a": ("森", "一郎", ["supervisors-a"]),
    "ldap_admin_a": ("林", "京子", ["admins-a"]),
    "ldap_csw_b": ("海野", "次郎", ["csw-b"]),
    # Moved, removed or changed by the tests.
    "ldap_mover": ("石田", "三郎", ["csw-a"]),
    "ldap_leaver": ("竹内", "四郎", ["csw-a"]),
    # Two groups that agree (a team group and the agency's), spelled differently in the map.
    "ldap_two_teams": ("松田", "五月", ["csw-a", "csw-a-team"]),
    "ldap_no_group": ("桜井", "六花", ["printers"]),
    "ldap_conflict": ("菊池", "七海", ["csw-a", "csw-b"]),
    "ldap_unknown_agency": ("梅田", "八重", ["planning"]),
    # Names that local accounts of the tests also have.
    "ldap_local_worker": ("杉本", "九", ["csw-a"]),
    "ldap_root": ("藤原", "十和", ["admins-a"]),
}

GROUP_NAMES = [
    "csw-a",
    "csw-a-team",
    "consultation-a",
    "supervisors-a",
    "admins-a",
    "csw-b",
    "printers",
    "planning",
]

GROUP_MAP = {
    group_dn("csw-a"): {"agency": "社協A", "role": "csw"},
    # Another spelling of a DN (capitals, blanks): the same group to LDAP, so to Tsunagu.
    "CN=CSW-A-Team, OU=Groups, DC=tsunagu, DC=test": {"agency": "社協A", "role": "csw"},
    group_dn("consultation-a"): {"agency": "社協A", "role": "consultation"},
    group_dn("supervisors-a"): {"agency": "社協A", "role": "supervisor"},
    group_dn("admins-a"): {"agency": "社協A", "role": "agency_admin"},
    group_dn("csw-b"): {"agency": "包括B", "role": "csw"},
    group_dn("planning"): {"agency": "存在しない課", "role": "indicator_officer"},
}


def ssha(password: str) -> bytes:
    salt = os.urandom(8)
    digest = hashlib.sha1(password.encode() + salt).digest()
    return b"{SSHA}" + base64.b64encode(digest + salt)


def user_entry(uid: str, family: str, given: str) -> list[tuple[str, list[bytes]]]:
    return [
        ("objectClass", [b"inetOrgPerson"]),
        ("uid", [uid.encode()]),
        ("cn", [f"{family} {given}".encode()]),
        ("sn", [family.encode()]),
        ("givenName", [given.encode()]),
        ("mail", [f"{uid}@ward.example".encode()]),
        ("userPassword", [ssha(PASSWORD)]),
    ]


def group_entry(cn: str, members: list[str]) -> list[tuple[str, list[bytes]]]:
    # groupOfNames needs a member: an empty group holds the directory's root.
    return [
        ("objectClass", [b"groupOfNames"]),
        ("cn", [cn.encode()]),
        ("member", [m.encode() for m in (members or [ROOT_DN])]),
    ]


def skeleton() -> list[tuple[str, list[tuple[str, list[bytes]]]]]:
    """The entries that stay: the suffix, the three branches, the service account."""
    return [
        (
            SUFFIX,
            [
                ("objectClass", [b"dcObject", b"organization"]),
                ("dc", [b"tsunagu"]),
                ("o", ["つなぐ テスト区".encode()]),
            ],
        ),
        *[
            (f"ou={ou},{SUFFIX}", [("objectClass", [b"organizationalUnit"]), ("ou", [ou.encode()])])
            for ou in ("people", "groups", "services")
        ],
        (
            READER_DN,
            [
                ("objectClass", [b"organizationalRole", b"simpleSecurityObject"]),
                ("cn", [b"tsunagu-reader"]),
                ("userPassword", [ssha(READER_PASSWORD)]),
            ],
        ),
    ]


def people_and_groups() -> list[tuple[str, list[tuple[str, list[bytes]]]]]:
    """The entries the tests change, in the state every test starts from."""
    entries = [
        (user_dn(uid), user_entry(uid, family, given))
        for uid, (family, given, _groups) in USERS.items()
    ]
    for cn in GROUP_NAMES:
        members = [user_dn(uid) for uid, (_, _, groups) in USERS.items() if cn in groups]
        entries.append((group_dn(cn), group_entry(cn, members)))
    return entries


def ldif(entries) -> str:
    lines = []
    for dn, attrs in entries:
        lines.append(f"dn: {dn}")
        for name, values in attrs:
            for value in values:
                lines.append(f"{name}:: {base64.b64encode(value).decode()}")
        lines.append("")
    return "\n".join(lines) + "\n"


def environment(uri: str) -> dict[str, str]:
    """The TSUNAGU_LDAP_* variables a ward would set for this directory."""
    return {
        "TSUNAGU_LDAP_URI": uri,
        "TSUNAGU_LDAP_BIND_DN": READER_DN,
        "TSUNAGU_LDAP_BIND_PASSWORD": READER_PASSWORD,
        "TSUNAGU_LDAP_USER_BASE": PEOPLE,
        "TSUNAGU_LDAP_USER_FILTER": "(&(objectClass=inetOrgPerson)(uid=%(user)s))",
        "TSUNAGU_LDAP_GROUP_BASE": GROUPS,
        "TSUNAGU_LDAP_GROUP_TYPE": "groupOfNames",
        "TSUNAGU_LDAP_GROUP_MAP": json.dumps(GROUP_MAP, ensure_ascii=False),
        "TSUNAGU_LDAP_TIMEOUT_SECONDS": "2",
    }
