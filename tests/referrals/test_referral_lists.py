"""The inbox and the outbox: what each lists, in which order, to whom, and at a query count
that does not grow with the rows."""

import pytest

from referrals.models import Referral
from tests.referrals.conftest import days, today
from tests.referrals.page_helpers import INBOX, OUTBOX, text

# --- inbox and outbox ---------------------------------------------------------------------


def _make_overdue(referral, by_days=3):
    Referral.objects.filter(pk=referral.pk).update(answer_by=days(-by_days))
    referral.refresh_from_db()
    return referral


def test_is_overdue_only_while_waiting_past_the_deadline(refer):
    waiting = refer.send(answer_by=today())
    assert not waiting.is_overdue
    overdue = _make_overdue(refer.send())
    assert overdue.is_overdue
    accepted = _make_overdue(refer.accepted())
    assert not accepted.is_overdue
    declined = _make_overdue(refer.decline(refer.send()))
    assert not declined.is_overdue


def test_inbox_lists_waiting_first_and_marks_overdue(client, cast, refer, third):
    accepted = refer.accepted(refer.case(given_name="一郎"), answer_by=days(1))
    later = refer.send(refer.case(given_name="二郎"), answer_by=days(10))
    overdue = _make_overdue(refer.send(refer.case(given_name="三郎")))
    declined = refer.decline(refer.send(refer.case(given_name="四郎"), answer_by=days(2)))
    elsewhere = refer.send(refer.case(given_name="五郎"), to=third.agency)
    client.force_login(cast.csw_b)
    response = client.get(INBOX)
    assert response.status_code == 200
    listed = [r.pk for r in response.context["page"].object_list]
    assert listed == [overdue.pk, later.pk, accepted.pk, declined.pk]
    assert elsewhere.pk not in listed
    page = text(response)
    assert page.count('class="overdue"') == 1
    assert "期限切れ" in page
    # Agency A received nothing.
    client.force_login(cast.csw_a)
    assert list(client.get(INBOX).context["page"].object_list) == []


def test_outbox_lists_only_the_cases_the_user_may_see(client, cast, refer):
    mine = refer.send(refer.case(cast.csw_a, given_name="一郎"))
    theirs = refer.send(
        refer.case(cast.consultation_a, given_name="二郎"), actor=cast.consultation_a
    )
    expected = {
        cast.csw_a: [mine.pk],
        cast.consultation_a: [theirs.pk],
        cast.supervisor_a: [theirs.pk, mine.pk],
        cast.csw_b: [],
        cast.supervisor_b: [],
    }
    for user, pks in expected.items():
        client.force_login(user)
        response = client.get(OUTBOX)
        assert response.status_code == 200
        assert [r.pk for r in response.context["page"].object_list] == pks, user


def test_outbox_keeps_closed_referrals(client, cast, refer):
    case = refer.case()
    withdrawn = refer.withdraw(refer.send(case))
    completed = refer.complete(refer.accepted(case, consent=False))
    client.force_login(cast.csw_a)
    listed = {r.pk for r in client.get(OUTBOX).context["page"].object_list}
    assert listed == {withdrawn.pk, completed.pk}


@pytest.mark.parametrize("who", ["admin_a", "admin_b", "indicator_officer", "outsider"])
def test_inbox_and_outbox_are_forbidden_without_a_case_role(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(INBOX).status_code == 403
    assert client.get(OUTBOX).status_code == 403


@pytest.mark.parametrize("page", ["x", "0", "-1", "999", "99999999999999999999"])
def test_garbage_page_numbers_are_not_errors(client, cast, refer, page):
    refer.send()
    client.force_login(cast.csw_b)
    assert client.get(INBOX, {"page": page}).status_code == 200
    client.force_login(cast.csw_a)
    assert client.get(OUTBOX, {"page": page}).status_code == 200


def test_lists_refuse_post(client, cast):
    client.force_login(cast.csw_a)
    assert client.post(INBOX).status_code == 405
    assert client.post(OUTBOX).status_code == 405


# session, user, membership, the count and the page of rows, one query for the ended rows'
# persons the user sees by another route, the one access-log row and the bell. (The session
# is saved only when its idle clock moves, at most every 30 seconds.)
MAX_LIST_QUERIES = 8


def _queries(client, user, path, django_assert_max_num_queries):
    client.force_login(user)
    with django_assert_max_num_queries(MAX_LIST_QUERIES) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries), len(response.context["page"].object_list)


def _referrals(refer, cast, count, start=0):
    """Every kind of row from the first two on: one the user handles and one that ended
    (whose person is looked up once for the page), then waiting and overdue ones."""
    for i in range(start, start + count):
        case = refer.case(given_name=f"太郎{i}")
        if i % 4 == 0:
            refer.accepted(case, worker=cast.csw_b)
        elif i % 4 == 1:
            refer.decline(refer.send(case))
        elif i % 4 == 2:
            _make_overdue(refer.send(case, urgency="urgent"))
        else:
            refer.send(case)


def test_inbox_and_outbox_pin_their_query_counts(
    client, cast, refer, django_assert_max_num_queries
):
    _referrals(refer, cast, 2)
    few = {
        "inbox": _queries(client, cast.csw_b, INBOX, django_assert_max_num_queries),
        "inbox_sv": _queries(client, cast.supervisor_b, INBOX, django_assert_max_num_queries),
        "outbox": _queries(client, cast.csw_a, OUTBOX, django_assert_max_num_queries),
        "outbox_sv": _queries(client, cast.supervisor_a, OUTBOX, django_assert_max_num_queries),
    }
    _referrals(refer, cast, 23, start=2)
    many = {
        "inbox": _queries(client, cast.csw_b, INBOX, django_assert_max_num_queries),
        "inbox_sv": _queries(client, cast.supervisor_b, INBOX, django_assert_max_num_queries),
        "outbox": _queries(client, cast.csw_a, OUTBOX, django_assert_max_num_queries),
        "outbox_sv": _queries(client, cast.supervisor_a, OUTBOX, django_assert_max_num_queries),
    }
    for box in few:
        assert few[box][1] == 2 and many[box][1] == 25, box
        assert few[box][0] == many[box][0], box
    # The inbox pays for the ended rows' persons with one query, however many rows.
    assert few["inbox"][0] == MAX_LIST_QUERIES
