"""Log filters of the project.

A refused request (403) is an everyday event in a system whose pages are scoped by agency:
a worker following an old link, a bookmark of another agency's case. Django logs each with
the traceback of its PermissionDenied at WARNING; here it becomes one line that says who was
refused what, and the traceback is dropped (it only ever shows the access check itself).
"""

from __future__ import annotations

import logging


class OneLineForbidden(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if (
            record.name == "django.request"
            and getattr(record, "status_code", None) == 403
            and not getattr(record, "one_line", False)
        ):
            record.one_line = True
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
            request = getattr(record, "request", None)
            user = getattr(request, "user", None)
            who = getattr(user, "pk", None) if user is not None else None
            record.msg = f"{record.getMessage()} (user {who if who is not None else '-'})"
            record.args = ()
        return True
