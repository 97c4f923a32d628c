"""The planner: draws the whole demo world from one seeded generator, relative to today."""

from __future__ import annotations

from casework.demo.course import _PlannerCourse
from casework.demo.people import _PlannerPeople
from casework.demo.records import _PlannerRecords


class Planner(_PlannerPeople, _PlannerCourse, _PlannerRecords):
    """Draws the whole demo world from one seeded generator, relative to `today`."""
