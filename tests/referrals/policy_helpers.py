"""The referral access policy of docs/access.md written out by hand, for every member of
the cast and every referral state: who is told whom a referral is for, who sees what the
sender shared, who answers. The policy tests (tests/referrals/test_referral_visibility.py
and its siblings) check the pages against it."""

from django.utils import translation

from casework.templatetags.tsunagu import jdate, jdatetime
from referrals.models import Referral, Scope

NAME = "目黒 一郎"
KANA = "めぐろ いちろう"
PHONE = "03-1234-5678"
ADDRESS = "目黒区中町九丁目8番7号"
REASON = "物忘れが進み、見守りの体制づくりを頼みたい"
SHARED = "共有すると選んだ経過の記録"
UNSHARED = "共有しない経過の記録"
DECLINE_NOTE = "担当地区の外であるためのお断り"
COMPLETION_NOTE = "申請の手続きを終えたという報告"
WITHDRAW_NOTE = "取り下げた事情のメモ"
NOTES = {"declined": DECLINE_NOTE, "completed": COMPLETION_NOTE, "withdrawn": WITHDRAW_NOTE}
NOTES["withdrawn_sent"] = WITHDRAW_NOTE

# A referral from csw_a (agency A) to agency B, nobody named; accepted ones go to
# consultation_b. "withdrawn" is withdrawn after acceptance, "withdrawn_sent" before.
STATES = ["sent", "accepted", "declined", "completed", "withdrawn", "withdrawn_sent"]
SCOPES = [Scope.SUMMARY, Scope.FULL]
OPEN = {"sent", "accepted"}
ASSIGNED = {"accepted", "completed", "withdrawn"}  # consultation_b was assigned

SENDING = {"csw_a", "supervisor_a"}  # they read the whole case
RECEIVING = {"csw_b", "consultation_b", "supervisor_b"}
HIDDEN_OPEN = "(紹介先の管理者と担当者だけに表示します)"
HIDDEN_ENDED = "(終了したつなぎのため表示しません)"
HIDDEN_ROW = "(表示しません)"


def identified(member: str, state: str) -> bool:
    """May the member see whom the referral is for and why (no other route to the person)?"""
    if member in SENDING:
        return True
    if member == "supervisor_b":
        return state in OPEN
    if member == "consultation_b":
        return state == "accepted"
    return False


def shared_shown(member: str, state: str) -> bool:
    """May the member see what the sender shared (contact details, picked records)?"""
    if member in SENDING:
        return True
    return state == "accepted" and member in {"consultation_b", "supervisor_b"}


def answers(member: str, state: str) -> bool:
    """Is the member one who answers for agency B (the answer pages open for them)?"""
    return member == "supervisor_b" or (member == "consultation_b" and state in ASSIGNED)


def applies(action: str, state: str) -> bool:
    return (action in ("accept", "decline") and state == "sent") or (
        action == "complete" and state == "accepted"
    )


def detail_status(member: str) -> int:
    return 200 if member in SENDING | RECEIVING else 404


def answer_status(member: str, state: str) -> int:
    if answers(member, state):
        return 200
    return 403 if member in SENDING | RECEIVING else 404


ANSWER_DATA = {"worker": "", "reason": "お断りの理由", "note": "完了の報告"}


def assert_dates_and_states(page: str, referral: Referral, who: str):
    with translation.override("ja"):
        assert referral.get_state_display() in page, who
        assert jdatetime(referral.sent_at) in page, who
        assert jdate(referral.answer_by) in page, who
        for moment in (referral.answered_at, referral.completed_at, referral.withdrawn_at):
            if moment:
                assert jdatetime(moment) in page, who


def assert_detail(page: str, referral: Referral, state: str, who: str, *, names: bool):
    """The referral page as `who` reads it: `names` says whether it names the person."""
    assert_dates_and_states(page, referral, who)
    for part in (NAME, KANA, REASON):
        assert (part in page) is names, (who, state, part)
    for note in set(NOTES.values()):
        assert (note in page) is (names and NOTES.get(state) == note), (who, state, note)
    if not names:
        assert (HIDDEN_OPEN if state in OPEN else HIDDEN_ENDED) in page, (who, state)
    assert UNSHARED not in page, who
