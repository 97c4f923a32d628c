# No path converters: a return is named by fiscal year and version in the query string
# (its scope is the user's), so no URL carries a database id.
from django.urls import path

from returns import views

app_name = "returns"

urlpatterns = [
    path("", views.index, name="index"),
    path("snapshot/", views.snapshot_detail, name="snapshot"),
    path("snapshot/approve/", views.snapshot_approve, name="snapshot_approve"),
    path("snapshot/export.csv", views.export_csv, name="export_csv"),
    path("snapshot/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("snapshot/drill/", views.drill_down, name="drill"),
    path("compute/", views.compute, name="compute"),
]
