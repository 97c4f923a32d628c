"""Drafts: what a user typed and could not save yet, kept for them alone."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from casework.models import Draft, DraftKind, FormSubmission

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Never kept in a draft: the tokens of the form that was sent (a restored form gets new ones).
_NOT_KEPT = {"csrfmiddlewaretoken", "form_once"}
# A draft is what a person typed into one form; anything much bigger is not a form of the app.
MAX_DRAFT_FIELDS = 2000
MAX_DRAFT_CHARACTERS = 200_000


def _fields(data: QueryDict) -> dict[str, list[str]]:
    # A password is never written down, whatever the form.
    kept = {
        key: data.getlist(key)
        for key in data
        if key not in _NOT_KEPT and "password" not in key.lower()
    }
    if len(kept) > MAX_DRAFT_FIELDS:
        return {}
    if sum(len(v) for values in kept.values() for v in values) > MAX_DRAFT_CHARACTERS:
        return {}
    return kept


@transaction.atomic
def draft_keep(*, user: User, path: str, data: QueryDict, kind: str) -> Draft | None:
    """Keep what the user typed in the form at `path` (one draft per form: the newest)."""
    fields = _fields(data)
    if not fields or not path.startswith("/") or path.startswith("//") or len(path) > 300:
        return None
    if kind == DraftKind.AUTOSAVE:
        # An autosave never replaces what a lapsed session kept: that one is put back first.
        lapsed = Draft.objects.filter(user=user, path=path, kind=DraftKind.LAPSED).first()
        if lapsed is not None:
            return lapsed
    draft, _created = Draft.objects.update_or_create(
        user=user,
        path=path,
        defaults={"data": fields, "kind": kind, "saved_at": timezone.now()},
    )
    return draft


def draft_offer(*, draft: Draft) -> None:
    """A draft put back into its form once is, from then on, only offered (戻す / 破棄する)."""
    Draft.objects.filter(pk=draft.pk).update(kind=DraftKind.AUTOSAVE)


def draft_discard(*, user: User, path: str) -> int:
    """The form was saved, or the user threw the draft away."""
    deleted, _per_model = Draft.objects.filter(user=user, path=path).delete()
    return deleted


def drafts_purge(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Delete expired drafts and used form tokens (a periodic task). Returns the counts."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(hours=settings.DRAFT_HOURS)
    drafts, _per_model = Draft.objects.filter(saved_at__lt=limit).delete()
    tokens, _per_model = FormSubmission.objects.filter(created_at__lt=limit).delete()
    return drafts, tokens
