"""Birth dates typed as the ward's residents say them: 昭和40年5月16日, S40.5.16, 全角, or the
Western date; a day an era does not have is refused next to the field."""

import datetime

import pytest
from django.urls import reverse

from casework.forms.persons import PersonSearchForm
from casework.models import Person
from casework.wareki import parse_date

D = datetime.date


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("昭和40年5月16日", D(1965, 5, 16)),
        ("S40.5.16", D(1965, 5, 16)),
        ("s40/5/16", D(1965, 5, 16)),
        ("Ｓ４０．５．１６", D(1965, 5, 16)),
        ("昭和 40年 5月 16日", D(1965, 5, 16)),
        ("昭和元年12月25日", D(1926, 12, 25)),
        ("平成元年1月8日", D(1989, 1, 8)),
        ("H31.4.30", D(2019, 4, 30)),
        ("R1.5.1", D(2019, 5, 1)),
        ("令和元年5月1日", D(2019, 5, 1)),
        ("大正14年3月1日", D(1925, 3, 1)),
        ("M45.7.29", D(1912, 7, 29)),
        ("1965-05-16", D(1965, 5, 16)),
        ("1965/5/16", D(1965, 5, 16)),
        ("1965年5月16日", D(1965, 5, 16)),
    ],
)
def test_each_way_of_writing_a_date_reads_as_that_day(typed, day):
    assert parse_date(typed) == day


@pytest.mark.parametrize(
    "typed",
    [
        "昭和64年1月8日",
        "H31.5.1",
        "昭和0年1月1日",
        "昭和40年2月30日",
        "T15.12.25",
        "S",
        "40.5.16",
        "x",
    ],
)
def test_a_day_its_era_does_not_have_is_no_date(typed):
    assert parse_date(typed) is None


def test_registering_a_person_with_a_wareki_birth_date(client, cast):
    client.force_login(cast.csw_a)
    response = client.get(reverse("casework:case_open"))
    body = response.content.decode()
    assert 'type="date" data-fills=' in body  # the calendar beside the text
    form = PersonSearchForm({"q": "", "birth_date": "S40.5.16"})
    assert form.is_valid() and form.cleaned_data["birth_date"] == D(1965, 5, 16)
    bad = PersonSearchForm({"q": "", "birth_date": "昭和64年1月8日"})
    assert not bad.is_valid()
    assert "昭和40年5月16日" in bad.errors["birth_date"][0]


def test_the_person_page_edits_the_birth_date_as_wareki(client, cast, case_a):
    person = case_a.person
    client.force_login(cast.csw_a)
    url = reverse("casework:person_correct", args=[person.pk])
    body = client.get(url).content.decode()
    assert 'value="昭和19年5月1日"' in body  # the cast's persons were born 1944-05-01
    assert 'value="1944-05-01"' in body  # and the calendar opens on that day
    assert Person.objects.get(pk=person.pk).birth_date == D(1944, 5, 1)
