"""The hand-built ward of the return's fixture (tests/returns/world.py), shared by the
return's tests. Each person is a letter; the known answers are in test_figures.py."""

import pytest

from casework.models import Agency, Role
from tests.factories import AgencyFactory, StaffFactory
from tests.returns.world import Builder, D, desk, tokyo


@pytest.fixture
def ward(db):
    j1 = desk("自立相談支援機関J1", Agency.Kind.SELF_RELIANCE, "j1")
    j2 = desk("自立相談支援機関J2", Agency.Kind.SELF_RELIANCE, "j2")
    o = desk("地域包括支援センターO", Agency.Kind.COMPREHENSIVE_CENTER, "o")
    welfare = desk("生活福祉課", Agency.Kind.PUBLIC_ASSISTANCE, "pa").agency
    hello_work = desk("就労支援窓口", Agency.Kind.OTHER, "hw").agency
    at1, at2, at_o = Builder(j1), Builder(j2), Builder(o)

    # A
    a = at1.intake(D(2025, 3, 31), "青木")
    at1.screen(a, D(2025, 3, 31))
    at1.assess(a, D(2025, 3, 31))
    v1 = at1.plan(
        a,
        tokyo(D(2025, 4, 1), 0, 30),
        employment=True,
        baseline={"motivation": 2, "self_esteem": 2, "finances": 1},
    )
    enrolment = at1.enrol(a, D(2025, 4, 2))
    at1.evaluate(v1, D(2025, 4, 25), {"motivation": 3, "self_esteem": 2, "finances": 1})
    at1.outcome(enrolment, "employed", D(2025, 4, 30))
    at1.outcome(enrolment, "employed", D(2025, 5, 1))
    at1.assess(a, D(2025, 5, 10))
    v2 = at1.plan(
        a,
        tokyo(D(2025, 5, 12)),
        employment=True,
        baseline={"motivation": 3, "self_esteem": 2, "finances": 1},
    )
    at1.evaluate(v2, D(2025, 5, 30), {"motivation": 3, "self_esteem": 2, "finances": 1})
    at1.outcome(enrolment, "income_up", D(2026, 4, 1))

    # B
    b = at1.intake(D(2025, 4, 1), "馬場")
    at1.screen(b, D(2025, 4, 1), "info_only")

    # C
    c = at1.intake(D(2025, 4, 30), "千葉")
    at1.screen(c, D(2025, 4, 30))
    at1.consent(c, D(2025, 4, 30), [welfare, hello_work, o.agency])
    taken_back = at1.refer(c, tokyo(D(2025, 4, 30), 10), o.agency)
    at1.withdraw(taken_back, D(2025, 4, 30))
    at1.refer(c, tokyo(D(2025, 4, 30), 23, 50), welfare)
    at1.refer(c, tokyo(D(2025, 5, 1), 0, 10), hello_work)
    at1.assess(c, D(2025, 5, 1))
    plan_c = at1.plan(
        c, tokyo(D(2025, 5, 2)), employment=False, baseline={"health": 4, "relationships": 3}
    )
    at1.evaluate(plan_c, D(2025, 6, 15), {"health": 3, "relationships": 3})

    # D
    d = at1.intake(D(2025, 5, 31), "土井")
    at1.screen(d, D(2025, 6, 1), "info_only")

    # G
    g = at1.intake(D(2025, 4, 5), "後藤")
    at1.screen(g, D(2025, 4, 5))
    at1.assess(g, D(2025, 4, 6))
    plan_g = at1.plan(g, tokyo(D(2025, 4, 8)), employment=False)
    at1.evaluate(plan_g, D(2025, 5, 20), {"motivation": 3})

    # E
    e = at2.intake(D(2025, 4, 15), "江藤")
    at2.screen(e, D(2025, 4, 15))
    at2.assess(e, D(2025, 4, 16))
    plan_e = at2.plan(e, tokyo(D(2025, 4, 20)), employment=True, baseline={"motivation": 2})
    at2.outcome(at2.enrol(e, D(2025, 4, 21)), "income_up", D(2025, 4, 28))
    at2.evaluate(plan_e, D(2025, 5, 10), {"motivation": 4, "employment": 3})
    at2.consent(e, D(2025, 6, 1), [welfare])
    at2.refer(e, tokyo(D(2025, 6, 1)), welfare)

    # F
    f = at_o.intake(D(2025, 4, 10), "福田")
    at_o.screen(f, D(2025, 4, 10), "info_only")

    return {
        "j1": j1.agency,
        "j2": j2.agency,
        "o": o.agency,
        "desks": {"j1": j1, "j2": j2, "o": o},
        "cases": {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g},
    }


@pytest.fixture
def officer(db):
    """The ward's planner (指標担当): the ward's return."""
    planning = AgencyFactory(name="企画課", kind=Agency.Kind.OTHER, district=None)
    return StaffFactory(username="officer", agency=planning, role=Role.INDICATOR_OFFICER)
