"""What each member of the cast sees of a referral, in every state and both scopes
(docs/access.md):

- Before acceptance only the receiving agency's supervisors and the worker the sender named
  see the person and the reason; other workers there see that a referral waits.
- An ended referral shows dates and states but not the person, the reason or the notes,
  unless the user sees the person by another route.
- A summary receiver's person page shows the person, not the sender's case.

The policy itself is written out in tests/referrals/policy_helpers.py.
"""

import pytest
from django.utils import translation

from casework.templatetags.tsunagu import jdate
from referrals.models import Scope
from tests.referrals.page_helpers import INBOX, OUTBOX, text
from tests.referrals.policy_helpers import (
    ADDRESS,
    HIDDEN_ROW,
    KANA,
    NAME,
    NOTES,
    PHONE,
    REASON,
    RECEIVING,
    SCOPES,
    SENDING,
    SHARED,
    STATES,
    assert_detail,
    detail_status,
    identified,
    shared_shown,
)

# --- what each member sees, in every state and scope --------------------------------------


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("state", STATES)
def test_what_each_member_sees_on_the_referral_page(client, cast, story, state, scope):
    referral = story(state, scope)
    for member, user in cast.roles().items():
        client.force_login(user)
        response = client.get(referral.get_absolute_url())
        assert response.status_code == detail_status(member), (member, state)
        if response.status_code != 200:
            continue
        page = text(response)
        assert_detail(page, referral, state, member, names=identified(member, state))
        shown = shared_shown(member, state)
        assert (PHONE in page) is shown and (ADDRESS in page) is shown, (member, state)
        assert (SHARED in page) is (shown and scope == Scope.SUMMARY), (member, state)


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("state", STATES)
def test_what_each_member_sees_in_the_inbox_and_outbox(client, cast, story, state, scope):
    referral = story(state, scope)
    for member, user in cast.roles().items():
        client.force_login(user)
        box = OUTBOX if member in SENDING else INBOX
        response = client.get(box)
        if member not in SENDING | RECEIVING:
            assert response.status_code in (200, 403), member
            if response.status_code == 200:  # consultation_a: a list without this referral
                assert referral not in response.context["page"].object_list
                assert NAME not in text(response)
            continue
        assert response.status_code == 200, member
        assert list(response.context["page"].object_list) == [referral], member
        page = text(response)
        names = identified(member, state)
        assert (NAME in page) is names, (member, state)
        assert (HIDDEN_ROW in page) is not names, (member, state)
        assert referral.get_state_display() in page
        # A list names the person at most: never the reason, the kana or the contact details.
        for part in (KANA, REASON, PHONE, ADDRESS, *NOTES.values()):
            assert part not in page, (member, state, part)


# --- summary scope: the person, not the sender's case ----------------------------------------


def _case_facts(case):
    with translation.override("ja"):
        return (
            str(case),
            case.get_absolute_url(),
            case.owning_agency.name,
            f"{case.owning_agency} · {case.get_status_display()} · {jdate(case.opened_on)}",
            jdate(case.opened_on),
        )


def test_a_summary_receivers_person_page_shows_the_person_not_the_senders_case(client, cast, story):
    referral = story("accepted", Scope.SUMMARY)
    case, person = referral.case, referral.case.person
    for member in ("consultation_b", "supervisor_b"):
        client.force_login(getattr(cast, member))
        response = client.get(person.get_absolute_url())
        assert response.status_code == 200, member
        page = text(response)
        for part in (NAME, KANA, PHONE, ADDRESS):
            assert part in page, (member, part)
        for fact in _case_facts(case):
            assert fact not in page, (member, fact)
        assert list(response.context["cases"]) == []
        assert "閲覧できるケースはありません。" in page
    # The sender, and a full-scope receiver, do see the case there.
    client.force_login(cast.csw_a)
    page = text(client.get(person.get_absolute_url()))
    assert all(fact in page for fact in _case_facts(case))


def test_a_full_scope_receivers_person_page_lists_the_case(client, cast, story):
    referral = story("accepted", Scope.FULL)
    client.force_login(cast.consultation_b)
    response = client.get(referral.case.person.get_absolute_url())
    assert list(response.context["cases"]) == [referral.case]
    assert all(fact in text(response) for fact in _case_facts(referral.case))
