"""What the seed_demo command prints: a table of who signs in, and what it added."""

import unicodedata

from casework.models import (
    Assessment,
    Case,
    CaseShare,
    ClosureRequest,
    Consent,
    ContactRecord,
    EmergencySupport,
    Household,
    Meeting,
    MonitoringEntry,
    Person,
    ProgrammeEnrolment,
    ProgrammeOutcome,
    Screening,
    SupportPlan,
)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


# What the summary line counts, in the order it says them.
COUNTED = (
    ("persons", Person),
    ("cases", Case),
    ("contact records", ContactRecord),
    ("screenings", Screening),
    ("emergency supports", EmergencySupport),
    ("assessments", Assessment),
    ("support plans", SupportPlan),
    ("monitoring entries", MonitoringEntry),
    ("closure requests", ClosureRequest),
    ("households", Household),
    ("programme enrolments", ProgrammeEnrolment),
    ("programme outcomes", ProgrammeOutcome),
    ("meetings", Meeting),
    ("shares", CaseShare),
    ("consent records", Consent),
)
