"""The drill-down's form. Computing, naming a snapshot and approving use the indicators'
forms (indicators.forms): a return is a snapshot of the same kind."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django import forms

from casework.wareki import fiscal_year_bounds
from indicators.forms import SnapshotRefForm
from returns.definitions import CODES

if TYPE_CHECKING:
    from returns.models import ReturnSnapshot


class DrillForm(SnapshotRefForm):
    """A figure of a snapshot: its item, and its month (none: the whole year)."""

    item = forms.ChoiceField(choices=[(c, c) for c in CODES])
    month = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def period(self, snapshot: ReturnSnapshot) -> tuple[datetime.date, datetime.date] | None:
        """The period of the figure, or None when the month is not one of the year's."""
        start, end = fiscal_year_bounds(snapshot.fiscal_year)
        first = self.cleaned_data.get("month")
        if first is None:
            return start, end
        if first.day != 1 or not start <= first <= end:
            return None
        following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return first, following - datetime.timedelta(days=1)
