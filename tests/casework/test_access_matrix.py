"""Every URL that takes an id, for every member of the cast: who gets 200, 403 or 404.

A new URL pattern with an id that is not listed here fails test_every_id_url_is_in_the_matrix,
so nothing that shows case data can be added without deciding who may see it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from casework.models import AccessLog
from tests.builders import CAST_NAMES, records_of_every_kind

CAST = list(CAST_NAMES)

# Who may do what with `case_a` (csw_a's case of agency A, shared read-only with
# consultation_b on the person's consent). Everyone not named gets 404: they may not know
# that the case exists.
VIEW = {"csw_a": 200, "supervisor_a": 200, "consultation_b": 200}
WORK = {"csw_a": 200, "supervisor_a": 200, "consultation_b": 403}
SUPERVISE = {"csw_a": 403, "supervisor_a": 200, "consultation_b": 403}


CASE_ROLE_NAMES = (
    "csw_a",
    "consultation_a",
    "supervisor_a",
    "csw_b",
    "consultation_b",
    "supervisor_b",
)
NO_CASE_ROLE = {m: 403 for m in ("admin_a", "admin_b", "indicator_officer", "outsider")}
COMMUNITY_WORK = {**NO_CASE_ROLE, **dict.fromkeys(CASE_ROLE_NAMES, 200)}
COMMUNITY_VIEW = {**COMMUNITY_WORK, "indicator_officer": 200}
# Attendance and participants are recorded only on the recording agency's own groups
# (the group is agency A's).
OWN_GROUP = {**COMMUNITY_WORK, "csw_b": 403, "consultation_b": 403, "supervisor_b": 403}
COMMUNITY_WORK_404 = dict.fromkeys(CASE_ROLE_NAMES, 200)

# Staff of the agency a referral is sent to, and the sender's side that may see it.
RECEIVING = ("csw_b", "consultation_b", "supervisor_b")
SENDER = {"csw_a": 403, "supervisor_a": 403}
# Who answers a referral nobody was named for: the receiving supervisors only; the other
# receiving workers know it waits (its page) but may not answer it.
ANSWER = {**SENDER, "csw_b": 403, "consultation_b": 403, "supervisor_b": 200}


# A request: its receiving agency's supervisors and the worker who registered it (csw_a).
RIGHTS_STAFF = {"csw_a": 200, "supervisor_a": 200}
RIGHTS_DECIDER = {"csw_a": 403, "supervisor_a": 200}
HOLD = {"csw_a": 403, "supervisor_a": 200, "consultation_b": 403}


def _as(expected: dict, code: int) -> dict:
    """The same rights, where success answers `code` (a redirect after a POST)."""
    return {member: (code if status == 200 else status) for member, status in expected.items()}


# A confidential mark on a person of agency A without a case, naming csw_a alone: whoever
# sees the person sees the mark (not its reason); only csw_a, who is named and placed it,
# names staff or lifts it.
MARK_SEEN = {"csw_a": 200, "consultation_a": 200, "supervisor_a": 200}
MARK_MANAGED = {"csw_a": 200, "consultation_a": 403, "supervisor_a": 403}
# Adding a member: an empty form is bad input (400) for who may.
MARK_STAFF = {"csw_a": 400, "consultation_a": 403, "supervisor_a": 403}

# url name -> (what its id names, HTTP method, expected statuses)
MATRIX = {
    # Placing a mark: the agency holding the person, or who works one of their cases.
    "casework:confidential_new": ("person", "get", {**VIEW, "consultation_b": 403}),
    "casework:confidential_detail": ("mark", "get", MARK_SEEN),
    "casework:confidential_staff": ("mark", "post", MARK_STAFF),
    "casework:confidential_lift": ("mark", "get", MARK_MANAGED),
    "casework:case_detail": ("case", "get", VIEW),
    # The 経過記録 as Excel and CSV: whoever may read the case page may download its timeline.
    "casework:contacts_xlsx": ("case", "get", VIEW),
    "casework:contacts_csv": ("case", "get", VIEW),
    "casework:contact_add": ("case", "get", WORK),
    "casework:screening_new": ("case", "get", WORK),
    "casework:emergency_new": ("case", "get", WORK),
    "casework:assessment_new": ("case", "get", WORK),
    "casework:plan_new": ("case", "get", WORK),
    "casework:enrolment_new": ("case", "get", WORK),
    "casework:closure_request": ("case", "get", WORK),
    "casework:case_reopen": ("case", "get", SUPERVISE),
    "casework:case_reassign": ("case", "get", SUPERVISE),
    "casework:assessment_detail": ("assessment", "get", VIEW),
    "casework:plan_detail": ("plan", "get", VIEW),
    # The plan is submitted: its edit page sends the user back to the plan.
    "casework:plan_edit": ("plan", "get", _as(WORK, 302)),
    "casework:plan_submit": ("plan", "post", _as(WORK, 302)),
    "casework:plan_approve": ("plan", "post", _as(SUPERVISE, 302)),
    "casework:plan_return": ("plan", "get", SUPERVISE),
    "casework:monitoring_new": ("plan", "get", WORK),
    # The print views (the national forms): whoever may read the record may print it.
    "casework:print_intake": ("case", "get", VIEW),
    "casework:print_contacts": ("case", "get", VIEW),
    "casework:print_assessment": ("assessment", "get", VIEW),
    "casework:print_plan": ("plan", "get", VIEW),
    "casework:print_evaluation": ("monitoring", "get", VIEW),
    # Attachments of a case (here a signed plan): whoever reads the case reads and downloads
    # them, whoever works it adds one or a new version. Filed with the person alone: their
    # agency's own, as consents (tests/casework/test_attachments.py).
    "casework:attachment_new": ("case", "get", WORK),
    "casework:person_attachment_new": ("person", "get", WORK),
    "casework:attachment_detail": ("attachment", "get", VIEW),
    "casework:attachment_replace": ("attachment", "get", WORK),
    "casework:attachment_download": ("attachment_version", "get", VIEW),
    "casework:enrolment_leave": ("enrolment", "get", WORK),
    "casework:outcome_new": ("enrolment", "get", WORK),
    "casework:closure_decide": ("closure", "get", SUPERVISE),
    # Those who see the linked case (consultation_b through the share), the recorder, and
    # the convening agency's supervisor. Not consultation_a: the minutes name the person.
    "casework:meeting_detail": ("meeting", "get", VIEW),
    "casework:person_detail": ("person", "get", VIEW),
    # Seeing the person through a read-only share does not let agency B act on them.
    "casework:person_case_open": ("person", "get", WORK),
    "casework:household_add": ("person", "get", WORK),
    "casework:consent_new": ("person", "get", WORK),
    # Corrections: those who may work the person's case; the household's members too.
    "casework:person_correct": ("person", "get", WORK),
    "casework:household_member_leave": ("household_member", "get", WORK),
    "casework:household_relation": ("household_member", "get", WORK),
    # A 経過記録: its history for whoever sees the case, its correction for its author
    # (csw_a) and the supervisor, 誤記録 for the supervisor alone.
    "casework:contact_versions": ("contact", "get", VIEW),
    "casework:contact_correct": ("contact", "get", WORK),
    "casework:contact_void": ("contact", "get", SUPERVISE),
    # A consent record is its recording agency's own: agency B may not know it.
    "casework:consent_withdraw": ("consent", "get", {"csw_a": 200, "supervisor_a": 200}),
    # The watch network: an unlinked report of the district both agencies serve.
    **{
        f"outreach:{name}": ("report", "get", COMMUNITY_WORK_404)
        for name in (
            "report_detail",
            "report_assign",
            "report_link",
            "report_open_case",
            "report_close",
            "visit_plan_report",
        )
    },
    # A visit of case_a that csw_a makes.
    "outreach:visit_plan_case": ("case", "get", WORK),
    "outreach:visit_detail": ("visit", "get", VIEW),
    "outreach:visit_record": ("visit", "get", WORK),
    # Community work: groups are not personal data; their participants are persons.
    "outreach:group_detail": ("group", "get", COMMUNITY_VIEW),
    "outreach:session_new": ("group", "get", OWN_GROUP),
    "outreach:participant_new": ("group", "get", OWN_GROUP),
    "outreach:participant_edit": (
        "participant",
        "get",
        {**NO_CASE_ROLE, "csw_a": 200, "consultation_a": 200, "supervisor_a": 200},
    ),
    # Referrals: case_a is referred to agency B (summary scope), not yet answered, nobody
    # named. Every state and scope: tests/referrals/test_referral_visibility.py.
    "referrals:send": ("case", "get", WORK),
    "referrals:detail": ("referral", "get", {**VIEW, **dict.fromkeys(RECEIVING, 200)}),
    "referrals:accept": ("referral", "get", ANSWER),
    "referrals:decline": ("referral", "get", ANSWER),
    "referrals:complete": ("referral", "get", ANSWER),
    "referrals:withdraw": (
        "referral",
        "get",
        {"csw_a": 200, "supervisor_a": 200, **dict.fromkeys(RECEIVING, 403)},
    ),
    # Supervisor pages: 403 for every signed-in non-supervisor, 404 for another agency's
    # supervisor (the worker is not theirs to know).
    **{
        f"casework:{name}": (
            "worker",
            "get",
            {
                **dict.fromkeys(CAST, 403),
                "supervisor_a": 200,
                "supervisor_b": 404,
            },
        )
        for name in ("caseload_worker", "caseload_handover")
    },
    # 開示・訂正・利用停止 requests (a disclosure and a correction csw_a received for case_a's
    # person): csw_a and the receiving agency's supervisors see them, the supervisors act on
    # them and read the package; nobody else learns of them. Registering one: whoever
    # finds the person.
    "rights:register": ("person", "get", VIEW),
    "rights:detail": ("rights_request", "get", RIGHTS_STAFF),
    **{
        f"rights:{name}": ("rights_request", "get", RIGHTS_DECIDER)
        for name in (
            "extend",
            "decide",
            "deliver",
            "withdraw",
            "package_print",
            "package_pdf",
            "package_xlsx",
        )
    },
    "rights:assemble": ("rights_request", "post", _as(RIGHTS_DECIDER, 302)),
    "rights:link": ("rights_correction", "get", RIGHTS_DECIDER),
    # A legal hold: the supervisors of an agency that holds the person; others who see the
    # person are refused, the rest may not know of it.
    "rights:hold_new": ("person", "get", HOLD),
    "rights:hold_lift": ("hold", "get", HOLD),
    # A notification is its recipient's alone: opening it leads on (and marks it read).
    "casework:notification_open": ("notification", "get", {"csw_a": 302}),
}

# Pages without an id, by role.
CASE_ROLES = {"csw_a", "consultation_a", "supervisor_a", "csw_b", "consultation_b", "supervisor_b"}
PAGES = {
    # 「今日」: the case roles' own day; the indicator officer's is the dashboard; the rest
    # get the welcome page, which names nobody.
    "casework:home": {m: 302 if m == "indicator_officer" else 200 for m in CAST},
    "casework:my_cases": dict.fromkeys(CAST, 200),
    "casework:case_open": {m: 200 if m in CASE_ROLES else 403 for m in CAST},
    "casework:person_search": {m: 200 if m in CASE_ROLES else 403 for m in CAST},
    "casework:meeting_list": {m: 200 if m in CASE_ROLES else 403 for m in CAST},
    "casework:meeting_new": {m: 200 if m in CASE_ROLES else 403 for m in CAST},
    "casework:notifications": dict.fromkeys(CAST, 200),
    **{
        f"outreach:{name}": {
            m: 200 if m in CASE_ROLES or m == "indicator_officer" else 403 for m in CAST
        }
        for name in ("events", "groups", "services")
    },
    **{
        f"outreach:{name}": {m: 200 if m in CASE_ROLES else 403 for m in CAST}
        for name in ("event_new", "group_new", "service_new")
    },
    "outreach:reports": {m: 200 if m in CASE_ROLES else 403 for m in CAST},
    "outreach:report_new": {m: 200 if m in CASE_ROLES else 403 for m in CAST},
    "outreach:visits": {m: 200 if m in CASE_ROLES else 403 for m in CAST},
    "referrals:inbox": {m: 200 if m in CASE_ROLES else 403 for m in CAST},
    "referrals:outbox": {m: 200 if m in CASE_ROLES else 403 for m in CAST},
    "rights:list": {m: 200 if m in CASE_ROLES else 403 for m in CAST},
    "rights:retention": {m: 200 if m.startswith("supervisor") else 403 for m in CAST},
    "casework:caseload": {m: 200 if m.startswith("supervisor") else 403 for m in CAST},
    "casework:caseload_unassigned": {m: 200 if m.startswith("supervisor") else 403 for m in CAST},
    "casework:access_log": {m: 200 if m.startswith("supervisor") else 403 for m in CAST},
    # The national return (支援状況調査): the ward's planners and the supervisors of a
    # 自立相談支援機関, of which the cast has none (tests/returns/test_pages.py).
    "returns:index": {m: 200 if m == "indicator_officer" else 403 for m in CAST},
    # The security log: the system admin and agency admins with the admin's rights
    # (tests/security); nobody of the cast as it is. One's own factor: everyone.
    "security:log": dict.fromkeys(CAST, 403),
    "security:factors": dict.fromkeys(CAST, 403),
    "security:my_factor": dict.fromkeys(CAST, 200),
}


@pytest.fixture
def records(cast, case_a, workflow):
    """One record of every kind that has its own URL, all hanging off case_a."""
    return records_of_every_kind(cast, case_a, workflow)


def _id_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _id_patterns(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.pattern.converters:
            yield f"{prefix}{entry.name}"


# Pages about an account, not a record: the system admin's factor reset, refused to every
# member of the cast (the system admin's own use: tests/security/test_factor_reset.py).
ACCOUNT_PAGES = {"security:factor_reset"}


@pytest.mark.parametrize("url_name", sorted(ACCOUNT_PAGES))
@pytest.mark.parametrize("member", CAST)
def test_account_pages(client, cast, url_name, member):
    client.force_login(getattr(cast, member))
    url = reverse(url_name, kwargs={"user_id": cast.csw_b.pk})
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "紛失"}).status_code == 403


# URLs with a parameter that names no record: the one-time password-reset link (its parts
# are a token, tested in test_admin_passwords) and the admin's "view on site", which
# answers 404 to everyone (tested in test_admin_ids and the content test).
NOT_RECORDS = {"password_reset_link", "admin_view_on_site_disabled", *ACCOUNT_PAGES}


def test_every_id_url_is_in_the_matrix():
    unlisted = {name for name in _id_patterns() if name not in MATRIX and name not in NOT_RECORDS}
    assert not unlisted, f"add these URLs to the access matrix: {sorted(unlisted)}"


@pytest.mark.parametrize("url_name", sorted(MATRIX))
@pytest.mark.parametrize("member", CAST)
def test_access_matrix(client, cast, records, url_name, member):
    kind, method, expected = MATRIX[url_name]
    url = reverse(url_name, kwargs={"pk": records[kind].pk})
    client.force_login(getattr(cast, member))
    response = getattr(client, method)(url)
    assert response.status_code == expected.get(member, 404)


@pytest.mark.parametrize("url_name", sorted(PAGES))
@pytest.mark.parametrize("member", CAST)
def test_pages_without_id(client, cast, url_name, member):
    client.force_login(getattr(cast, member))
    assert client.get(reverse(url_name)).status_code == PAGES[url_name][member]


@pytest.mark.parametrize("url_name", sorted(MATRIX) + sorted(PAGES))
def test_anonymous_is_sent_to_login(client, records, url_name):
    if url_name in MATRIX:
        kind, method, _ = MATRIX[url_name]
        url = reverse(url_name, kwargs={"pk": records[kind].pk})
    else:
        method, url = "get", reverse(url_name)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("pk", [987654, 0, 2**63, 10**30])
@pytest.mark.parametrize("url_name", sorted(MATRIX))
def test_unknown_id_is_404_even_for_supervisor(client, cast, records, url_name, pk):
    _, method, _ = MATRIX[url_name]
    client.force_login(cast.supervisor_a)
    response = getattr(client, method)(reverse(url_name, kwargs={"pk": pk}))
    assert response.status_code == 404


@pytest.mark.parametrize("member", CAST)
def test_refused_reads_leave_no_trace_and_allowed_reads_one_row(client, cast, case_a, member):
    client.force_login(getattr(cast, member))
    before = AccessLog.objects.filter(action=AccessLog.Action.VIEW_CASE).count()
    status = client.get(reverse("casework:case_detail", kwargs={"pk": case_a.pk})).status_code
    after = AccessLog.objects.filter(action=AccessLog.Action.VIEW_CASE).count()
    assert after - before == (1 if status == 200 else 0)


JUNK = [
    {},
    {"pk": "x", "page": "-1", "status": "\u0000", "q": "' OR 1=1 --", "metric": "../../"},
    {
        "decided_on": "0001-01-01",
        "occurred_at": "9999-12-31T23:59",
        "opened_on": "31/02/2026",
        "minutes": "99999999999999999999",
        "worker": "999999999999999999999",
        "date_from": "9999-12-31",
        "date_to": "9999-12-31",
        "actions-TOTAL_FORMS": "100000",
        "actions-INITIAL_FORMS": "x",
        "cases": ["0", "abc"],
        "person": "2",
        "from_worker": "-1",
        "to_worker": "",
        "decision": "approve",
        "result": "info_only",
        "case-opened_on": "1999-13-01",
        "person-family_name": "x" * 10000,
    },
]


@pytest.mark.parametrize("member", ["csw_a", "supervisor_a", "consultation_b"])
def test_no_request_ends_in_a_server_error(client, cast, records, member):
    """Every page, GET and POST, with empty and nonsense input: never a 500."""
    client.force_login(getattr(cast, member))
    targets = [
        reverse(name, kwargs={"pk": records[kind].pk}) for name, (kind, _m, _e) in MATRIX.items()
    ] + [reverse(name) for name in PAGES]
    for target in targets:
        for data in JUNK:
            for method in ("get", "post"):
                response = getattr(client, method)(target, data)
                assert response.status_code < 500, (method, target, data)
