"""python manage.py directory_sync [--dry-run] [--force] [--forget-ids]

Look every directory account up in the directory (what beat runs every 15 minutes): switch
off those the directory no longer has or no longer places, move those it places elsewhere.
One line per change and a summary; --dry-run says what would change and changes nothing.
Exits with 1 and one line when the directory is off or cannot be reached.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from directory import sync


class Command(BaseCommand):
    help = "Switch off the accounts the directory no longer has; move those it places elsewhere."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would change, change nothing"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="switch off more than TSUNAGU_LDAP_SYNC_MAX_SWITCH_OFF accounts if need be",
        )
        parser.add_argument(
            "--forget-ids",
            action="store_true",
            help="drop the entry IDs kept (after a move to a new directory or a changed "
            "TSUNAGU_LDAP_ID_ATTR); active accounts keep those of the entries under their names",
        )

    def handle(
        self,
        *args: Any,
        dry_run: bool,
        force: bool = False,
        forget_ids: bool = False,
        **options: Any,
    ) -> None:
        if not sync.directory_enabled():
            raise CommandError("ディレクトリ連携は設定されていません(TSUNAGU_LDAP_URI が空です)")
        try:
            result = sync.directory_sync(dry_run=dry_run, force=force, forget_ids=forget_ids)
        except sync.SyncRefused as exc:
            raise CommandError(str(exc)) from None
        except sync.DirectoryUnavailable as exc:
            raise CommandError(
                f"ディレクトリに接続できません: {exc}(何も変更していません)"
            ) from None
        for line in result.lines:
            self.stdout.write(line)
        for line in result.warnings:
            self.stderr.write(line)
        self.stdout.write(result.summary(dry_run=dry_run))
