"""referrals' section of 「今日」: referrals waiting for an answer that the user answers for
(to their agency, as its supervisor or the worker named), and those their side sent that
are still unanswered. Whom a referral is for shows only where `mark_identities` allows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from casework.extensions import TodayItem, TodaySection, register_today
from casework.models import CaseAssignment, Role
from casework.today import first_and_total
from referrals.access_rules import mark_identities, referrals_received_by, referrals_sent_by
from referrals.models import ReferralState

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from casework.models import StaffMembership


@register_today
def referral_sections(user: User, membership: StaffMembership) -> list[TodaySection]:
    if not membership.handles_cases:
        return []
    today = timezone.localdate()
    received = referrals_received_by(user).filter(state=ReferralState.SENT)
    if membership.role != Role.SUPERVISOR:
        received = received.filter(assigned_worker=user)
    sent = referrals_sent_by(user).filter(state=ReferralState.SENT)
    if membership.role != Role.SUPERVISOR:
        # A worker's own side: the referrals they sent, or of the cases they work now.
        works_it = CaseAssignment.objects.filter(
            case_id=OuterRef("case_id"), worker=user, ended_at__isnull=True
        )
        sent = sent.filter(Q(sent_by=user) | Q(Exists(works_it)))
    sections = []
    for key, title, rows, empty, order in (
        (
            "referrals_to_answer",
            _lazy("回答を待っているつなぎ(受け取ったもの)"),
            received,
            _lazy("回答待ちの受け取ったつなぎはありません。"),
            26,
        ),
        (
            "referrals_unanswered",
            _lazy("まだ回答のないつなぎ(送ったもの)"),
            sent,
            _lazy("回答を待っている送ったつなぎはありません。"),
            27,
        ),
    ):
        rows = rows.select_related("case__person", "sending_agency", "receiving_agency")
        first, total, late_total = first_and_total(
            rows.order_by("answer_by", "pk"), Q(answer_by__lt=today)
        )
        shown = mark_identities(user, first)
        items = []
        for referral in shown:
            other = (
                referral.sending_agency
                if key == "referrals_to_answer"
                else referral.receiving_agency
            )
            who = f" {referral.case.person}" if referral.identifies else ""
            items.append(
                TodayItem(
                    label=_lazy("つなぎ %(number)s%(who)s(%(agency)s)")
                    % {"number": referral.pk, "who": who, "agency": other},
                    url=reverse("referrals:detail", kwargs={"pk": referral.pk}),
                    when=referral.answer_by,
                    overdue=referral.answer_by < today,
                    note=str(_lazy("回答期限")),
                )
            )
        sections.append(
            TodaySection(
                key=key,
                title=title,
                items=items,
                total=total,
                overdue_total=late_total,
                more_url=reverse(
                    "referrals:inbox" if key == "referrals_to_answer" else "referrals:outbox"
                ),
                empty=empty,
                order=order,
                cases=[r.case for r in shown if r.identifies],
            )
        )
    return sections
