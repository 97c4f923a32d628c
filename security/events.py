"""Writing the security log: one row per event, and the same event as one line of JSON to
the `tsunagu.security` logger, which the ward's log server collects (docs/security.md).

The request being served is known here through a context variable that
security.middleware.RequestContextMiddleware sets, so that a signal (a user saved in the
admin, a membership changed by a service) records who did it and from where without every
caller passing the request along. Outside a request (a management command, the worker) the
actor is None and the address empty: the detail says which command where it matters.
"""

from __future__ import annotations

import contextvars
import json
import logging
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.encoding import force_str

from config.client_ip import client_ip
from security.models import EventKind, EventResult, SecurityEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.http import HttpRequest

logger = logging.getLogger("tsunagu.security")

current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "tsunagu_current_request", default=None
)

DETAIL_MAX = 500

THE_ACTOR: Any = object()  # record()'s subject by default: the account that acted
THE_SUBJECTS: Any = object()  # record()'s agency by default: the subject's now
USERNAME_MAX = 150


def _agency_id(user: Any) -> int | None:
    if user is None or not getattr(user, "pk", None):
        return None
    from casework import access

    membership = access.membership_of(user)
    return membership.agency_id if membership is not None else None


def _signed_in(user: AbstractBaseUser | AnonymousUser | None) -> Any:
    return user if user is not None and user.is_authenticated else None


def record(
    kind: EventKind,
    *,
    result: EventResult = EventResult.SUCCESS,
    request: HttpRequest | None = None,
    actor: Any = None,
    subject: Any = THE_ACTOR,
    agency_id: Any = THE_SUBJECTS,
    username: str = "",
    detail: Any = "",
    system: bool = False,
) -> SecurityEvent:
    """Record one event. `actor` defaults to the signed-in user of the request, `subject`
    (the account concerned; None for none) to the actor, the agency to the subject's (or,
    with no subject, the actor's) agency now; the address is the request's client address.
    A `system` event (settings at start-up) belongs to no request. The JSON line goes out
    when the event is committed: a rolled-back event never reaches the log server."""
    if request is None and not system:
        request = current_request.get()
    if actor is None and request is not None:
        actor = _signed_in(getattr(request, "user", None))
    if subject is THE_ACTOR:
        subject = actor
    if agency_id is THE_SUBJECTS:
        agency_id = _agency_id(subject if subject is not None else actor)
    event = SecurityEvent(
        kind=kind,
        result=result,
        actor=actor,
        subject=subject,
        agency_id=agency_id,
        username=(username or (subject.get_username() if subject is not None else ""))[
            :USERNAME_MAX
        ],
        address=client_ip(request)[:45] if request is not None else "",
        detail=force_str(detail)[:DETAIL_MAX],
    )
    event.save()
    line = json_line(event)
    transaction.on_commit(lambda: logger.info(line))
    return event


def json_line(event: SecurityEvent) -> str:
    """The event as one line of JSON, for the ward's log server."""
    return json.dumps(
        {
            "event": "tsunagu.security",
            "id": event.pk,
            "at": event.at.isoformat(),
            "kind": event.kind,
            "result": event.result,
            "actor": event.actor.get_username() if event.actor is not None else None,
            "subject": event.subject.get_username() if event.subject is not None else None,
            "username": event.username,
            "agency_id": event.agency_id,
            "address": event.address,
            "detail": event.detail,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
