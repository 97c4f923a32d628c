"""bench_build's persons around their cases: households, and the history baseline rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Model

from bench.world import PersonRow
from bench.writer import Ids, column
from casework.models import Household, HouseholdMember, Relation

if TYPE_CHECKING:
    from bench.build import Build


def history_baseline(
    b: Build, model: type[Model], first_id: int, date_sql: str, join: str = ""
) -> None:
    """One '+' row per record, as migration 0012's BASELINE wrote for those before
    history existed: the correction history shows what each correction replaced."""
    history = model.history.model  # type: ignore[attr-defined]  # django-simple-history
    special = {
        "history_date": date_sql,
        "history_change_reason": "NULL",
        "history_type": "'+'",
        "history_user_id": "NULL",
    }
    quote = connection.ops.quote_name
    columns, values = [], []
    for f in history._meta.concrete_fields:
        if f.attname == "history_id":
            continue
        columns.append(quote(column(history, f.attname)))
        values.append(special.get(f.attname) or "r." + quote(column(model, f.attname)))
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM {quote(model._meta.db_table)} r {join} "
        "WHERE r.id >= %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [first_id])
        label = history._meta.label
        b.w.counts[label] = b.w.counts.get(label, 0) + cursor.rowcount


def households(b: Build) -> None:
    """A tenth of the persons live with another of them (an 8050 household, a couple,
    a parent and child), registered by the agency that registered the first."""
    rng = b.rng
    first_member = Ids(HouseholdMember).next
    households = Ids(Household)
    by_agency: dict[int, list[PersonRow]] = {}
    for p in b.world.persons:
        if rng.random() < 0.1:
            by_agency.setdefault(p.agency_id, []).append(p)
    fields = ("household_id", "person_id", "relation", "left_on", "left_reason")
    for agency_id, persons in by_agency.items():
        rng.shuffle(persons)
        k = 0
        while k + 1 < len(persons):
            size = min(len(persons) - k, rng.choice((2, 2, 3)))
            members = persons[k : k + size]
            k += size
            pk = households.take()
            created = max(m.created_at for m in members)
            b.w.add(Household, ("id", "registered_by_agency_id", "created_at"),
                       (pk, agency_id, created))  # fmt: skip
            others = [Relation.SPOUSE, Relation.CHILD, Relation.PARENT, Relation.SIBLING]
            relations = [Relation.HEAD, *rng.sample(others, size - 1)]
            for member, relation in zip(members, relations, strict=True):
                b.w.add(HouseholdMember, fields, (pk, member.id, relation, None, ""))
    b.w.flush()
    join = f"JOIN {connection.ops.quote_name(Household._meta.db_table)} h ON h.id = r.household_id"
    history_baseline(b, HouseholdMember, first_member, "h.created_at", join)
