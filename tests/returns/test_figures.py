"""The return's figures, proven on a ward built by hand with known answers.

Two 自立相談支援機関 file the return (J1, J2); a 地域包括支援センター (O) does not, so its
records count in its own return but never in the ward's. Fiscal years: FY2024 ends on
31 March 2025, FY2025 runs from 1 April 2025 to 31 March 2026.

At J1:
- A: intake 31 Mar 2025 (FY2024). Plan v1 approved at 00:30 on 1 Apr 2025 (Tokyo; still
  31 March in UTC) with employment support, baseline 意欲2 自己肯定感2 家計1. Evaluation
  25 Apr: 意欲3 自己肯定感2 家計1 (improved). Re-plan v2 approved 12 May, employment support
  again, baseline 3/2/1; evaluation 30 May: 3/2/1 (unchanged against v2's baseline). 就労 on
  30 Apr and again on 1 May; 増収 on 1 Apr 2026 (the next fiscal year).
- B: intake 1 Apr 2025, screening 情報提供のみで終了 the same day.
- C: intake 30 Apr 2025 (a month's last day). つなぎ to 生活保護 at 23:50 on 30 Apr, to
  Hello Work at 00:10 on 1 May, and one to O sent in April and withdrawn. Plan approved
  2 May without employment support, baseline 健康4 対人関係3; evaluation 15 Jun: 3/3 (worse).
- D: intake 31 May 2025 (a month's last day); 情報提供のみで終了 decided on 1 June.
- G: intake 5 Apr 2025; plan approved 8 Apr with no baseline; evaluation 20 May scoring
  意欲 only: nothing to compare, so G is outside the evaluation share.
At J2:
- E: intake 15 Apr 2025; plan approved 20 Apr with employment support, baseline 意欲2;
  増収 28 Apr; evaluation 10 May 意欲4 就労3 (improved: only 意欲 is compared); つなぎ to
  生活保護 on 1 Jun.
At O (does not file):
- F: intake 10 Apr 2025, 情報提供のみで終了 the same day.
"""

from decimal import Decimal

import pytest

from casework.models import Agency, ChangeItem
from returns import definitions
from returns.figures import Figure, compute, fiscal_year_figures, month_bounds
from tests.returns.world import Builder, D, desk, tokyo

CODES = definitions.CODES


def counts(figures):
    """Each item's figure as the return prints it: counts, and the rate as (n, d, %)."""
    out = {}
    for code, figure in figures.items():
        if definitions.BY_CODE[code].is_rate:
            out[code] = (figure.numerator, figure.denominator, figure.value)
        else:
            out[code] = figure.value
    return out


def expect(**values):
    base = {code: 0 for code in CODES}
    base["R09"] = (0, 0, None)
    base.update(values)
    return base


def pct(n, d):
    return (n, d, (Decimal(n) * 100 / d).quantize(Decimal("0.1")))


# The known answers, month by month (FY2025 unless named).
J1_MONTHS = {
    D(2025, 4, 1): expect(R01=3, R02=2, R03=1, R04=1, R07=1, R08=1, R09=pct(1, 1)),
    D(2025, 5, 1): expect(R01=1, R02=2, R03=1, R04=1, R06=1, R09=pct(0, 1)),
    D(2025, 6, 1): expect(R08=1, R09=pct(0, 1)),
}
J2_MONTHS = {
    D(2025, 4, 1): expect(R01=1, R02=1, R03=1, R05=1),
    D(2025, 5, 1): expect(R09=pct(1, 1)),
    D(2025, 6, 1): expect(R07=1),
}
J1_YEAR = expect(R01=4, R02=4, R03=1, R04=1, R06=1, R07=1, R08=2, R09=pct(0, 2))
J2_YEAR = expect(R01=1, R02=1, R03=1, R05=1, R07=1, R09=pct(1, 1))
WARD_YEAR = expect(R01=5, R02=5, R03=2, R04=1, R05=1, R06=1, R07=2, R08=2, R09=pct(1, 3))


def test_each_month_of_each_agency(ward):
    for agency, known in ((ward["j1"], J1_MONTHS), (ward["j2"], J2_MONTHS)):
        year = fiscal_year_figures(2025, agency=agency)
        assert [m for m, _f in year.months] == [
            D(2025 + (m < 4), m, 1) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)
        ]
        for first, figures in year.months:
            assert counts(figures) == known.get(first, expect()), (agency.name, first)


def test_each_fiscal_year_of_each_agency_and_of_the_ward(ward):
    assert counts(fiscal_year_figures(2025, ward["j1"]).year) == J1_YEAR
    assert counts(fiscal_year_figures(2025, ward["j2"]).year) == J2_YEAR
    assert counts(fiscal_year_figures(2025).year) == WARD_YEAR


def test_the_ward_is_the_filing_agencies_together_by_month(ward):
    april = counts(compute(*month_bounds(D(2025, 4, 1))))
    # F's intake and 情報提供のみ at O are not the ward's: O does not file the return.
    assert april == expect(R01=4, R02=3, R03=2, R04=1, R05=1, R07=1, R08=1, R09=pct(1, 1))
    june = counts(compute(*month_bounds(D(2025, 6, 1))))
    assert june == expect(R07=1, R08=1, R09=pct(0, 1))


def test_an_agency_that_does_not_file_still_has_its_own_figures(ward):
    assert counts(fiscal_year_figures(2025, ward["o"]).year) == expect(R01=1, R08=1)


def test_31_march_and_1_april_fall_in_different_fiscal_years(ward):
    march = counts(compute(D(2025, 3, 1), D(2025, 3, 31), agency=ward["j1"]))
    # A's intake is March's; A's plan, approved at 00:30 Tokyo time on 1 April, is April's.
    assert march == expect(R01=1)
    assert counts(fiscal_year_figures(2024, ward["j1"]).year) == expect(R01=1)
    first_of_april = counts(compute(D(2025, 4, 1), D(2025, 4, 1), agency=ward["j1"]))
    assert first_of_april == expect(R01=1, R02=1, R03=1, R08=1)


def test_an_outcome_of_the_next_fiscal_year_counts_there(ward):
    fy2026 = counts(fiscal_year_figures(2026, ward["j1"]).year)
    assert fy2026 == expect(R05=1)
    assert fiscal_year_figures(2025, ward["j1"]).year["R05"] == Figure(0)


def test_a_person_counts_once_in_a_year_but_in_each_month(ward):
    year = fiscal_year_figures(2025, ward["j1"])
    months = dict(year.months)
    # A: two plans with employment support, work found twice (30 April, 1 May).
    assert [months[D(2025, m, 1)]["R03"].value for m in (4, 5)] == [1, 1]
    assert [months[D(2025, m, 1)]["R04"].value for m in (4, 5)] == [1, 1]
    assert (year.year["R03"].value, year.year["R04"].value) == (1, 1)
    # A's two plans are two plans made (a re-plan counts).
    assert year.year["R02"].value == 4


def test_the_evaluation_share_uses_each_persons_latest_evaluation(ward):
    # A improved in April against v1, then was unchanged in May against v2: the year takes
    # the latest (May), so A is not improved in FY2025. G had nothing to compare.
    may = compute(*month_bounds(D(2025, 5, 1)), agency=ward["j1"])["R09"]
    assert (may.numerator, may.denominator, may.value) == (0, 1, Decimal("0.0"))
    ward_year = fiscal_year_figures(2025).year["R09"]
    assert (ward_year.numerator, ward_year.denominator) == (1, 3)
    assert ward_year.value == Decimal("33.3")


def test_a_period_ending_before_it_starts_is_refused(db):
    with pytest.raises(ValueError):
        compute(D(2025, 5, 1), D(2025, 4, 30))


# -- the definitions ---------------------------------------------------------------------


def test_every_item_says_what_it_counts_by_which_date_from_what_and_its_version():
    assert CODES == ("R01", "R02", "R03", "R04", "R05", "R06", "R07", "R08", "R09")
    for item in definitions.ITEMS:
        assert item.name_ja and item.name_en
        assert item.rule and item.dated_by and item.source, item.code
        assert item.counting in definitions.COUNTING_LABELS
        assert isinstance(item.version, int) and item.version >= 1
    assert definitions.DEFINITION_VERSION.startswith(f"{definitions.COMPUTE_REVISION}-")
    assert definitions.FILING_AGENCY_KINDS == (Agency.Kind.SELF_RELIANCE,)


def test_the_computation_gives_every_item():
    assert set(CODES) == {"R01", "R02", "R03", "R04", "R05", "R06", "R07", "R08", "R09"}


# -- the cost ----------------------------------------------------------------------------


def _cases(n: int):
    """n persons at one filing agency, each with an intake, a plan with employment
    support and a baseline, an evaluation, work found and a つなぎ, all in April 2025."""
    j = desk(f"自立相談支援機関N{n}", Agency.Kind.SELF_RELIANCE, f"n{n}")
    welfare = desk(f"生活福祉課N{n}", Agency.Kind.PUBLIC_ASSISTANCE, f"pa{n}").agency
    at_j = Builder(j)
    for i in range(n):
        case = at_j.intake(D(2025, 4, 1), f"山田{i}")
        at_j.screen(case, D(2025, 4, 1))
        at_j.assess(case, D(2025, 4, 1))
        plan = at_j.plan(case, tokyo(D(2025, 4, 2)), employment=True, baseline={"motivation": 2})
        at_j.evaluate(plan, D(2025, 4, 20), dict.fromkeys(ChangeItem.values, 3))
        at_j.outcome(at_j.enrol(case, D(2025, 4, 3)), "employed", D(2025, 4, 10))
        at_j.consent(case, D(2025, 4, 4), [welfare])
        at_j.refer(case, tokyo(D(2025, 4, 5)), welfare)
    return j.agency


# R01; R02 and R03 together; R04 and R05; R06 and R07; R08; R09 (the evaluations, their scores)
QUERIES_PER_PERIOD = 7


def test_the_query_count_does_not_grow_with_the_cases(db, django_assert_num_queries):
    few, many = _cases(2), _cases(20)
    april = (D(2025, 4, 1), D(2025, 4, 30))
    with django_assert_num_queries(QUERIES_PER_PERIOD):
        figures_few = counts(compute(*april, agency=few))
    with django_assert_num_queries(QUERIES_PER_PERIOD):
        figures_many = counts(compute(*april, agency=many))
    assert figures_few["R01"] == 2 and figures_many["R01"] == 20
    assert figures_many["R09"] == pct(20, 20) and figures_many["R07"] == 20
    assert figures_many["R03"] == figures_many["R04"] == 20
