# No path converters: snapshots are named by fiscal year and version in the query string,
# so no URL carries a database id.
from django.urls import path

from indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("snapshot/", views.snapshot_detail, name="snapshot"),
    path("snapshot/approve/", views.snapshot_approve, name="snapshot_approve"),
    path("snapshot/export.csv", views.export_csv, name="export_csv"),
    path("snapshot/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("compute/", views.compute, name="compute"),
    path("survey/new/", views.survey_new, name="survey_new"),
    path("reported/new/", views.reported_new, name="reported_new"),
]
