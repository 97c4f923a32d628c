"""Person search is paged by its last row, in the order of the name key, and its count stops
at 1,000 with a hint to narrow the search."""

from django.urls import reverse

from casework.models import AccessLog, Person
from casework.normalize import person_search_key
from tests.factories import PersonFactory

SEARCH = reverse("casework:person_search")


def _persons(cast, n, given="はなこ"):
    rows = [
        PersonFactory.build(
            given_name=f"花子{i:04d}",
            given_name_kana=given,
            registered_by_agency=cast.agency_a,
            district=None,
        )
        for i in range(n)
    ]
    for p in rows:
        p.search_key = person_search_key(
            p.family_name, p.given_name, p.family_name_kana, p.given_name_kana
        )
    return Person.objects.bulk_create(rows)


def test_pages_follow_the_last_row_in_name_order_and_cover_everyone_once(client, cast):
    made = {p.pk for p in _persons(cast, 60)}
    client.force_login(cast.csw_a)
    seen, params, pages = [], {"q": "さとう"}, 0
    while params and pages < 10:
        response = client.get(SEARCH, params)
        assert response.status_code == 200
        page = response.context["page"]
        seen += [p.pk for p in page]
        pages += 1
        params = {"q": "さとう", "after": page.next_cursor} if page.next_cursor else None
        if params:
            assert "次へ" in response.content.decode()
    assert pages == 3 and seen == list(
        Person.objects.filter(pk__in=made).order_by("search_key", "pk").values_list("pk", flat=True)
    )
    # Every page shown is in the access log, with the persons it showed.
    lists = AccessLog.objects.filter(user=cast.csw_a, action=AccessLog.Action.VIEW_LIST)
    assert lists.count() == 3


def test_a_cursor_that_does_not_parse_or_names_no_visible_row_is_the_first_page(client, cast):
    _persons(cast, 30)
    elsewhere = PersonFactory(registered_by_agency=cast.agency_b)
    client.force_login(cast.csw_a)
    for junk in ("x", "_", "²", "0", "-5", "1_2", "9" * 20, str(elsewhere.pk)):
        response = client.get(SEARCH, {"q": "さとう", "after": junk})
        assert response.status_code == 200 and response.context["page"].first, junk


def test_persons_with_the_same_key_and_very_long_keys_page_without_loss(client, cast):
    same = _persons(cast, 30, given="はなこ")
    for p in same:
        p.given_name = "花子"
        p.search_key = person_search_key(p.family_name, "花子", p.family_name_kana, "はなこ")
    Person.objects.bulk_update(same, ["given_name", "search_key"])
    # NFKC turns ㌀ into four characters: a key four times longer than the name field.
    long = _persons(cast, 30, given="ア" * 100)
    for p in long:
        p.given_name = "㌀" * 50
        p.search_key = person_search_key(p.family_name, p.given_name, "さとう", "ア" * 100)
    Person.objects.bulk_update(long, ["given_name", "search_key"])
    client.force_login(cast.csw_a)
    seen, params = [], {"q": "さとう"}
    for _ in range(10):
        page = client.get(SEARCH, params).context["page"]
        seen += [p.pk for p in page]
        if not page.next_cursor:
            break
        params = {"q": "さとう", "after": page.next_cursor}
    assert sorted(seen) == sorted(p.pk for p in same + long) and len(seen) == len(set(seen))


def test_the_count_stops_at_a_thousand_and_asks_to_narrow(client, cast):
    _persons(cast, 1003)
    client.force_login(cast.csw_a)
    page = client.get(SEARCH, {"q": "さとう"}).content.decode()
    assert "全 1,000 件以上" in page
    assert "絞り込んでください" in page
    narrow = client.get(SEARCH, {"q": "花子0001"}).content.decode()
    assert "全 1 件" in narrow and "絞り込んでください" not in narrow
