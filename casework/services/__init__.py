"""Every write to casework data. Keyword-only, atomic, validated, authorized.

A package split by the domain; every name is re-exported here."""

from casework.services.assessments import assessment_add as assessment_add
from casework.services.cases import case_assign as case_assign
from casework.services.cases import case_open as case_open
from casework.services.cases import case_reassign as case_reassign
from casework.services.cases import case_reopen as case_reopen
from casework.services.cases import case_share as case_share
from casework.services.cases import case_unassign as case_unassign
from casework.services.cases import share_revoke as share_revoke
from casework.services.closure import closure_decide as closure_decide
from casework.services.closure import closure_request_submit as closure_request_submit
from casework.services.common import Refusal as Refusal
from casework.services.common import person_lock as person_lock
from casework.services.consent import consent_record as consent_record
from casework.services.consent import consent_withdraw as consent_withdraw
from casework.services.contacts import contact_record_add as contact_record_add
from casework.services.intake import case_intake as case_intake
from casework.services.intake import emergency_support_add as emergency_support_add
from casework.services.intake import screening_decide as screening_decide
from casework.services.meetings import meeting_record as meeting_record
from casework.services.notifications import notification_send as notification_send
from casework.services.notifications import notifications_mark_read as notifications_mark_read
from casework.services.org import staff_membership_revoke_grants as staff_membership_revoke_grants
from casework.services.persons import household_link as household_link
from casework.services.persons import household_member_add as household_member_add
from casework.services.persons import person_create as person_create
from casework.services.plans import PLAN_FIELDS as PLAN_FIELDS
from casework.services.plans import PlanFields as PlanFields
from casework.services.plans import monitoring_add as monitoring_add
from casework.services.plans import plan_approve as plan_approve
from casework.services.plans import plan_create as plan_create
from casework.services.plans import plan_return as plan_return
from casework.services.plans import plan_submit as plan_submit
from casework.services.plans import plan_update as plan_update
from casework.services.programmes import enrolment_add as enrolment_add
from casework.services.programmes import enrolment_leave as enrolment_leave
from casework.services.programmes import outcome_add as outcome_add
