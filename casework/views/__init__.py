"""Thin views: parse, authorize through casework.access, call one service or selector.

A package split by the domain; every name is re-exported here."""

from casework.views.assessments import assessment_detail as assessment_detail
from casework.views.assessments import assessment_new as assessment_new
from casework.views.cases import case_detail as case_detail
from casework.views.cases import case_open_for_person as case_open_for_person
from casework.views.cases import case_open_new_person as case_open_new_person
from casework.views.cases import case_reassign as case_reassign
from casework.views.cases import case_reopen as case_reopen
from casework.views.cases import my_cases as my_cases
from casework.views.closure import closure_decide as closure_decide
from casework.views.closure import closure_request_new as closure_request_new
from casework.views.common import PAGE_SIZE as PAGE_SIZE
from casework.views.common import apply_errors as apply_errors
from casework.views.consent import consent_new as consent_new
from casework.views.consent import consent_withdraw as consent_withdraw
from casework.views.contacts import contact_add as contact_add
from casework.views.intake import emergency_new as emergency_new
from casework.views.intake import screening_new as screening_new
from casework.views.meetings import meeting_detail as meeting_detail
from casework.views.meetings import meeting_list as meeting_list
from casework.views.meetings import meeting_new as meeting_new
from casework.views.notifications import notification_list as notification_list
from casework.views.notifications import notifications_read as notifications_read
from casework.views.persons import household_add as household_add
from casework.views.persons import person_detail as person_detail
from casework.views.persons import person_search as person_search
from casework.views.plans import monitoring_new as monitoring_new
from casework.views.plans import plan_approve as plan_approve
from casework.views.plans import plan_detail as plan_detail
from casework.views.plans import plan_edit as plan_edit
from casework.views.plans import plan_new as plan_new
from casework.views.plans import plan_return as plan_return
from casework.views.plans import plan_submit as plan_submit
from casework.views.programmes import enrolment_leave as enrolment_leave
from casework.views.programmes import enrolment_new as enrolment_new
from casework.views.programmes import outcome_new as outcome_new
from casework.views.site import LoginView as LoginView
from casework.views.site import healthz as healthz
from casework.views.site import home as home
from casework.views.supervision import access_log as access_log
from casework.views.supervision import caseload as caseload
from casework.views.supervision import caseload_worker as caseload_worker
