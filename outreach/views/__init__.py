"""The outreach pages, by area: community work, the watch network, visits."""

from .community import event_list as event_list
from .community import event_new as event_new
from .community import group_detail as group_detail
from .community import group_list as group_list
from .community import group_new as group_new
from .community import participant_edit as participant_edit
from .community import participant_new as participant_new
from .community import service_list as service_list
from .community import service_new as service_new
from .community import session_new as session_new
from .reports import ReportIntakeForm as ReportIntakeForm
from .reports import report_assign as report_assign
from .reports import report_close as report_close
from .reports import report_detail as report_detail
from .reports import report_link as report_link
from .reports import report_new as report_new
from .reports import report_open_case as report_open_case
from .reports import report_queue as report_queue
from .visits import my_visits as my_visits
from .visits import visit_detail as visit_detail
from .visits import visit_plan_for_case as visit_plan_for_case
from .visits import visit_plan_for_report as visit_plan_for_report
from .visits import visit_record as visit_record
