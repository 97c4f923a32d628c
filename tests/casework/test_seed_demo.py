"""`manage.py seed_demo`: a complete, valid demo world, built once, never twice."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from casework.models import (
    AccessLog,
    Agency,
    Case,
    CaseShare,
    CaseStatus,
    Consent,
    ConsentBasis,
    ContactRecord,
    Person,
    Role,
    StaffMembership,
)

COUNTED = (
    Person,
    Case,
    ContactRecord,
    Consent,
    CaseShare,
    Agency,
    StaffMembership,
    AccessLog,
)


def _counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in COUNTED}
    counts["User"] = get_user_model().objects.count()
    return counts


def _seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_demo_builds_a_complete_world_once(settings):
    # Seeding takes a few seconds, so one run serves every check below.
    settings.DEBUG = True
    output = _seed()

    assert Agency.objects.count() >= 8
    assert len(set(Agency.objects.values_list("kind", flat=True))) >= 8

    roles = set(StaffMembership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    full_teams = [
        agency
        for agency in Agency.objects.all()
        if {Role.CSW, Role.CONSULTATION, Role.SUPERVISOR, Role.AGENCY_ADMIN}
        <= set(agency.memberships.values_list("role", flat=True))
    ]
    assert len(full_teams) >= 2
    User = get_user_model()
    assert User.objects.get(username="admin").is_superuser
    admins = User.objects.filter(membership__role=Role.AGENCY_ADMIN)
    assert admins.exists()
    assert all(user.is_staff for user in admins)
    assert not User.objects.filter(membership__role=Role.CSW, is_staff=True).exists()
    # One shared demo password, and the printed table tells it.
    assert User.objects.get(username="csw_shakyo1").check_password(settings.TSUNAGU_DEMO_PASSWORD)
    assert settings.TSUNAGU_DEMO_PASSWORD in output
    assert "csw_shakyo1" in output and "sv_shakyo" in output

    persons = list(Person.objects.all())
    assert len(persons) >= 180
    for person in persons:
        person.full_clean()  # valid kana, phone, birth date
    assert Person.objects.filter(cases__isnull=True).exists()
    today = timezone.localdate()
    ages = [p.age_on(today) for p in persons]
    assert sum(65 <= age <= 95 for age in ages) >= 60
    assert any(age < 18 for age in ages)

    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert not Case.objects.annotate(n=Count("contacts")).filter(n=0).exists()
    assert not Case.objects.filter(opened_on__gt=today).exists()
    assert not ContactRecord.objects.filter(occurred_at__gt=timezone.now()).exists()
    for case in Case.objects.prefetch_related("contacts"):
        assert all(timezone.localdate(c.occurred_at) >= case.opened_on for c in case.contacts.all())
        if case.closed_on:
            assert all(
                timezone.localdate(c.occurred_at) <= case.closed_on for c in case.contacts.all()
            )

    # Shares inside an agency need no basis; across agencies they rest on a consent.
    assert CaseShare.objects.filter(consent__isnull=True).exists()
    across = CaseShare.objects.filter(consent__basis=ConsentBasis.CONSENT).select_related(
        "case", "user__membership"
    )
    assert across.exists()
    for share in across:
        assert share.user.membership.agency_id != share.case.owning_agency_id
        assert share.consent.agencies.filter(pk=share.user.membership.agency_id).exists()

    # A second run creates nothing at all, not even access-log rows.
    before = _counts()
    _seed()
    assert _counts() == before
    settings.DEBUG = False
    _seed(force=True)
    assert _counts() == before


@pytest.mark.django_db
def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        _seed()
    assert not Person.objects.exists()
    assert not get_user_model().objects.filter(username="admin").exists()
