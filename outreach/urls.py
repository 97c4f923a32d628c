from django.urls import path

from outreach import views

app_name = "outreach"

urlpatterns = [
    path("reports/", views.report_queue, name="reports"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/assign/", views.report_assign, name="report_assign"),
    path("reports/<int:pk>/link/", views.report_link, name="report_link"),
    path("reports/<int:pk>/open-case/", views.report_open_case, name="report_open_case"),
    path("reports/<int:pk>/close/", views.report_close, name="report_close"),
    path("reports/<int:pk>/visits/new/", views.visit_plan_for_report, name="visit_plan_report"),
    path("cases/<int:pk>/visits/new/", views.visit_plan_for_case, name="visit_plan_case"),
    path("visits/", views.my_visits, name="visits"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/record/", views.visit_record, name="visit_record"),
    path("community/events/", views.event_list, name="events"),
    path("community/events/new/", views.event_new, name="event_new"),
    path("community/groups/", views.group_list, name="groups"),
    path("community/groups/new/", views.group_new, name="group_new"),
    path("community/groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("community/groups/<int:pk>/sessions/new/", views.session_new, name="session_new"),
    path(
        "community/groups/<int:pk>/participants/new/", views.participant_new, name="participant_new"
    ),
    path("community/participants/<int:pk>/", views.participant_edit, name="participant_edit"),
    path("community/services/", views.service_list, name="services"),
    path("community/services/new/", views.service_new, name="service_new"),
]
