"""Demo referrals between the demo agencies, made through the services (run after seed_demo).

Idempotent: it does nothing when any referral exists. Refuses DEBUG off unless --force.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from casework import access
from casework import services as casework_services
from casework.models import Agency, Case, CaseAssignment, ConsentBasis, Role, StaffMembership
from referrals import services
from referrals.models import Referral

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Where a concern is usually referred to, by agency kind.
TARGET_KIND = {
    "care": Agency.Kind.COMPREHENSIVE_CENTER,
    "health": Agency.Kind.HEALTH_CENTER,
    "income": Agency.Kind.SELF_RELIANCE,
    "debt": Agency.Kind.SELF_RELIANCE,
    "job_search": Agency.Kind.SELF_RELIANCE,
    "rent_loan": Agency.Kind.SELF_RELIANCE,
    "food": Agency.Kind.PUBLIC_ASSISTANCE,
    "childcare": Agency.Kind.CHILD_FAMILY,
    "withdrawal": Agency.Kind.CSW,
    "community": Agency.Kind.CSW,
    "family": Agency.Kind.GENERAL_CONSULTATION,
    "housing": Agency.Kind.GENERAL_CONSULTATION,
}

REASONS: dict[str, str] = {
    Agency.Kind.COMPREHENSIVE_CENTER: (
        "物忘れが進み、介護保険の申請と見守りの体制づくりをお願いしたい。"
    ),
    Agency.Kind.HEALTH_CENTER: "体調の悪化が続いている。保健師による訪問をお願いしたい。",
    Agency.Kind.SELF_RELIANCE: (
        "収入が途絶え家賃を滞納している。家計改善と就労の支援をお願いしたい。"
    ),
    Agency.Kind.PUBLIC_ASSISTANCE: (
        "所持金がほとんどなく食料にも困っている。生活保護の相談につなぎたい。"
    ),
    Agency.Kind.CHILD_FAMILY: "子育ての負担が大きく、家庭への支援をお願いしたい。",
    Agency.Kind.CSW: "地域とのつながりがなく、ひきこもりがちな本人への伴走をお願いしたい。",
    Agency.Kind.GENERAL_CONSULTATION: "複数の課題が重なっており、総合相談での整理をお願いしたい。",
}

# What happens to the n-th referral: the demo shows every state.
OUTCOMES = [
    "sent", "accepted", "sent", "accepted", "declined", "accepted", "sent", "completed",
    "accepted", "withdrawn", "sent", "accepted", "completed", "accepted", "sent", "declined",
    "accepted", "sent",
]  # fmt: skip


class Command(BaseCommand):
    help = "Create demo referrals between the demo agencies (after seed_demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_referrals refuses to run with DEBUG off. Use --force only on a "
                "disposable demo database."
            )
        if Referral.objects.exists():
            self.stdout.write("Referrals exist already: nothing to do.")
            return
        with transaction.atomic():
            made = self._seed()
        self.stdout.write(f"Created {made} demo referrals.")

    def _seed(self) -> int:
        today = timezone.localdate()
        # By kind; looked up with None for a concern that has no usual target.
        agencies: dict[str | None, Agency] = {}
        for agency in Agency.objects.order_by("pk"):
            agencies.setdefault(agency.kind, agency)
        made = 0
        cases = (
            Case.objects.exclude(status="closed")
            .exclude(status="intake")
            .select_related("person", "owning_agency")
            .order_by("pk")
        )
        for case in cases:
            if made >= len(OUTCOMES):
                break
            target = agencies.get(TARGET_KIND.get(case.main_concern))
            if target is None or target.pk == case.owning_agency_id:
                continue
            assignment = (
                CaseAssignment.objects.filter(case=case, ended_at__isnull=True)
                .select_related("worker")
                .order_by("pk")
                .first()
            )
            receiver = self._receiver(target)
            if assignment is None or receiver is None:
                continue
            worker = assignment.worker
            if access.sharing_basis(case.person, target) is None:
                casework_services.consent_record(
                    actor=worker,
                    person=case.person,
                    basis=ConsentBasis.CONSENT,
                    agencies=[target],
                    given_on=today - datetime.timedelta(days=made % 5),
                    note="つなぎについて本人から口頭で同意を得た。",
                )
            contact = case.contacts.order_by("occurred_at").first()
            referral = services.referral_send(
                actor=worker,
                case=case,
                receiving_agency=target,
                reason=REASONS[target.kind],
                urgency=["normal", "high", "urgent"][made % 3],
                answer_by=today + datetime.timedelta(days=made % 9),
                scope="full" if made % 4 == 3 else "summary",
                shared_contacts=[contact] if contact else [],
                # The sender names the worker it already talks to over there.
                named_worker=receiver,
            )
            self._answer(referral, OUTCOMES[made], receiver, worker)
            made += 1
        return made

    @staticmethod
    def _receiver(agency: Agency) -> User | None:
        membership = (
            StaffMembership.objects.filter(
                agency=agency, role__in=[Role.CONSULTATION, Role.CSW, Role.SUPERVISOR]
            )
            .select_related("user")
            .order_by("role", "user__username")
            .first()
        )
        return membership.user if membership else None

    @staticmethod
    def _answer(referral: Referral, outcome: str, receiver: User, sender: User) -> None:
        if outcome == "sent":
            return
        if outcome == "declined":
            services.referral_decline(
                actor=receiver,
                referral=referral,
                reason="当機関の対象外のため、福祉の総合相談窓口をご案内ください。",
            )
            return
        if outcome == "withdrawn":
            services.referral_withdraw(actor=sender, referral=referral, reason="本人の希望")
            return
        services.referral_accept(actor=receiver, referral=referral, worker=receiver)
        if outcome == "completed":
            services.referral_complete(
                actor=receiver, referral=referral, note="必要な手続きを終え、支援は当機関で継続。"
            )
