"""The outreach demo's community work: events, groups with sessions and participants, and
new life-support services, made through the services."""

from __future__ import annotations

import datetime
import random
from typing import TYPE_CHECKING

from casework import services as casework_services
from casework.demo.texts import (
    TOWNS,
)
from casework.models import (
    District,
    Sex,
)
from outreach import services
from outreach.demo.texts import (
    EVENTS,
    GROUPS,
    NEW_GROUP,
    SERVICE_TEXTS,
    SERVICES,
)
from outreach.models import (
    ActivityGroup,
    EventTheme,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


class _SeederBase:
    """What the community work uses of the seeder (outreach.demo.build._Seeder), which sets
    and defines it all. Declarations only, for the type checker."""

    rng: random.Random
    today: datetime.date
    districts: dict[str, District]
    counts: dict[str, int]

    if TYPE_CHECKING:

        def between(self, low: datetime.date, high: datetime.date) -> datetime.date: ...
        def staff_of(self, code: str, index: int = 0) -> User: ...
        def user(self, username: str) -> User: ...
        def name(self, *, born: int, sex: str) -> tuple[str, str, str, str]: ...
        def address(self, code: str) -> tuple[str, str]: ...


class CommunityMixin(_SeederBase):
    """Part of the outreach demo's seeder (outreach.demo.build): the community work."""

    def events(self) -> None:
        fiscal_start = datetime.date(
            self.today.year if self.today.month >= 4 else self.today.year - 1, 4, 1
        )
        start = fiscal_start.replace(year=fiscal_start.year - 1) + _days(20)
        span = (self.today - start).days
        for i, (title, theme, category, code, organizer) in enumerate(EVENTS):
            held_on = start + _days(span * i // len(EVENTS) + self.rng.randint(0, 12))
            if i == len(EVENTS) - 1:  # this fiscal year has an event, even in its first days
                held_on = max(held_on, fiscal_start)
            if theme == EventTheme.HELP_SEEKING:
                participants = self.rng.randint(30, 300 if code is None else 120)
            else:
                participants = self.rng.randint(20, 150)
            services.event_record(
                actor=self.user(organizer),
                title=title,
                theme=theme,
                category=category,
                held_on=min(held_on, self.today),
                district=self.districts[code] if code else None,
                participants=participants,
            )
            self.counts["events"] += 1

    # --- activity groups ------------------------------------------------------------------

    def groups(self) -> None:
        for code, district in self.districts.items():
            towns = [t for t, _ in TOWNS[code]]
            plans = list(GROUPS) + ([NEW_GROUP] if code == "central" else [])
            for i, (pattern, kind, prevention, every, capacity, months, who) in enumerate(plans):
                town = towns[i % len(towns)]
                actor = self.staff_of(code, who)
                started_on = self.today - _days(months * 30 + self.rng.randint(0, 20))
                group = services.group_create(
                    actor=actor,
                    name=pattern.format(town=town),
                    kind=kind,
                    is_care_prevention=prevention,
                    district=district,
                    venue=f"{town}住区センター",
                    capacity=self.rng.randint(*capacity) if capacity else None,
                    started_on=started_on,
                )
                self.counts["groups"] += 1
                self.sessions(group, actor, every)
                if prevention:
                    self.participants(group, code)

    def sessions(self, group: ActivityGroup, actor: User, every: int) -> None:
        day = group.started_on + _days(self.rng.randint(0, 6))
        while day < self.today:
            year_end = (day.month == 12 and day.day >= 28) or (day.month == 1 and day.day <= 4)
            if not year_end and self.rng.random() > 0.04:
                if group.capacity:
                    attendance = self.rng.randint(group.capacity * 6 // 10, group.capacity)
                else:
                    attendance = self.rng.randint(8, 25)
                services.session_record(
                    actor=actor, group=group, held_on=day, attendance=attendance
                )
                self.counts["sessions"] += 1
            day += _days(every)

    def participants(self, group: ActivityGroup, code: str) -> None:
        # Persons are registered by the council's CSW of the district, who holds them.
        actor = self.staff_of(code, 0)
        for _ in range(self.rng.randint(5, 8)):
            born = self.rng.randint(1934, 1957)
            sex = Sex.FEMALE if self.rng.random() < 0.7 else Sex.MALE
            family, given, family_kana, given_kana = self.name(born=born, sex=sex)
            person = casework_services.person_create(
                actor=actor,
                family_name=family,
                given_name=given,
                family_name_kana=family_kana,
                given_name_kana=given_kana,
                birth_date=datetime.date(born, self.rng.randint(1, 12), self.rng.randint(1, 28)),
                sex=sex,
                address=self.address(code)[1],
                district=self.districts[code],
            )
            joined_on = self.between(group.started_on, self.today - _days(14))
            participant = services.participant_register(
                actor=actor,
                group=group,
                person=person,
                joined_on=joined_on,
                in_community_activity=self.rng.random() < 0.4,
            )
            self.counts["participants"] += 1
            if self.rng.random() < 0.12 and joined_on <= self.today - _days(45):
                services.participant_update(
                    actor=actor,
                    participant=participant,
                    in_community_activity=participant.in_community_activity,
                    left_on=self.between(joined_on + _days(30), self.today - _days(1)),
                )

    # --- new life-support services -------------------------------------------------------

    def life_support_services(self) -> None:
        for code, district in self.districts.items():
            actor = self.staff_of(code, 0)
            for i, (name, kind) in enumerate(SERVICES[code]):
                services.service_record(
                    actor=actor,
                    name=name,
                    kind=kind,
                    district=district,
                    created_on=self.today - _days(self.rng.randint(20, 540)),
                    council=f"{district.name}地区協議体" if i == 0 else "",
                    supported_by=None if i == 0 else actor,
                    description=SERVICE_TEXTS[kind],
                )
                self.counts["services"] += 1

    # --- the watch network ---------------------------------------------------------------
