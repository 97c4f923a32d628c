"""Helpers of the referral page tests: the pages' URLs, a valid send form, a page's
text."""

from django.urls import reverse

from tests.referrals.conftest import days

INBOX = reverse("referrals:inbox")
OUTBOX = reverse("referrals:outbox")


def url(name, obj):
    return reverse(f"referrals:{name}", kwargs={"pk": obj.pk})


def send_url(case):
    return reverse("referrals:send", kwargs={"pk": case.pk})


def form_data(cast, **overrides):
    data = {
        "receiving_agency": cast.agency_b.pk,
        "reason": "介護保険の申請について",
        "urgency": "normal",
        "answer_by": days(7).isoformat(),
        "scope": "summary",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def text(response) -> str:
    return response.content.decode()
