"""python manage.py reminders scan|sweep|status

scan    insert the reminders due now and hand them to the workers (what beat runs);
        --deliver delivers them here and now instead, without a worker.
sweep   release claims of dead workers and hand out what is still pending.
status  how many reminders are in each state, by rule.
"""

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Count

from reminders import services
from reminders.models import Reminder, ReminderState


class Command(BaseCommand):
    help = "Scan for due reminders, hand them out, or show their state."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["scan", "sweep", "status"])
        parser.add_argument(
            "--deliver",
            action="store_true",
            help="deliver in this process instead of handing out to the workers",
        )

    def handle(self, *args: Any, action: str, deliver: bool, **options: Any) -> None:
        if action == "scan":
            added = services.reminder_scan()
            for rule, n in added.items():
                self.stdout.write(f"{rule}: {n} new")
            if deliver:
                self._deliver_here()
            else:
                self.stdout.write(f"handed out: {services.reminder_dispatch()}")
        elif action == "sweep":
            released, failed = services.reminder_release_stale()
            self.stdout.write(f"released: {released}, failed: {failed}")
            if deliver:
                self._deliver_here()
            else:
                self.stdout.write(f"handed out: {services.reminder_dispatch()}")
        else:
            rows = (
                Reminder.objects.values("rule", "state")
                .annotate(n=Count("pk"))
                .order_by("rule", "state")
            )
            for row in rows:
                self.stdout.write(f"{row['rule']}\t{row['state']}\t{row['n']}")

    def _deliver_here(self) -> None:
        ids = list(
            Reminder.objects.filter(state=ReminderState.PENDING).values_list("pk", flat=True)
        )
        outcome: Counter[str] = Counter()
        for start in range(0, len(ids), services.DELIVERY_BATCH):
            outcome += services.reminder_deliver(ids[start : start + services.DELIVERY_BATCH])
        self.stdout.write("delivered: " + ", ".join(f"{k} {v}" for k, v in outcome.items()))
