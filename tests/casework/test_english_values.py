"""Values the app makes once (module constants, choices, seeded master data) come out in the
reader's language, English included: they are translated when shown, not at import."""

import datetime

from django.utils import translation

from casework.models import Consent, ConsentBasis, District
from casework.templatetags.tsunagu import fy_label, jdate
from casework.wareki import date_on_screen, fiscal_year_on_screen
from indicators.definitions import INDICATORS
from indicators.rollup import BANDS_BY_CODE
from outreach.views.common import REPORT_DETAIL
from tests.casework.test_english_pages import JAPANESE


def english(text) -> bool:
    return not JAPANESE.search(str(text))


def test_the_seeded_districts_are_named_in_english_on_english_screens(db):
    names = {d.code: str(d) for d in District.objects.all()}
    with translation.override("en"):
        english = {d.code: str(d) for d in District.objects.all()}
    assert names["north"] == "北部"
    assert english == {
        "north": "North",
        "east": "East",
        "central": "Central",
        "south": "South",
        "west": "West",
    }


def test_a_district_added_later_keeps_the_name_it_was_given(db):
    district = District.objects.create(code="new", name="新地区", sort_order=9)
    with translation.override("en"):
        assert str(district) == "新地区"


def test_dates_and_fiscal_years_are_western_on_english_screens():
    day = datetime.date(2026, 11, 27)
    assert date_on_screen(day) == "令和8年11月27日"
    assert fiscal_year_on_screen(2026) == fy_label(2026) == "令和8年度"
    with translation.override("en"):
        assert date_on_screen(day) == jdate(day) == "2026-11-27"
        assert fiscal_year_on_screen(2026) == fy_label(2026) == "FY2026"


def test_a_consent_names_its_date_in_the_readers_form():
    consent = Consent(basis=ConsentBasis.CONSENT, given_on=datetime.date(2026, 11, 27))
    with translation.override("en"):
        assert str(consent) == "Person's consent (2026-11-27)"


def test_the_today_sections_and_a_module_constant_are_english_in_english(cast):
    from casework.extensions import today_sections

    with translation.override("en"):
        assert english(REPORT_DETAIL % {"number": 3})
        for member in (cast.csw_a, cast.supervisor_b):
            sections = today_sections(member, member.membership)
            assert sections, member
            for section in sections:
                assert english(section.title), section.title
                assert english(section.empty), section.empty


def test_indicator_names_units_and_age_bands_have_english():
    with translation.override("en"):
        for indicator in INDICATORS:
            assert indicator.name == indicator.name_en and english(indicator.name)
            assert english(translation.gettext(indicator.unit)), indicator.unit
            assert english(translation.gettext(indicator.method)), indicator.code
        for bands in BANDS_BY_CODE.values():
            for _key, label, *_range in bands:
                assert english(translation.gettext(label)), label
