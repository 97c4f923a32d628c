from django.urls import path

from casework import views

app_name = "casework"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.my_cases, name="my_cases"),
    path("cases/new/", views.case_open_new_person, name="case_open"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/contacts/new/", views.contact_add, name="contact_add"),
    path("cases/<int:pk>/screening/", views.screening_new, name="screening_new"),
    path("cases/<int:pk>/emergency/new/", views.emergency_new, name="emergency_new"),
    path("cases/<int:pk>/assessments/new/", views.assessment_new, name="assessment_new"),
    path("cases/<int:pk>/plans/new/", views.plan_new, name="plan_new"),
    path("cases/<int:pk>/enrolments/new/", views.enrolment_new, name="enrolment_new"),
    path("cases/<int:pk>/closure/", views.closure_request_new, name="closure_request"),
    path("cases/<int:pk>/reopen/", views.case_reopen, name="case_reopen"),
    path("cases/<int:pk>/workers/", views.case_reassign, name="case_reassign"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/return/", views.plan_return, name="plan_return"),
    path("plans/<int:pk>/monitoring/new/", views.monitoring_new, name="monitoring_new"),
    path("enrolments/<int:pk>/leave/", views.enrolment_leave, name="enrolment_leave"),
    path("enrolments/<int:pk>/outcomes/new/", views.outcome_new, name="outcome_new"),
    path("closures/<int:pk>/decide/", views.closure_decide, name="closure_decide"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("persons/", views.person_search, name="person_search"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/cases/new/", views.case_open_for_person, name="person_case_open"),
    path("persons/<int:pk>/household/add/", views.household_add, name="household_add"),
    path("caseload/", views.caseload, name="caseload"),
    path("caseload/<int:pk>/", views.caseload_worker, name="caseload_worker"),
    path("access-log/", views.access_log, name="access_log"),
]
