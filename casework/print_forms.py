"""The paper forms of the 生活困窮者自立支援制度, printed from the browser.

Each form is a page of the app laid out for A4 portrait (static/css/sheet.css, and the
print rules of static/css/tsunagu.css): no menu and no buttons on paper, the page number
at the foot of every page. A print is written to the access log as an export of the case.

A signed プラン兼事業等利用申込書 carries the plan's version and a check code (照合コード)
computed from what the person signed: the same content always gives the same code, and
any change of a goal, a date or an action gives another one, so a paper on file can be
matched to the exact version of the record later (docs/printing.md).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable

from django.utils.translation import gettext_noop as _noop

from casework.models import PlanAction, SupportPlan

# What the access log says was printed (in the ward's Japanese, translated on its page).
INTAKE = _noop("相談受付・申込票")
ASSESSMENT = _noop("インテーク・アセスメントシート")
PLAN = _noop("プラン兼事業等利用申込書")
CONTACTS = _noop("支援経過記録")
EVALUATION = _noop("評価シート")

CHECK_CODE_LENGTH = 8


def plan_check_code(plan: SupportPlan, actions: Iterable[PlanAction]) -> str:
    """The plan version's 照合コード: eight characters of base32 (A–Z, 2–7; no 0/1/8/9 to
    misread) of a SHA-256 over the plan's identity and everything the paper shows of it.

    Not a signature (anyone with the record can compute it): it tells whether the paper
    and the record say the same thing. The plan's state, approver and times are left out,
    so the paper signed before approval matches the approved version; so is the next
    monitoring date, which each monitoring of the plan in force moves (its schedule, not
    what the person agreed to)."""
    content = {
        "plan": plan.pk,
        "case": plan.case_id,
        "version": plan.version,
        "long_term_goal": plan.long_term_goal,
        "short_term_goals": plan.short_term_goals,
        "services_used": plan.services_used,
        "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(),
        "actions": [
            [a.description, a.agency_id, a.agency_note, a.frequency, a.is_employment_support]
            for a in actions
        ],
    }
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    code = base64.b32encode(hashlib.sha256(text.encode()).digest()).decode()
    return f"{code[:4]}-{code[4:CHECK_CODE_LENGTH]}"
