"""Reading referrals writes the access log (docs/access.md): the inbox and the outbox one
row naming only the persons they showed, the referral page and the answer forms a row
only when they name the person.
"""

from casework.models import AccessLog
from tests.referrals.page_helpers import INBOX, OUTBOX, text, url
from tests.referrals.policy_helpers import HIDDEN_ROW

# --- the access log ---------------------------------------------------------------------------


def _ids(*objects) -> str:
    return "," + ",".join(str(pk) for pk in sorted(o.pk for o in objects)) + ","


def _new_rows(since: int):
    return list(AccessLog.objects.filter(pk__gt=since).order_by("pk"))


def _last() -> int:
    last = AccessLog.objects.order_by("-pk").first()
    return last.pk if last else 0


def test_the_inbox_writes_one_row_naming_only_the_persons_it_showed(client, cast, refer):
    unnamed = refer.send(refer.case(given_name="一郎"))
    named = refer.send(refer.case(given_name="二郎"), named_worker=cast.csw_b)
    mine = refer.accepted(refer.case(given_name="三郎"), worker=cast.csw_b)
    theirs = refer.accepted(refer.case(given_name="四郎"), worker=cast.consultation_b)
    ended = refer.decline(refer.send(refer.case(given_name="五郎")))
    expected = {
        cast.csw_b: [named, mine],
        cast.consultation_b: [theirs],
        cast.supervisor_b: [unnamed, named, mine, theirs],
    }
    for user, shown in expected.items():
        client.force_login(user)
        since = _last()
        response = client.get(INBOX)
        assert response.status_code == 200
        assert len(response.context["page"].object_list) == 5
        rows = _new_rows(since)
        assert len(rows) == 1, user
        row = rows[0]
        assert (row.user, row.agency_id, row.action) == (
            user,
            cast.agency_b.pk,
            AccessLog.Action.VIEW_LIST,
        )
        assert row.person_id is None and row.case_id is None
        assert row.detail == "受け取ったつなぎ"
        assert row.case_ids == _ids(*(r.case for r in shown)), user
        assert row.person_ids == _ids(*(r.case.person for r in shown)), user
        page = text(response)
        for referral in (unnamed, named, mine, theirs, ended):
            listed = str(referral.case.person) in page
            assert listed is (referral in shown), (user, referral.case.person)


def test_an_inbox_that_names_nobody_writes_no_row(client, cast, refer):
    refer.send()
    refer.decline(refer.send(refer.case(given_name="次郎")))
    client.force_login(cast.csw_b)
    since = _last()
    response = client.get(INBOX)
    assert len(response.context["page"].object_list) == 2
    assert text(response).count(HIDDEN_ROW) == 2
    assert _new_rows(since) == []


def test_the_outbox_writes_one_row_with_the_senders_cases(client, cast, refer):
    one = refer.send(refer.case(given_name="一郎"))
    two = refer.decline(refer.send(refer.case(given_name="二郎")))
    client.force_login(cast.csw_a)
    since = _last()
    client.get(OUTBOX)
    rows = _new_rows(since)
    assert [(r.action, r.detail) for r in rows] == [(AccessLog.Action.VIEW_LIST, "送ったつなぎ")]
    assert rows[0].case_ids == _ids(one.case, two.case)
    assert rows[0].person_ids == _ids(one.case.person, two.case.person)


def test_the_referral_page_logs_a_read_only_when_it_names_the_person(client, cast, story):
    referral = story("sent")
    client.force_login(cast.csw_b)
    since = _last()
    assert client.get(referral.get_absolute_url()).status_code == 200
    assert _new_rows(since) == []
    client.force_login(cast.supervisor_b)
    assert client.get(referral.get_absolute_url()).status_code == 200
    rows = _new_rows(since)
    assert [(r.user, r.action, r.case_id, r.person_id, r.detail) for r in rows] == [
        (
            cast.supervisor_b,
            AccessLog.Action.VIEW_CASE,
            referral.case_id,
            referral.case.person_id,
            f"つなぎ No.{referral.pk}",
        )
    ]


def test_an_answer_page_logs_a_form_read_only_when_it_names_the_person(client, cast, story):
    referral = story("completed")
    waiting = story("sent", case=referral.case)
    client.force_login(cast.supervisor_b)  # answers for B, but no longer sees the person
    since = _last()
    assert client.get(url("complete", referral)).status_code == 200
    assert _new_rows(since) == []
    assert client.get(url("accept", waiting)).status_code == 200
    rows = _new_rows(since)
    assert [(r.action, r.case_id) for r in rows] == [(AccessLog.Action.VIEW_FORM, waiting.case_id)]
