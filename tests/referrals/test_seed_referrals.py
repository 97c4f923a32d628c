import pytest
from django.core.management import CommandError, call_command

from referrals.models import Referral


def test_seed_referrals_refers_open_cases_once(cast, open_case, workflow, settings):
    settings.DEBUG = True
    for _ in range(3):
        case = open_case(cast.csw_a, main_concern="care")
        workflow.screen(case, cast.csw_a)
    call_command("seed_referrals")
    referrals = list(Referral.objects.order_by("pk"))
    assert len(referrals) == 3
    assert {r.receiving_agency for r in referrals} == {cast.agency_b}
    assert [r.state for r in referrals] == ["sent", "accepted", "sent"]
    assert all(r.basis.agencies.filter(pk=cast.agency_b.pk).exists() for r in referrals)
    call_command("seed_referrals")
    assert Referral.objects.count() == 3


def test_seed_referrals_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_referrals")
