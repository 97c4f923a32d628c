"""What the returns app stores: the computed national return (支援状況調査) of one fiscal
year, for one filing agency or for the ward, frozen once approved.

A snapshot holds figures only, never a person or a case. An agency's snapshot is read by
that agency's supervisors; the ward's snapshot holds the ward's figures and a breakdown by
agency already suppressed, and is what the ward's planners (indicator officers) read.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from indicators.models import FrozenQuerySet, SnapshotBase, SnapshotState

# A return is a snapshot of the same kind as the indicators': its fields, its freezing
# and its replacement are indicators.models.SnapshotBase's.
ReturnState = SnapshotState


class ReturnQuerySet(FrozenQuerySet):
    def of_scope(self, agency_id: int | None) -> ReturnQuerySet:
        """One agency's returns, or the ward's (agency None)."""
        if agency_id is None:
            return self.filter(agency__isnull=True)
        return self.filter(agency_id=agency_id)


class ReturnSnapshot(SnapshotBase):
    """The return of one fiscal year (each month and the year) for one agency or the ward,
    as computed at one moment."""

    agency = models.ForeignKey(
        "casework.Agency",
        verbose_name=_("機関"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("空欄は区全体"),
    )

    objects = ReturnQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "-number"]
        verbose_name = _("支援状況調査の集計")
        verbose_name_plural = _("支援状況調査の集計")
        constraints = [
            # Versions are numbered per scope; the ward (agency NULL) has its own numbers.
            models.UniqueConstraint(
                fields=["agency", "fiscal_year", "number"],
                condition=Q(agency__isnull=False),
                name="return_number_agency",
            ),
            models.UniqueConstraint(
                fields=["fiscal_year", "number"],
                condition=Q(agency__isnull=True),
                name="return_number_ward",
            ),
            # One first approval per year and scope; each approval replaced at most once.
            models.UniqueConstraint(
                fields=["agency", "fiscal_year"],
                condition=Q(agency__isnull=False, state="approved", supersedes__isnull=True),
                name="return_one_first_approval_agency",
            ),
            models.UniqueConstraint(
                fields=["fiscal_year"],
                condition=Q(agency__isnull=True, state="approved", supersedes__isnull=True),
                name="return_one_first_approval_ward",
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True, supersede_reason="")
                | (Q(state="approved", supersedes__isnull=False) & ~Q(supersede_reason="")),
                name="return_supersession_recorded",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "approved"]), name="return_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(computed_via__in=["web", "task", "command"]),
                name="return_via_valid",
            ),
            models.CheckConstraint(
                condition=Q(state="draft", approved_by__isnull=True, approved_at__isnull=True)
                | Q(state="approved", approved_by__isnull=False, approved_at__isnull=False),
                name="return_approval_recorded",
            ),
        ]

    def __str__(self) -> str:
        scope = f"agency {self.agency_id}" if self.agency_id else "ward"
        return f"return {scope} FY{self.fiscal_year} #{self.number} ({self.state})"

    @property
    def is_ward(self) -> bool:
        return self.agency_id is None

    @property
    def covers_until(self) -> datetime.date | None:
        """The day the records stop, for a year still running when computed."""
        until = self.values.get("covers_until") if isinstance(self.values, dict) else None
        return datetime.date.fromisoformat(until) if until else None
