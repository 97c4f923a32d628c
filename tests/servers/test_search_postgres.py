"""Person search on PostgreSQL: a fragment of two characters goes through the index of the
search key's bigrams (migration 0019), and finds exactly what a substring match finds."""

import pytest
from django.db import connection

from casework import selectors, services
from casework.models import Person
from casework.selectors.persons import _containing

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")


NAMES = [
    ("佐藤", "花子", "さとう", "はなこ"),
    ("佐野", "太郎", "さの", "たろう"),
    ("伊藤", "佐和", "いとう", "さわ"),
    ("藤田", "一", "ふじた", "はじめ"),
    ("里見", "藤子", "さとみ", "ふじこ"),
]


def _register(actor):
    for family, given, family_kana, given_kana in NAMES:
        services.person_create(
            actor=actor,
            family_name=family,
            given_name=given,
            family_name_kana=family_kana,
            given_name_kana=given_kana,
        )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("佐藤", {"佐藤"}),
        ("藤子", {"里見"}),
        ("さと", {"佐藤", "里見"}),
        ("サト", {"佐藤", "里見"}),
        ("藤", {"佐藤", "伊藤", "藤田", "里見"}),
        ("さわ", {"伊藤"}),
        ("佐和", {"伊藤"}),
        ("とう", {"佐藤", "伊藤"}),
        ("花太", set()),
    ],
)
def test_a_short_fragment_finds_what_a_substring_match_finds(postgres, cast, query, expected):
    _register(cast.csw_a)
    services.person_create(actor=cast.csw_b, family_name="佐藤", family_name_kana="さとう")
    found = selectors.person_search(cast.csw_a, query=query)
    # Agency B's 佐藤 stays out: the index narrows the search, the access policy decides.
    assert {person.family_name for person in found} == expected
    assert all(person.registered_by_agency_id == cast.agency_a.pk for person in found)


def test_a_two_character_fragment_is_answered_by_the_bigram_index(postgres, cast):
    _register(cast.csw_a)
    # Among every person (a worker who may see many): the planner has the index to use.
    sql, params = _containing(Person.objects.all(), "佐藤").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "casework_person_search_bigrams" in plan
