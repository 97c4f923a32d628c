"""Reads for views, exports and tasks, already scoped to the actor through casework.access.

A package split by the domain; every name is re-exported here."""

from casework.selectors.cases import MY_CASES_SCOPES as MY_CASES_SCOPES
from casework.selectors.cases import case_active_assignments as case_active_assignments
from casework.selectors.cases import case_active_shares as case_active_shares
from casework.selectors.cases import case_concerns as case_concerns
from casework.selectors.cases import case_timeline as case_timeline
from casework.selectors.cases import case_workers as case_workers
from casework.selectors.cases import case_workflow as case_workflow
from casework.selectors.cases import my_cases as my_cases
from casework.selectors.meetings import cases_of_meetings as cases_of_meetings
from casework.selectors.meetings import meeting_case_choices as meeting_case_choices
from casework.selectors.meetings import meeting_cases as meeting_cases
from casework.selectors.meetings import meetings_for as meetings_for
from casework.selectors.notifications import notifications_for as notifications_for
from casework.selectors.notifications import unread_notification_count as unread_notification_count
from casework.selectors.persons import case_household as case_household
from casework.selectors.persons import household_member_choices as household_member_choices
from casework.selectors.persons import likely_duplicates as likely_duplicates
from casework.selectors.persons import person_cases as person_cases
from casework.selectors.persons import person_consents as person_consents
from casework.selectors.persons import person_readable as person_readable
from casework.selectors.persons import person_search as person_search
from casework.selectors.plans import current_plan as current_plan
from casework.selectors.plans import latest_assessment as latest_assessment
from casework.selectors.plans import plan_actions as plan_actions
from casework.selectors.plans import plan_monitoring as plan_monitoring
from casework.selectors.supervision import CASELOAD_METRICS as CASELOAD_METRICS
from casework.selectors.supervision import NO_CONTACT_DAYS as NO_CONTACT_DAYS
from casework.selectors.supervision import CaseloadRow as CaseloadRow
from casework.selectors.supervision import agency_access_log as agency_access_log
from casework.selectors.supervision import agency_staff as agency_staff
from casework.selectors.supervision import agency_workers as agency_workers
from casework.selectors.supervision import caseload_cases as caseload_cases
from casework.selectors.supervision import caseload_review as caseload_review
from casework.selectors.supervision import closures_awaiting_decision as closures_awaiting_decision
from casework.selectors.supervision import plans_awaiting_approval as plans_awaiting_approval
