"""bench_build's case records: consents with the shares and referrals resting on them, the
contact records with their versions, and the assessments, plans and monitoring."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import ManyToManyField, Model

from bench.names import (
    COMPLAINTS,
    CONTACT_SENTENCES,
    NEXT_ACTIONS,
)
from bench.staff import CSW
from bench.world import DAY, CaseRow, between, office_time
from bench.writer import Ids
from casework.models import (
    AccessLog,
    AgencyKind,
    CaseShare,
    Consent,
    ConsentBasis,
    ContactMethod,
    ContactRecord,
    ContactRecordVersion,
)
from referrals.models import Referral, ReferralState, Scope, Urgency

if TYPE_CHECKING:
    from bench.build import Build

VIEW, SUMMARY = "view_case", "view_case_summary"
HOUR = datetime.timedelta(hours=1)


def m2m_fields(model: type[Model], name: str) -> tuple[str, str]:
    """The two id columns of a many-to-many table, as attnames."""
    field = model._meta.get_field(name)
    assert isinstance(field, ManyToManyField)
    return f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"


# --- consents, shares, referrals ------------------------------------------------------------


class _Consents:
    """One consent record per person and agency it covers, written when first needed."""

    FIELDS = (
        "id",
        "person_id",
        "basis",
        "given_on",
        "withdrawn_on",
        "recorded_by_id",
        "recorded_by_agency_id",
        "withdrawn_by_id",
        "note",
        "created_at",
    )

    def __init__(self, b: Build) -> None:
        self.b = b
        self.ids = Ids(Consent)
        self.by_key: dict[tuple[int, int], int] = {}
        self.through = Consent.agencies.through
        self.through_fields = m2m_fields(Consent, "agencies")

    def covering(self, case: CaseRow, agency: int, before: datetime.date) -> int:
        b = self.b
        target = b.agency_id(agency)
        found = self.by_key.get((case.person, target))
        if found is not None:
            return found
        covered = [target]
        if b.rng.random() < 0.3:
            extra = b.rng.randrange(len(b.org.agencies))
            if extra not in (agency, case.agency):
                covered.append(b.agency_id(extra))
        consent = self._write(case, between(b.rng, case.opened_on, before), covered)
        for agency_id in covered:
            self.by_key[(case.person, agency_id)] = consent
        return consent

    def withdrawn(self, case: CaseRow) -> None:
        b = self.b
        other = b.rng.randrange(len(b.org.agencies))
        given = between(b.rng, case.opened_on, case.end)
        self._write(case, given, [b.agency_id(other)], withdrawn=between(b.rng, given, case.end))

    def _write(
        self,
        case: CaseRow,
        given: datetime.date,
        agencies: list[int],
        withdrawn: datetime.date | None = None,
    ) -> int:
        b = self.b
        consent = self.ids.take()
        basis = b.rng.choices(ConsentBasis.values, (85, 8, 4, 3))[0]
        row = (
            consent,
            case.person,
            basis,
            given,
            withdrawn,
            case.creator,
            b.agency_id(case.agency),
            case.creator if withdrawn else None,
            "",
            min(office_time(b.rng, given), b.now),
        )
        b.w.add(Consent, self.FIELDS, row)
        b.w.add_many(self.through, self.through_fields, ((consent, a) for a in agencies))
        return consent


REFERRAL_FIELDS = (
    "id",
    "case_id",
    "sending_agency_id",
    "sent_by_id",
    "sent_at",
    "receiving_agency_id",
    "reason",
    "urgency",
    "answer_by",
    "scope",
    "basis_id",
    "is_public_assistance",
    "state",
    "answered_at",
    "answered_by_id",
    "decline_reason",
    "assigned_worker_id",
    "completed_at",
    "completed_by_id",
    "completion_note",
    "withdrawn_at",
    "withdrawn_by_id",
    "withdraw_reason",
)
REFERRAL_STATES = (
    (ReferralState.SENT, 20),
    (ReferralState.ACCEPTED, 35),
    (ReferralState.DECLINED, 15),
    (ReferralState.COMPLETED, 25),
    (ReferralState.WITHDRAWN, 5),
)
OPEN = (ReferralState.SENT, ReferralState.ACCEPTED)


def sharing(b: Build) -> None:
    rng = b.rng
    cases = b.world.cases
    open_cases = [c for c in cases if c.is_open]
    consents = _Consents(b)
    n = len(b.org.agencies)
    _referrals(b, cases, open_cases, consents)

    share_fields = (
        "case_id",
        "user_id",
        "consent_id",
        "granted_by_id",
        "granted_at",
        "revoked_at",
        "revoke_reason",
    )
    shared: set[tuple[int, int]] = set()

    def share(case: CaseRow, user: int, agency: int, cross: bool) -> None:
        if (case.id, user) in shared or user in (case.worker, case.co_worker):
            return
        shared.add((case.id, user))
        by = case.worker or case.creator
        at = b.between_times(case.created_at, b.case_end_time(case))
        revoked = None
        if not case.is_open or rng.random() < 0.1:
            revoked = b.between_times(at, b.case_end_time(case))
        consent = consents.covering(case, agency, at.date()) if cross else None
        reason = "支援の終了" if revoked else ""
        b.w.add(CaseShare, share_fields, (case.id, user, consent, by, at, revoked, reason))
        b.grant(case, user, (VIEW,), actor=by, at=at, reason="共有", active=revoked is None,
                ended=revoked, end_reason=reason)  # fmt: skip

    for _ in range(round(0.04 * len(cases))):
        case = rng.choice(open_cases) if rng.random() < 0.9 else rng.choice(cases)
        if rng.random() < 0.75:
            agency = rng.choice([i for i in range(n) if i != case.agency])
            share(case, rng.choice(b.org.agencies[agency].case_staff).pk, agency, True)
        else:
            staff = [w.pk for w in b.org.agencies[case.agency].workers]
            share(case, rng.choice(staff), case.agency, False)
    # bench_csw's 共有されたケース tab: cases of other agencies shared on the person's consent.
    csw = next(u.pk for u in b.org.users if u.username == CSW)
    elsewhere = [c for c in open_cases if c.agency != b.org.agency_of[csw]]
    for case in rng.sample(elsewhere, min(len(elsewhere), max(3, round(2 * b.sizes.scale)))):
        share(case, csw, b.org.agency_of[csw], True)
    for _ in range(round(0.005 * len(cases))):
        consents.withdrawn(rng.choice(cases))


def _referrals(
    b: Build, cases: list[CaseRow], open_cases: list[CaseRow], consents: _Consents
) -> None:
    rng = b.rng
    ids = Ids(Referral)
    n = len(b.org.agencies)
    contacts_table = Referral.shared_contacts.through
    contacts_fields = m2m_fields(Referral, "shared_contacts")
    open_pairs: set[tuple[int, int]] = set()
    states = [s for s, _w in REFERRAL_STATES]
    weights = [w for _s, w in REFERRAL_STATES]
    for state in rng.choices(states, weights, k=round(0.04 * len(cases))):
        case = rng.choice(open_cases if state in OPEN else cases)
        target = rng.choice([i for i in range(n) if i != case.agency])
        if state in OPEN:
            if (case.id, target) in open_pairs:
                continue
            open_pairs.add((case.id, target))
        receiving = b.org.agencies[target]
        last = min(case.end, b.today - DAY * 2)
        if state == ReferralState.SENT:
            day = between(rng, max(case.opened_on, b.today - DAY * 20), b.today)
        elif state == ReferralState.ACCEPTED:
            day = between(rng, max(case.opened_on, b.today - DAY * 365), last)
        else:
            day = between(rng, case.opened_on, last)
        sent_at = min(office_time(rng, day), b.now - HOUR)
        referral = ids.take()
        scope = Scope.FULL if rng.random() < 0.4 else Scope.SUMMARY
        sent_by = case.worker or case.creator
        answered_at = answered_by = assigned = completed_at = completed_by = None
        withdrawn_at = withdrawn_by = None
        decline = completion = withdraw = ""
        if state in (ReferralState.ACCEPTED, ReferralState.COMPLETED, ReferralState.DECLINED):
            answered_at = min(sent_at + DAY * rng.uniform(0.1, 5), b.now - HOUR)
            answered_by = rng.choice(receiving.supervisors).pk
        if state in (ReferralState.ACCEPTED, ReferralState.COMPLETED):
            assigned = rng.choice(receiving.workers).pk
        elif state == ReferralState.SENT and rng.random() < 0.2:
            assigned = rng.choice(receiving.workers).pk  # the worker the sender named
        if state == ReferralState.COMPLETED:
            assert answered_at is not None
            completed_at = min(answered_at + DAY * rng.randint(10, 120), b.now - HOUR)
            completed_by, completion = assigned, "紹介先での支援を終えました。"
        if state == ReferralState.DECLINED:
            decline = "担当の対象外のため、別の窓口をご案内ください。"
        if state == ReferralState.WITHDRAWN:
            withdrawn_at = min(sent_at + DAY * rng.uniform(0.5, 3), b.now - HOUR)
            withdrawn_by, withdraw = sent_by, "本人の意向により取り下げます。"
        row = (
            referral,
            case.id,
            b.agency_id(case.agency),
            sent_by,
            sent_at,
            receiving.agency.pk,
            rng.choice(COMPLAINTS) + "支援をお願いします。",
            rng.choices(Urgency.values, (10, 25, 65))[0],
            day + DAY * rng.randint(3, 14),
            scope,
            consents.covering(case, target, day),
            receiving.agency.kind == AgencyKind.PUBLIC_ASSISTANCE,
            state,
            answered_at,
            answered_by,
            decline,
            assigned,
            completed_at,
            completed_by,
            completion,
            withdrawn_at,
            withdrawn_by,
            withdraw,
        )
        b.w.add(Referral, REFERRAL_FIELDS, row)
        if scope == Scope.SUMMARY and case.contacts_n:
            picked = rng.sample(range(case.contacts_n), min(case.contacts_n, rng.randint(1, 3)))
            b.w.add_many(
                contacts_table,
                contacts_fields,
                ((referral, case.contacts_first + k) for k in picked),
            )
        if assigned is not None and answered_at is not None and answered_by is not None:
            perm = VIEW if scope == Scope.FULL else SUMMARY
            b.grant(case, assigned, (perm,), actor=answered_by, at=answered_at,
                    reason=f"紹介 No.{referral} の受理", active=state == ReferralState.ACCEPTED,
                    ended=completed_at, end_reason=f"紹介 No.{referral} の完了")  # fmt: skip
            what = f"{receiving.agency.name}の管理者: %s(紹介 No.{referral}、{Scope(scope).label})"
            b.log(answered_at, answered_by, AccessLog.Action.GRANT, case=case,
                  detail=what % "紹介の受理")  # fmt: skip
            if completed_at is not None and completed_by is not None:
                b.log(completed_at, completed_by, AccessLog.Action.REVOKE, case=case,
                      detail=what % "紹介の完了")  # fmt: skip


# --- contact records ------------------------------------------------------------------------

CONTACT_FIELDS = (
    "id",
    "case_id",
    "worker_id",
    "occurred_at",
    "method",
    "minutes",
    "summary",
    "next_action",
    "created_at",
    "version",
    "corrected_at",
    "voided_at",
    "voided_by_id",
    "void_reason",
)
VERSION_FIELDS = (
    "record_id",
    "number",
    "occurred_at",
    "method",
    "minutes",
    "summary",
    "next_action",
    "reason",
    "author_id",
    "created_at",
)
METHODS = (
    (ContactMethod.PHONE, 40, 5, 30),
    (ContactMethod.VISIT_OFFICE, 20, 20, 90),
    (ContactMethod.HOME_VISIT, 20, 30, 120),
    (ContactMethod.ACCOMPANY, 7, 60, 240),
    (ContactMethod.ONLINE, 5, 15, 60),
    (ContactMethod.OTHER, 8, 5, 60),
)


def contacts(b: Build) -> None:
    rng = b.rng
    now = b.now
    month = DAY * 30
    methods = [m for m, *_ in METHODS]
    method_weights = [w for _m, w, *_ in METHODS]
    spans = {m: (lo, hi) for m, _w, lo, hi in METHODS}
    for c in b.world.cases:
        n = c.contacts_n
        if not n:
            continue
        start, end = c.created_at, b.case_end_time(c)
        if c is b.bench_case:
            start = max(start, now - DAY * 365)
        if c.is_open and c.quiet and now - month - DAY > start:
            end = now - month - DAY
        times = sorted(b.between_times(start, end) for _ in range(n))
        if c.is_open and not c.quiet and now - times[-1] > month and rng.random() < 0.85:
            times[-1] = max(start, now - DAY * rng.uniform(0.5, 29))
        primary = c.worker or c.creator
        supervisor = b.supervisor(c.agency)
        for k, at in enumerate(times):
            record = c.contacts_first + k
            if c.former is not None and c.handover is not None and at < c.handover:
                worker = c.former
            elif c.co_worker is not None and rng.random() < 0.25:
                worker = c.co_worker
            else:
                worker = primary
            method = rng.choices(methods, method_weights)[0]
            minutes = rng.randint(*spans[method])
            summary = "".join(rng.sample(CONTACT_SENTENCES, rng.randint(1, 3)))
            next_action = rng.choice(NEXT_ACTIONS) if rng.random() < 0.5 else ""
            created = min(at + datetime.timedelta(minutes=rng.randint(5, 600)), now)
            version, corrected = 1, None
            voided = voided_by = None
            void_reason = ""
            b.w.add(
                ContactRecordVersion,
                VERSION_FIELDS,
                (record, 1, at, method, minutes, summary, next_action, "", worker, created),
            )
            roll = rng.random()
            if roll < 0.005:
                # A correction (訂正): the record shows its latest version.
                version, corrected = 2, min(created + DAY * rng.uniform(0.1, 3), now)
                summary += "(聞き取った内容を追記)"
                b.w.add(
                    ContactRecordVersion,
                    VERSION_FIELDS,
                    (record, 2, at, method, minutes, summary, next_action,
                     "聞き取った内容の追記", worker, corrected),
                )  # fmt: skip
            elif roll < 0.007:
                voided, voided_by = min(created + DAY * rng.uniform(0.1, 5), now), supervisor
                void_reason = "別の方の記録として誤って入力したため"
            b.w.add(
                ContactRecord,
                CONTACT_FIELDS,
                (record, c.id, worker, at, method, minutes, summary, next_action, created,
                 version, corrected, voided, voided_by, void_reason),
            )  # fmt: skip
            # Recording it, the worker had the case page open.
            b.log(created - datetime.timedelta(minutes=2), worker, AccessLog.Action.VIEW_CASE,
                  case=c, detail="ケースの画面")  # fmt: skip
