"""`manage.py dispose [--dry-run [--on YYYY-MM-DD]]`: dispose of what has outlived its
retention period, or (--dry-run) print what a run would dispose of (today, or on another
day) and change nothing."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import OperationalError

from casework.models import Case
from rights import disposal


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--on: expected a date as YYYY-MM-DD, got {text!r}") from None


class Command(BaseCommand):
    help = "Dispose of records past their retention period (--dry-run: only print them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="print, change nothing")
        parser.add_argument(
            "--on", type=_day, help="with --dry-run: the day to plan for (default: today)"
        )

    def handle(self, *args: Any, dry_run: bool, on: datetime.date | None, **options: Any) -> None:
        if on is not None and not dry_run:
            # A real run takes what is due today, never a later day's: disposal is final.
            raise CommandError("--on plans a dry run only: add --dry-run")
        try:
            if dry_run:
                self._print(disposal.disposal_plan(on))
                return
            run = disposal.dispose(source="command")
        except OperationalError as error:
            raise CommandError(f"the database could not be reached: {error}".strip()) from None
        if run is None:
            self.stdout.write("nothing is due for disposal")
            return
        for entry in run.entries.order_by("pk"):
            self.stdout.write(
                f"{entry.record_class}\t{entry.get_method_display()}\t{entry.count}\t{entry.rule}"
            )
        self.stdout.write(f"disposal run {run.pk} done")

    def _print(self, plan: disposal.DisposalPlan) -> None:
        self.stdout.write(f"dry run for {plan.on.isoformat()}: nothing is changed")
        cases = Case.objects.filter(pk__in=plan.case_ids).order_by("owning_agency__name", "pk")
        self.stdout.write(f"closed cases to make anonymous: {len(plan.case_ids)}")
        for case in cases.select_related("owning_agency"):
            assert case.closed_on is not None
            self.stdout.write(
                f"  case {case.pk:06d}\t{case.owning_agency.name}\tclosed {case.closed_on}"
            )
        self.stdout.write(f"persons to make anonymous: {len(plan.person_ids)}")
        for pk in plan.person_ids:
            self.stdout.write(f"  person {pk}")
        self.stdout.write(f"access-log rows to delete: {plan.access_log}")
        self.stdout.write(f"security-log rows to delete: {plan.security_log}")
        if plan.held:
            self.stdout.write(f"held (legal hold or open request): {len(plan.held)} persons")
