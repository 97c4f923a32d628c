"""A consent withdrawn while a referral is being sent, on the real PostgreSQL (row locks do
not exist on SQLite). Skips elsewhere; under CI=true a skip fails the run.

Today the two are serialized by the row lock on the person: consent_withdraw locks the consent
with its person (select_related), and referral_send locks the case with its person, so a send
waits for the withdrawal to commit and then finds no basis. This test keeps it that way."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from casework import services
from referrals.models import OPEN_STATES, Referral

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_consent_withdrawn_while_sending_leaves_no_open_referral(cast, refer):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://...")
    case = refer.case()
    consent = refer.consent(case, cast.agency_b)
    withdrawn, sent = threading.Event(), threading.Event()
    errors: list[BaseException] = []
    outcome: list = []

    def withdraw():
        try:
            with transaction.atomic():
                services.consent_withdraw(actor=cast.csw_a, consent=consent)
                withdrawn.set()
                # Hold the withdrawal uncommitted while the referral is sent (or blocks).
                sent.wait(timeout=1)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            withdrawn.set()
            connection.close()

    def send():
        try:
            withdrawn.wait(timeout=5)
            try:
                outcome.append(refer.send(case, consent=False))
            except ValidationError as refusal:
                outcome.append(refusal)
        except BaseException as error:
            errors.append(error)
        finally:
            sent.set()
            connection.close()

    threads = [threading.Thread(target=withdraw), threading.Thread(target=send)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert not errors, errors
    consent.refresh_from_db()
    assert consent.withdrawn_on is not None
    assert len(outcome) == 1 and isinstance(outcome[0], ValidationError), outcome
    assert "本人同意" in " ".join(outcome[0].messages)
    assert not Referral.objects.filter(
        state__in=OPEN_STATES, basis__withdrawn_on__isnull=False
    ).exists()
