"""What a delivered reminder says: its message and its link, by rule.

Messages carry case and record numbers, never a name: they may travel by e-mail.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.wareki import wareki_date

from .models import Rule
from .rules import Candidate, Facts


def _case_url(facts: Facts) -> str:
    return reverse("casework:case_detail", kwargs={"pk": facts["case_id"]})


def _local(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{wareki_date(local.date())} {local:%H:%M}"


def describe(candidate: Candidate) -> tuple[str, str]:
    """The message and the link of a reminder, in the language active when it is sent."""
    rule, facts, pk = candidate.rule, candidate.facts, candidate.object_id
    if rule == Rule.PLAN_MONITORING_DUE:
        message = _("ケース %(case)06d のモニタリング予定日は %(date)s です。") % {
            "case": facts["case_id"],
            "date": wareki_date(facts["date"]),
        }
        return message, _case_url(facts)
    if rule == Rule.PLAN_MONITORING_OVERDUE:
        message = _(
            "ケース %(case)06d のモニタリングが予定日 %(date)s から%(days)d日過ぎても"
            "記録されていません。"
        ) % {"case": facts["case_id"], "date": wareki_date(facts["date"]), "days": facts["days"]}
        return message, _case_url(facts)
    if rule == Rule.REFERRAL_UNANSWERED:
        if facts.get("sender"):
            text = _("紹介したつなぎ %(number)d に、回答期限 %(date)s を過ぎても回答がありません。")
        else:
            text = _("つなぎ %(number)d の回答期限 %(date)s が来ています。回答してください。")
        message = text % {"number": pk, "date": wareki_date(facts["date"])}
        return message, reverse("referrals:detail", kwargs={"pk": pk})
    if rule == Rule.VISIT_TOMORROW:
        message = _("明日 %(at)s にアウトリーチ訪問 %(number)d の予定があります。") % {
            "at": _local(facts["at"]),
            "number": pk,
        }
        return message, reverse("outreach:visit_detail", kwargs={"pk": pk})
    if rule == Rule.VISIT_NOT_RECORDED:
        message = _("%(at)s のアウトリーチ訪問 %(number)d の結果が記録されていません。") % {
            "at": _local(facts["at"]),
            "number": pk,
        }
        return message, reverse("outreach:visit_detail", kwargs={"pk": pk})
    if rule == Rule.REPORT_UNTRIAGED:
        if facts["urgent"]:
            text = _("緊急の見守り通報 %(number)d(受付 %(at)s)が2時間を過ぎても未対応です。")
        else:
            text = _("見守り通報 %(number)d(受付 %(at)s)が24時間を過ぎても未対応です。")
        message = text % {"number": pk, "at": _local(facts["at"])}
        return message, reverse("outreach:report_detail", kwargs={"pk": pk})
    if rule == Rule.NO_CONTACT:
        message = _("ケース %(case)06d は %(date)s 以降、%(days)d日以上支援記録がありません。") % {
            "case": pk,
            "date": wareki_date(facts["date"]),
            "days": facts["days"],
        }
        return message, _case_url(facts)
    if rule == Rule.RIGHTS_DEADLINE:
        kinds = {
            "disclosure": _("開示請求"),
            "correction": _("訂正請求"),
            "suspension": _("利用停止請求"),
        }
        message = _("%(kind)s No.%(number)d の決定期限は %(date)s です。") % {
            "kind": kinds.get(facts["kind"], facts["kind"]),
            "number": pk,
            "date": wareki_date(facts["date"]),
        }
        return message, reverse("rights:detail", kwargs={"pk": pk})
    raise ValueError(rule)
