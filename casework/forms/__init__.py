"""

A package split by the domain; every name is re-exported here."""

from casework.forms.assessments import AssessmentForm as AssessmentForm
from casework.forms.attachments import AttachmentForm as AttachmentForm
from casework.forms.attachments import AttachmentReplaceForm as AttachmentReplaceForm
from casework.forms.cases import CaseOpenForm as CaseOpenForm
from casework.forms.cases import MyCasesFilterForm as MyCasesFilterForm
from casework.forms.cases import ReassignForm as ReassignForm
from casework.forms.cases import ReopenForm as ReopenForm
from casework.forms.closure import ClosureDecisionForm as ClosureDecisionForm
from casework.forms.closure import ClosureRequestForm as ClosureRequestForm
from casework.forms.common import DATE_WIDGET as DATE_WIDGET
from casework.forms.common import BoundedModelMultipleChoiceField as BoundedModelMultipleChoiceField
from casework.forms.common import ReasonForm as ReasonForm
from casework.forms.common import RecordDateField as RecordDateField
from casework.forms.consent import ConsentForm as ConsentForm
from casework.forms.consent import ConsentWithdrawForm as ConsentWithdrawForm
from casework.forms.contacts import ContactRecordForm as ContactRecordForm
from casework.forms.contacts import TimelineFilterForm as TimelineFilterForm
from casework.forms.corrections import ContactCorrectionForm as ContactCorrectionForm
from casework.forms.corrections import ContactVoidForm as ContactVoidForm
from casework.forms.corrections import HouseholdLeaveForm as HouseholdLeaveForm
from casework.forms.corrections import HouseholdRelationForm as HouseholdRelationForm
from casework.forms.corrections import PersonCorrectionForm as PersonCorrectionForm
from casework.forms.intake import EmergencySupportForm as EmergencySupportForm
from casework.forms.intake import IntakeForm as IntakeForm
from casework.forms.intake import ScreeningForm as ScreeningForm
from casework.forms.meetings import MEETING_SEARCH_BUTTON as MEETING_SEARCH_BUTTON
from casework.forms.meetings import MeetingForm as MeetingForm
from casework.forms.persons import ConfirmNewPersonForm as ConfirmNewPersonForm
from casework.forms.persons import HouseholdLinkForm as HouseholdLinkForm
from casework.forms.persons import PersonForm as PersonForm
from casework.forms.persons import PersonSearchForm as PersonSearchForm
from casework.forms.plans import BaselineForm as BaselineForm
from casework.forms.plans import BasePlanActionFormSet as BasePlanActionFormSet
from casework.forms.plans import MonitoringForm as MonitoringForm
from casework.forms.plans import PlanActionForm as PlanActionForm
from casework.forms.plans import PlanActionFormSet as PlanActionFormSet
from casework.forms.plans import SupportPlanForm as SupportPlanForm
from casework.forms.programmes import EnrolmentForm as EnrolmentForm
from casework.forms.programmes import EnrolmentLeaveForm as EnrolmentLeaveForm
from casework.forms.programmes import OutcomeForm as OutcomeForm
from casework.forms.site import LoginForm as LoginForm
from casework.forms.supervision import AccessLogFilterForm as AccessLogFilterForm
from casework.forms.supervision import HandoverForm as HandoverForm
