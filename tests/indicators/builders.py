"""Records for indicator tests, written straight to the other apps' tables (the indicators
app only reads them). Dates are explicit: the tests are about fiscal-year edges."""

from __future__ import annotations

import datetime
import itertools

from casework.models import (
    Case,
    District,
    Person,
    Programme,
    ProgrammeEnrolment,
    ProgrammeOutcome,
)
from outreach.models import (
    ActivityGroup,
    AwarenessEvent,
    GroupParticipant,
    GroupSession,
    LifeSupportService,
)

D = datetime.date
_seq = itertools.count(1)
ELDER_BIRTH = D(1950, 6, 1)


class World:
    def __init__(self, actor, agency):
        self.actor = actor
        self.agency = agency
        self.districts = {d.code: d for d in District.objects.all()}
        self._cases: dict[int, Case] = {}

    def person(self, *, district="central", birth_date=ELDER_BIRTH, sex="female"):
        n = next(_seq)
        return Person.objects.create(
            family_name="試験",
            given_name=f"太郎{n}",
            family_name_kana="しけん",
            given_name_kana="たろう",
            search_key=f"しけんたろう{n}",
            birth_date=birth_date,
            sex=sex,
            district=self.districts.get(district) if district else None,
            registered_by_agency=self.agency,
        )

    def case(self, person):
        if person.pk not in self._cases:
            self._cases[person.pk] = Case.objects.create(
                person=person,
                owning_agency=self.agency,
                opened_on=D(2022, 4, 1),
                main_concern="income",
                created_by=self.actor,
            )
        return self._cases[person.pk]

    def enrol(self, person, programme, enrolled_on, left_on=None):
        return ProgrammeEnrolment.objects.create(
            case=self.case(person),
            person=person,
            programme=programme,
            enrolled_on=enrolled_on,
            left_on=left_on,
            recorded_by=self.actor,
        )

    def child(self, enrolled_on, left_on=None, **person):
        person.setdefault("birth_date", D(2014, 6, 1))
        return self.enrol(self.person(**person), Programme.CHILD_STUDY, enrolled_on, left_on)

    def employed(self, achieved_on, enrolment=None, kind="employed", **person):
        if enrolment is None:
            person.setdefault("birth_date", D(1980, 6, 1))
            enrolment = self.enrol(
                self.person(**person), Programme.EMPLOYMENT, achieved_on - datetime.timedelta(60)
            )
        ProgrammeOutcome.objects.create(
            enrolment=enrolment, kind=kind, achieved_on=achieved_on, recorded_by=self.actor
        )
        return enrolment

    def service(self, created_on, district="central"):
        return LifeSupportService.objects.create(
            name=f"サービス{next(_seq)}",
            kind="watching",
            district=self.districts[district],
            created_on=created_on,
            council="中央地区協議体",
            recorded_by=self.actor,
        )

    def event(self, held_on, participants, district=None, theme="help_seeking"):
        return AwarenessEvent.objects.create(
            title=f"講演会{next(_seq)}",
            theme=theme,
            category="lecture",
            held_on=held_on,
            district=self.districts[district] if district else None,
            participants=participants,
            organizer=self.agency,
            recorded_by=self.actor,
        )

    def group(self, kind="exercise", district="central", care_prevention=True):
        return ActivityGroup.objects.create(
            name=f"グループ{next(_seq)}",
            kind=kind,
            is_care_prevention=care_prevention,
            district=self.districts[district],
            supporting_agency=self.agency,
            started_on=D(2020, 4, 1),
            created_by=self.actor,
        )

    def session(self, group, held_on, attendance):
        return GroupSession.objects.create(
            group=group, held_on=held_on, attendance=attendance, recorded_by=self.actor
        )

    def sessions(self, group, days, attendance):
        GroupSession.objects.bulk_create(
            GroupSession(group=group, held_on=day, attendance=attendance, recorded_by=self.actor)
            for day in days
        )

    def participant(self, group, person, joined_on, left_on=None, active=False):
        return GroupParticipant.objects.create(
            group=group,
            person=person,
            joined_on=joined_on,
            left_on=left_on,
            in_community_activity=active,
            recorded_by=self.actor,
        )


DISTRICTS = ("north", "east", "central", "south", "west")


def plan_baseline(world: World, fy: int = 2024) -> None:
    """The plan's baselines as records of fiscal year `fy`: 40 children in the study
    programme, 9 people into work, 6,700 attendances at exercise groups."""
    start = D(fy, 4, 1)
    for n in range(40):
        world.child(
            start + datetime.timedelta(days=n),
            district=DISTRICTS[n % 5],
            birth_date=D(fy - 8 - n % 8, 5, 1),
            sex="female" if n % 2 else "male",
        )
    # A child who left before the year began and one who joins after it are not counted.
    world.child(D(fy - 1, 4, 1), D(fy - 1, 12, 1))
    world.child(D(fy + 1, 4, 1))
    for n in range(9):
        world.employed(start + datetime.timedelta(days=30 * n), district=DISTRICTS[n % 5])
    # 6,700 attendances: 5 groups x 67 sessions x 20 attendances.
    for district in DISTRICTS:
        group = world.group(district=district)
        world.sessions(group, [start + datetime.timedelta(days=5 * d) for d in range(67)], 20)
    # Not an exercise group: not counted.
    salon = world.group(kind="salon")
    world.session(salon, start, 30)
