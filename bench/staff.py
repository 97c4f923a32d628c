"""The bench world's organisation: agencies of every kind in the ward's districts, and their
staff with memorable usernames for the roles the page bench signs in as."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission

from bench.names import FAMILY_NAMES, GIVEN_FEMALE, GIVEN_MALE
from casework.demo.texts import AGENCY_ADMIN_PERMISSIONS
from casework.models import Agency, AgencyKind, District, Role, StaffMembership

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Every bench account's username starts so; bench_build refuses a database with any other.
USER_PREFIX = "bench_"
PASSWORD = "bench-tsunagu-2026"

# The accounts the page and load benches sign in as.
CSW = "bench_csw"  # a CSW of the large agency, with about 60 open cases
SUPERVISOR = "bench_supervisor"  # the large agency's supervisor
CONSULTATION = "bench_consultation"  # a consultation worker of the ward's general desk
OFFICER = "bench_officer"  # an indicator officer
ADMIN = "bench_admin"  # the large agency's admin

_D = "{d}"  # one agency per district
# (kind, name; "{d}" makes one per district). The first is the large agency.
AGENCY_TEMPLATES: tuple[tuple[str, str], ...] = (
    (AgencyKind.CSW, "目黒区社会福祉協議会"),
    (AgencyKind.GENERAL_CONSULTATION, "目黒区 福祉の総合相談窓口"),
    (AgencyKind.COMPREHENSIVE_CENTER, "目黒区 {d}地域包括支援センター"),
    (AgencyKind.SELF_RELIANCE, "目黒区 自立相談支援機関"),
    (AgencyKind.PUBLIC_ASSISTANCE, "目黒区 生活福祉課(生活保護)"),
    (AgencyKind.DISABILITY, "目黒区 障害者支援課"),
    (AgencyKind.CHILD_FAMILY, "目黒区 子ども家庭支援センター"),
    (AgencyKind.OTHER, "目黒区 健康福祉計画課"),
    (AgencyKind.HEALTH_CENTER, "目黒区 {d}保健センター"),
    (AgencyKind.CSW, "目黒区社会福祉協議会 {d}地区担当"),
    (AgencyKind.COMPREHENSIVE_CENTER, "目黒区 {d}第二地域包括支援センター"),
    (AgencyKind.DISABILITY, "目黒区 基幹相談支援センター"),
    (AgencyKind.SELF_RELIANCE, "目黒区 就労支援センター"),
    (AgencyKind.CHILD_FAMILY, "目黒区 子ども家庭支援センター 分室"),
)

LARGE_STAFF = 20


@dataclass
class AgencyStaff:
    agency: Agency
    supervisors: list[User] = field(default_factory=list)
    workers: list[User] = field(default_factory=list)  # CSW and consultation
    admin: User | None = None

    @property
    def case_staff(self) -> list[User]:
        return self.workers + self.supervisors


@dataclass
class Organisation:
    agencies: list[AgencyStaff]
    officers: list[User]
    roles: dict[int, str]  # user id → role
    agency_of: dict[int, int]  # user id → agency index

    @property
    def users(self) -> list[User]:
        found = [u for a in self.agencies for u in a.workers + a.supervisors]
        found += [a.admin for a in self.agencies if a.admin is not None]
        return found + self.officers


def agency_specs(count: int, districts: list[District]) -> list[tuple[str, str, District | None]]:
    """`count` agencies: the templates in order, one per district where the name says so,
    then numbered copies."""
    specs: list[tuple[str, str, District | None]] = []
    for kind, name in AGENCY_TEMPLATES:
        if _D in name:
            specs += [(kind, name.replace(_D, d.name), d) for d in districts]
        else:
            specs.append((kind, name, None))
    copy = 2
    base = list(specs)
    while len(specs) < count:
        specs += [(k, f"{n} 第{copy}", d) for k, n, d in base]
        copy += 1
    return specs[:count]


def _name(rng: random.Random) -> tuple[str, str]:
    family = rng.choice(FAMILY_NAMES)[0]
    given = rng.choice(GIVEN_MALE if rng.random() < 0.5 else GIVEN_FEMALE)[0]
    return family, given


def build_organisation(rng: random.Random, n_agencies: int, n_officers: int) -> Organisation:
    districts = list(District.objects.order_by("sort_order", "pk"))
    taken = set(Agency.objects.values_list("name", flat=True))
    agencies: list[Agency] = []
    for kind, name, district in agency_specs(n_agencies, districts):
        while name in taken:
            name += "(ベンチ)"
        taken.add(name)
        agencies.append(Agency(name=name, kind=kind, district=district))
    agencies = Agency.objects.bulk_create(agencies)

    # (agency index, role, username)
    plan: list[tuple[int, str, str]] = []
    for index, agency in enumerate(agencies):
        total = LARGE_STAFF if index == 0 else rng.randint(7, 13)
        supervisors = 2 if index == 0 or (total >= 11 and rng.random() < 0.5) else 1
        workers = total - supervisors - 1
        csw_share = 0.7 if agency.kind == AgencyKind.CSW else 0.25
        n_csw = max(1, round(workers * csw_share))
        if index == 1:
            n_csw = min(n_csw, workers - 1)  # the general desk has a consultation worker
        kinds: list[str] = [Role.CSW.value] * n_csw
        kinds += [Role.CONSULTATION.value] * (workers - n_csw)
        kinds += [Role.SUPERVISOR.value] * supervisors + [Role.AGENCY_ADMIN.value]
        counters: dict[str, int] = {}
        for role in kinds:
            counters[role] = counters.get(role, 0) + 1
            plan.append((index, role, f"{USER_PREFIX}a{index + 1:02d}_{role}{counters[role]:02d}"))
    officer_home = next((i for i, a in enumerate(agencies) if a.kind == AgencyKind.OTHER), 1)
    plan += [
        (officer_home, Role.INDICATOR_OFFICER, f"{USER_PREFIX}officer{k + 1:02d}")
        for k in range(n_officers)
    ]
    memorable: dict[tuple[int, str], str] = {
        (0, Role.CSW): CSW,
        (0, Role.SUPERVISOR): SUPERVISOR,
        (1, Role.CONSULTATION): CONSULTATION,
        (officer_home, Role.INDICATOR_OFFICER): OFFICER,
        (0, Role.AGENCY_ADMIN): ADMIN,
    }
    named: list[tuple[int, str, str]] = []
    for index, role, username in plan:
        special = memorable.pop((index, role), None)
        named.append((index, role, special or username))

    password = make_password(PASSWORD)  # one hash: every bench account shares the password
    UserModel = get_user_model()
    users = []
    for _index, role, username in named:
        family, given = _name(rng)
        users.append(
            UserModel(
                username=username,
                last_name=family,
                first_name=given,
                password=password,
                is_staff=role == Role.AGENCY_ADMIN,
            )
        )
    users = UserModel.objects.bulk_create(users)
    if connection_needs_refetch(users):
        by_name = UserModel.objects.in_bulk([u.username for u in users], field_name="username")
        users = [by_name[u.username] for u in users]
    StaffMembership.objects.bulk_create(
        [
            StaffMembership(user=user, agency=agencies[index], role=role)
            for user, (index, role, _username) in zip(users, named, strict=True)
        ]
    )
    admin_perms = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in AGENCY_ADMIN_PERMISSIONS
    ]
    through = UserModel.user_permissions.through
    through.objects.bulk_create(
        [
            through(user_id=user.pk, permission_id=perm.pk)
            for user, (_i, role, _u) in zip(users, named, strict=True)
            if role == Role.AGENCY_ADMIN
            for perm in admin_perms
        ]
    )

    staff = [AgencyStaff(agency=a) for a in agencies]
    officers: list[User] = []
    roles: dict[int, str] = {}
    agency_of: dict[int, int] = {}
    for user, (index, role, _username) in zip(users, named, strict=True):
        roles[user.pk] = role
        agency_of[user.pk] = index
        if role == Role.SUPERVISOR:
            staff[index].supervisors.append(user)
        elif role == Role.AGENCY_ADMIN:
            staff[index].admin = user
        elif role == Role.INDICATOR_OFFICER:
            officers.append(user)
        else:
            staff[index].workers.append(user)
    return Organisation(agencies=staff, officers=officers, roles=roles, agency_of=agency_of)


def connection_needs_refetch(users: list[User]) -> bool:
    """bulk_create sets primary keys on PostgreSQL and SQLite; other databases may not."""
    return any(u.pk is None for u in users)
