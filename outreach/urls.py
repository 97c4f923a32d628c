from django.urls import path

from outreach import views

app_name = "outreach"

urlpatterns = [
    path("events/", views.event_list, name="events"),
    path("events/new/", views.event_new, name="event_new"),
    path("groups/", views.group_list, name="groups"),
    path("groups/new/", views.group_new, name="group_new"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/sessions/new/", views.session_new, name="session_new"),
    path("groups/<int:pk>/participants/new/", views.participant_new, name="participant_new"),
    path("participants/<int:pk>/", views.participant_edit, name="participant_edit"),
    path("services/", views.service_list, name="services"),
    path("services/new/", views.service_new, name="service_new"),
]
