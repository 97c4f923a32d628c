from django.urls import path

from casework import views

app_name = "casework"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.my_cases, name="my_cases"),
    path("cases/new/", views.case_open_new_person, name="case_open"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/contacts/new/", views.contact_add, name="contact_add"),
    path("persons/", views.person_search, name="person_search"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/cases/new/", views.case_open_for_person, name="person_case_open"),
]
