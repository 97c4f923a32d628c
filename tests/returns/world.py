"""A small ward built by hand for the return's fixture: every record made through the real
services, each on its own day (and, where the time of day matters, at its own minute, in
Tokyo time), so that the figures can be worked out on paper and asserted exactly.

`at(moment)` sets the clock the services read (django.utils.timezone.now) for the records
made inside it: a plan approved "at 00:30 on April 1" really has that approved_at.
"""

from __future__ import annotations

import contextlib
import datetime
import zoneinfo
from dataclasses import dataclass
from unittest import mock

from casework import services
from casework.models import Agency, ConsentBasis, MonitoringProgress, Role
from referrals import services as referral_services
from referrals.models import Referral
from tests.factories import AgencyFactory, StaffFactory

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
D = datetime.date


def tokyo(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TOKYO)


@contextlib.contextmanager
def at(moment: datetime.datetime | datetime.date):
    if isinstance(moment, datetime.date) and not isinstance(moment, datetime.datetime):
        moment = tokyo(moment)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@dataclass
class Desk:
    """One agency with a worker and a supervisor."""

    agency: Agency
    worker: object
    supervisor: object


def desk(name: str, kind: str, key: str) -> Desk:
    agency = AgencyFactory(name=name, kind=kind)
    return Desk(
        agency=agency,
        worker=StaffFactory(username=f"worker_{key}", agency=agency, role=Role.CONSULTATION),
        supervisor=StaffFactory(username=f"sv_{key}", agency=agency, role=Role.SUPERVISOR),
    )


class Builder:
    def __init__(self, desk: Desk):
        self.desk = desk
        self._n = 0

    def intake(self, day: datetime.date, name: str):
        self._n += 1
        with at(day):
            return services.case_intake(
                actor=self.desk.worker,
                new_person={
                    "family_name": name,
                    "given_name": "太郎",
                    "family_name_kana": "てすと",
                    "given_name_kana": "たろう",
                    "birth_date": D(1970, 1, 1 + self._n),
                },
                received_on=day,
                route="visit",
                main_concern="income",
                chief_complaint="生活費が足りない。",
            )

    def screen(self, case, day: datetime.date, result: str = "continue"):
        with at(day):
            return services.screening_decide(
                actor=self.desk.worker, case=case, result=result, decided_on=day
            )

    def assess(self, case, day: datetime.date):
        with at(day):
            return services.assessment_add(
                actor=self.desk.worker, case=case, assessed_on=day, summary="家計が苦しい。"
            )

    def plan(self, case, moment: datetime.datetime, *, employment: bool, baseline=None):
        """A plan written, submitted and approved at `moment` (Tokyo time)."""
        day = moment.date()
        actions = [{"description": "家計相談", "frequency": "月1回"}]
        if employment:
            actions.append({"description": "就労準備支援", "is_employment_support": True})
        with at(moment):
            plan = services.plan_create(
                actor=self.desk.worker,
                case=case,
                actions=actions,
                baseline=baseline,
                long_term_goal="安定した生活を送る",
                short_term_goals="家計を見直す",
                period_start=day,
                period_end=day + datetime.timedelta(days=180),
                next_monitoring_on=day + datetime.timedelta(days=30),
            )
            services.plan_submit(actor=self.desk.worker, plan=plan)
            return services.plan_approve(actor=self.desk.supervisor, plan=plan)

    def evaluate(self, plan, day: datetime.date, scores):
        with at(day):
            return services.monitoring_add(
                actor=self.desk.worker,
                plan=plan,
                kind="evaluation",
                monitored_on=day,
                progress=MonitoringProgress.ON_TRACK,
                notes="評価した。",
                scores=scores,
            )

    def enrol(self, case, day: datetime.date):
        with at(day):
            return services.enrolment_add(
                actor=self.desk.worker,
                case=case,
                person=case.person,
                programme="employment",
                enrolled_on=day,
            )

    def outcome(self, enrolment, kind: str, day: datetime.date):
        with at(day):
            return services.outcome_add(
                actor=self.desk.worker, enrolment=enrolment, kind=kind, achieved_on=day
            )

    def consent(self, case, day: datetime.date, agencies):
        with at(day):
            return services.consent_record(
                actor=self.desk.worker,
                person=case.person,
                basis=ConsentBasis.CONSENT,
                agencies=agencies,
                given_on=day,
            )

    def refer(self, case, moment: datetime.datetime, to: Agency) -> Referral:
        with at(moment):
            referral = referral_services.referral_send(
                actor=self.desk.worker,
                case=case,
                receiving_agency=to,
                reason="つなぎが必要。",
                urgency="normal",
                answer_by=moment.date() + datetime.timedelta(days=14),
                scope="summary",
            )
        # sent_at's default was bound to the real clock when the model was defined.
        Referral.objects.filter(pk=referral.pk).update(sent_at=moment)
        referral.refresh_from_db()
        return referral

    def withdraw(self, referral: Referral, day: datetime.date) -> None:
        with at(day):
            referral_services.referral_withdraw(actor=self.desk.worker, referral=referral)
