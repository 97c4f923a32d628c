"""Where other apps add to casework's pages without casework importing them.

`referrals` (and later apps) register a panel for the case page in their AppConfig.ready;
casework renders whatever is registered, in order. The same for the sections of the home
page 「今日」 (`register_today`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CasePanel = Callable[[HttpRequest, object], str]
_case_panels: list[CasePanel] = []


def register_case_panel(panel: CasePanel) -> CasePanel:
    if panel not in _case_panels:
        _case_panels.append(panel)
    return panel


def case_panels(request: HttpRequest, case) -> list[str]:
    return [panel(request, case) for panel in _case_panels]


PersonPanel = Callable[[HttpRequest, object], str]
_person_panels: list[PersonPanel] = []


def register_person_panel(panel: PersonPanel) -> PersonPanel:
    """`panel(request, person)` returns a section of the person's page (or "")."""
    if panel not in _person_panels:
        _person_panels.append(panel)
    return panel


def person_panels(request: HttpRequest, person) -> list[str]:
    return [html for panel in _person_panels if (html := panel(request, person))]


# --- 「今日」: each app adds the sections of the home page it knows about ------------------


@dataclass
class TodayItem:
    """One line of a section: what it is, where it leads, its date, whether it is late."""

    label: str
    url: str
    when: datetime.date | datetime.datetime | None = None
    overdue: bool = False
    note: str = ""

    @property
    def is_moment(self) -> bool:
        """A time of day as well as a date (a visit, a report): shown with its time."""
        return isinstance(self.when, datetime.datetime)


@dataclass
class TodaySection:
    """A section of 「今日」. `cases` and `persons` are those its lines name: the page writes
    one access-log row for all of them. `total` counts every item, `items` are the first few."""

    key: str
    title: StrOrPromise
    items: list[TodayItem]
    total: int
    # How many of all `total` are late (not only of the lines shown).
    overdue_total: int = 0
    more_url: str = ""
    empty: StrOrPromise = ""
    order: int = 50
    cases: list[Any] = field(default_factory=list)
    persons: list[Any] = field(default_factory=list)
    # Someone named who is on no record (a report's subject): said in the access log's text.
    log_note: str = ""


TodaySource = Callable[[Any, Any], "list[TodaySection]"]
_today_sources: list[TodaySource] = []


def register_today(source: TodaySource) -> TodaySource:
    """`source(user, membership)` returns the sections it has for that user (or none)."""
    if source not in _today_sources:
        _today_sources.append(source)
    return source


def today_sections(user: Any, membership: Any) -> list[TodaySection]:
    sections = [s for source in _today_sources for s in source(user, membership)]
    return sorted(sections, key=lambda s: s.order)


# What other apps keep a copy of (a stored disclosure package): told when a confidential
# mark is placed, in its transaction, so the copy hides what the mark hides.
MarkHook = Callable[[Any], None]
_mark_hooks: list[MarkHook] = []


def register_mark_hook(hook: MarkHook) -> MarkHook:
    if hook not in _mark_hooks:
        _mark_hooks.append(hook)
    return hook


def mark_placed(mark: Any) -> None:
    for hook in _mark_hooks:
        hook(mark)
