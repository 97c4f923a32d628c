"""What every app's pages share: a form page, a service's refusal shown next to its field,
one status for a form sent back with errors, and pagination.

Views stay thin: they authorize through casework.access, build the form, and hand a
`save(cleaned_data)` that calls one service to `form_page`.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet, Window
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render, resolve_url
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _lazy

from casework.models.common import MAX_ID
from casework.models.drafts import DraftKind, FormSubmission

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 25
# A form sent back with its errors (invalid input, or a service's refusal) answers 400 in
# every app: the browser shows the page, and a script or a test can tell it was refused.
INVALID_FORM_STATUS = 400


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a page behind LoginRequiredMiddleware (every page not marked
    `login_not_required`): its user is signed in. For annotations only; Django passes a
    plain HttpRequest."""

    user: User


def apply_errors(form: BaseForm, error: ValidationError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def form_status(request: HttpRequest, *forms) -> int:
    """200 for a page shown, 400 for a POST sent back with errors in any of its forms (or
    formsets)."""
    if request.method != "POST":
        return 200
    for form in forms:
        if form is None or not form.is_bound:
            continue
        count = form.total_error_count() if hasattr(form, "total_error_count") else form.errors
        if count:
            return INVALID_FORM_STATUS
    return 200


def submitted(request: HttpRequest, form: BaseForm, save: Callable[[dict], Any]) -> tuple:
    """On a POST of a valid form, call `save(cleaned_data)`: (True, what it returned). A
    refusal (ValidationError) is placed next to its field: (False, None)."""
    if request.method != "POST" or not form.is_valid():
        return False, None
    try:
        saved, _url, fresh = save_once(request, lambda: save(form.cleaned_data), lambda s: "")
    except ValidationError as error:
        apply_errors(form, error)
        stale_changes(form, error)
        return False, None
    except SavedBefore:
        form.add_error(None, CHANGED_AFTER_SAVE)
        return False, None
    if fresh:
        draft_saved(request)
    return True, saved


# The one-time token each rendered form carries ({% form_once %}): the first POST with it
# saves; a second one with the same content (a double click, the browser's resubmit) saves
# nothing and is sent where the first went. The token names the user it was rendered for.
ONCE_FIELD = "form_once"
_ONCE = re.compile(r"^([0-9a-f]{32})\.([0-9a-f]{16})$")
ALREADY_SAVED = _lazy("この内容はすでに保存されています(二重送信は保存していません)。")
CHANGED_AFTER_SAVE = _lazy(
    "この画面の内容はすでに一度保存されています。あとから変えた入力内容は下書きとして残しました。"
    "確かめてから、もう一度保存してください。"
)


def _once_mac(user_id: int, nonce: str) -> str:
    return salted_hmac("tsunagu.form_once", f"{user_id}:{nonce}").hexdigest()[:16]


def once_token(user: Any) -> str:
    """A new one-time token for a form rendered for `user`."""
    nonce = uuid.uuid4().hex
    return f"{nonce}.{_once_mac(getattr(user, 'pk', None) or 0, nonce)}"


def rendered_for(request: HttpRequest) -> bool | None:
    """Was the form sent rendered for the signed-in user? None when it carries no token."""
    match = _ONCE.match(request.POST.get(ONCE_FIELD, ""))
    if match is None:
        return None
    expected = _once_mac(getattr(request.user, "pk", None) or 0, match.group(1))
    return constant_time_compare(expected, match.group(2))


def _digest(data: QueryDict) -> str:
    kept = sorted(
        (key, values)
        for key, values in data.lists()
        if key not in ("csrfmiddlewaretoken", ONCE_FIELD)
    )
    return hashlib.sha256(repr(kept).encode()).hexdigest()


def save_once(
    request: HttpRequest, save: Callable[[], Any], url_of: Callable[[Any], str]
) -> tuple[Any, str, bool]:
    """Call `save()` unless this form's token was used already. Returns (what save
    returned, the URL to go to, True); for the same form sent again with the same content
    (None, the first one's URL, False). The token is claimed in the same transaction as
    the service's write: a twin POST arriving meanwhile waits for it, then finds it.

    Sent again with other content (typed on while the first was saving): nothing is saved
    and nothing is lost; what it held is kept as the user's draft and the form is shown
    again with it (SavedBefore)."""
    token = request.POST.get(ONCE_FIELD, "")
    user = request.user
    if not rendered_for(request) or not user.is_authenticated:
        saved = save()
        return saved, url_of(saved), True
    digest = _digest(request.POST)
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = FormSubmission.objects.create(token=token, user=user, digest=digest)
        except IntegrityError:
            first = FormSubmission.objects.filter(token=token, user=user).first()
            if first is not None and first.digest and first.digest != digest:
                raise SavedBefore() from None
            return None, (first.result_url if first else "") or request.path, False
        saved = save()
        url = url_of(saved)
        claim.result_url = url[:300]
        claim.save(update_fields=["result_url"])
        return saved, url, True


class SavedBefore(Exception):
    """The form was saved once already, and was sent again with other content."""


def saved_before(request: HttpRequest) -> HttpResponse:
    """Keep what the second sending held as the user's draft and show the form with it."""
    from casework import services

    services.draft_keep(
        user=request.user,  # type: ignore[arg-type]  # signed in: save_once checked it
        path=request.path,
        data=request.POST,
        kind=DraftKind.LAPSED,
    )
    messages.warning(request, CHANGED_AFTER_SAVE)
    return redirect(request.path)


def form_data(request: HttpRequest) -> QueryDict | None:
    """What a form is bound to: the POST; or, on opening the form again, what the user typed
    and could not save (their draft): put back at once after a lapsed session, or on
    asking for it (?draft=restore). An autosaved draft not yet asked for is offered on the
    page (`request.draft_offered`)."""
    if request.method == "POST":
        return request.POST
    user = request.user
    if not user.is_authenticated:
        return None
    from casework import selectors, services  # they import the models: not at load time

    draft = selectors.draft_for(user, request.path)
    if draft is None:
        return None
    if draft.kind == DraftKind.LAPSED or request.GET.get("draft") == "restore":
        if draft.kind == DraftKind.LAPSED:
            messages.info(
                request,
                _lazy("保存できなかった入力内容を戻しました。内容を確かめて保存してください。"),
            )
            # Put back once; after that it is offered like any draft, until it expires.
            services.draft_offer(draft=draft)
        # Restored: the page still offers to throw it away.
        request.draft_restored = draft  # type: ignore[attr-defined]  # read by base.html
        return selectors.draft_data(draft)
    request.draft_offered = draft  # type: ignore[attr-defined]  # read by base.html
    return None


def draft_saved(request: HttpRequest) -> None:
    """The form was saved: its draft is no longer needed."""
    if request.user.is_authenticated:
        from casework import services

        services.draft_discard(user=request.user, path=request.path)


def stale_changes(form: BaseForm, error: ValidationError) -> None:
    """A save refused because the record changed since the form was opened: the form keeps
    what was typed, lists what changed meanwhile (`form.stale_changes`) and now carries the
    record's present version, so that saving again, after a look, goes through."""
    changes = getattr(error, "changes", None)
    if changes is None:
        return
    form.stale_changes = changes  # type: ignore[attr-defined]  # read by form_errors.html
    version = getattr(error, "version", None)
    if "version" in form.fields and version is not None:
        data = QueryDict(mutable=True)
        data.update(form.data)
        data[form.add_prefix("version")] = str(version)
        form.data = data


def form_page(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[dict], Any],
    *,
    template: str,
    success: StrOrPromise,
    context: dict,
    then: Callable[[Any], Any] = lambda saved: saved,
    shown: Callable[[], None] | None = None,
) -> HttpResponse:
    """The one form page of every app. A valid POST calls `save`; when it saves, `success`
    is shown and the browser goes to `then(what save returned)` (a URL, a URL name or a
    model with get_absolute_url). Otherwise the page is rendered (`shown()` first, where
    the page records what it reads), with 400 if the form came back with errors."""
    if request.method == "POST" and form.is_valid():
        try:
            _saved, url, fresh = save_once(
                request, lambda: save(form.cleaned_data), lambda s: resolve_url(then(s))
            )
        except ValidationError as error:
            apply_errors(form, error)
            stale_changes(form, error)
        except SavedBefore:
            return saved_before(request)
        else:
            if fresh:
                draft_saved(request)
            messages.success(request, success if fresh else ALREADY_SAVED)
            return redirect(url)
    if shown is not None:
        shown()
    return render(request, template, {"form": form, **context}, status=form_status(request, form))


def page_of(request: HttpRequest, items, size: int = PAGE_SIZE) -> Page:
    """The page of `items` the request asks for (?page=N; out of range: the nearest)."""
    return Paginator(items, size).get_page(request.GET.get("page"))


# A long list (the access log, a search) is paged by its last row, not by an offset: the
# next page is an index range scan, however deep. Its count stops at COUNT_CAP (「1,000件以上」).
COUNT_CAP = 1000


@dataclass
class KeysetPage:
    """One page of a list walked by (key, id): newest first by time or by date, or in order
    of a text key (a search by name)."""

    object_list: list[Any]
    next_cursor: str
    count: int
    capped: bool
    first: bool
    newest_first: bool = True

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def count_label(self) -> str:
        return f"{self.count:,}"


def keyset_page(
    request: HttpRequest,
    rows: QuerySet[Any],
    *,
    size: int,
    at: str = "at",
    pk: str = "pk",
    text: bool = False,
    dated: bool = False,
    sorted_whole: bool = False,
) -> KeysetPage:
    """The page of `rows` after ?after=<cursor> (the last row of the page before). By
    default `rows` are ordered by the time `at` then `pk`, both descending, and the cursor
    is that row's time and id; with `text`, by the text `at` then `pk`, both ascending, and
    the cursor is the row's id alone: its key is read back from `rows`, so a key of any
    length pages, and a row the user may not see is no cursor. With `dated`, by the date `at`
    then `pk`, both descending, the cursor the row's id as with `text` (many rows share a
    date). A cursor that does not parse is the first page.

    `sorted_whole`: the database sorts every matching row to find the page anyway (a search
    filtered by visibility, not walked down an index), so the first page counts them in the
    same statement (COUNT(*) OVER ()) instead of matching them twice."""
    raw = request.GET.get("after", "")
    by_id = text or dated
    cursor = _id_cursor(rows, raw, at, pk) if by_id else _cursor(raw)
    counted: int | None = None
    if cursor is None and sorted_whole:
        rows = rows.annotate(matched=Window(Count("pk")))
    else:
        counted = rows.order_by()[: COUNT_CAP + 1].count()
    if cursor is not None:
        key, last = cursor
        beyond = "gt" if text else "lt"
        rows = rows.filter(Q(**{f"{at}__{beyond}": key}) | Q(**{at: key, f"{pk}__{beyond}": last}))
    found = list(rows[: size + 1])
    if counted is None:
        counted = found[0].matched if found else 0
    more = len(found) > size
    found = found[:size]
    next_cursor = ""
    if more:
        tail = found[-1]
        last_id = _path_value(tail, pk)
        if by_id:
            next_cursor = str(last_id)
        else:
            micros = round(_path_value(tail, at).timestamp() * 1_000_000)
            next_cursor = f"{micros}_{last_id}"
    return KeysetPage(
        object_list=found,
        next_cursor=next_cursor,
        count=min(counted, COUNT_CAP),
        capped=counted > COUNT_CAP,
        first=cursor is None,
        newest_first=not text,
    )


def _path_value(obj: Any, path: str) -> Any:
    for step in path.split("__"):
        obj = getattr(obj, step)
    return obj


# ASCII digits only: str.isdigit() also takes "²", which int() refuses.
_DIGITS = re.compile(r"[0-9]{1,19}")


def _cursor_id(text: str) -> int | None:
    if not _DIGITS.fullmatch(text):
        return None
    last = int(text)
    return last if 0 < last <= MAX_ID else None


def _id_cursor(rows: QuerySet[Any], raw: str, at: str, pk: str) -> tuple[Any, int] | None:
    """`<id>` of the last row shown: its key, read among `rows` (one indexed lookup)."""
    last = _cursor_id(raw)
    if last is None:
        return None
    key = rows.filter(**{pk: last}).values_list(at, flat=True).first()
    return None if key is None else (key, last)


def _cursor(raw: str) -> tuple[datetime.datetime, int] | None:
    """`<microseconds since the epoch>_<id>`: digits only, safe in any URL."""
    micros_text, _sep, last_text = raw.partition("_")
    last = _cursor_id(last_text)
    if last is None or not _DIGITS.fullmatch(micros_text) or len(micros_text) > 18:
        return None
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    try:
        moment = epoch + datetime.timedelta(microseconds=int(micros_text))
    except OverflowError:
        return None
    return moment, last
