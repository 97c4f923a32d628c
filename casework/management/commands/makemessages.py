"""Django's makemessages, told the names the app imports gettext under.

xgettext extracts only the names it is given: `_`, `gettext`, `gettext_lazy`, `gettext_noop`
and the other names of django.utils.translation. The app's modules also import
`gettext_lazy as _lazy` (where `_` is already `gettext`) and `gettext_noop as _noop` or
`N_`: without these keywords their strings are never extracted, and a translator never
sees them. tests/config/test_catalog.py fails when a module imports gettext under a name
not listed here.
"""

from typing import Any

from django.core.management.commands import makemessages

# Alias -> the function of django.utils.translation it names. Each takes the message as its
# only translatable argument, so `--keyword=<alias>` is all xgettext needs.
ALIASES = {
    "_lazy": "gettext_lazy",
    "_noop": "gettext_noop",
    "N_": "gettext_noop",
}
# Not the app's strings: the tests type their own Japanese, and .venv holds other packages'.
IGNORED = ["tests", "bench", "var", "staticfiles"]


class Command(makemessages.Command):
    xgettext_options = [
        *makemessages.Command.xgettext_options,
        *(f"--keyword={alias}" for alias in ALIASES),
    ]

    def handle(self, *args: Any, **options: Any) -> None:
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *IGNORED]
        super().handle(*args, **options)
