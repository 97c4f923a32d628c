"""`manage.py indicators --fy 2025 [--format json|csv]`: compute a fiscal year's draft
snapshot from the records and print it. The output holds only suppressed aggregates."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from indicators import exports, services
from indicators.models import Snapshot


class Command(BaseCommand):
    help = "Compute the plan's indicators for one fiscal year into a new draft snapshot."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fy", type=int, required=True, help="fiscal year, e.g. 2025")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args: Any, fy: int, format: str, **options: Any) -> None:
        try:
            snapshot = services.snapshot_compute(
                actor=None, fiscal_year=fy, via=Snapshot.Via.COMMAND
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if format == "csv":
            self.stdout.write(exports.to_csv(snapshot).lstrip("\ufeff"), ending="")
        else:
            document = {
                "snapshot": {
                    "fiscal_year": snapshot.fiscal_year,
                    "number": snapshot.number,
                    "state": snapshot.state,
                    "definition_version": snapshot.definition_version,
                    "computed_at": timezone.localtime(snapshot.computed_at).isoformat(),
                },
                **snapshot.values,
            }
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
