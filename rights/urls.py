from django.urls import path

from rights import retention_views, views

app_name = "rights"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("retention/", retention_views.retention, name="retention"),
    path("holds/new/<int:pk>/", retention_views.hold_new, name="hold_new"),
    path("holds/<int:pk>/lift/", retention_views.hold_lift, name="hold_lift"),
    path("new/<int:pk>/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/extend/", views.extend, name="extend"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/deliver/", views.deliver, name="deliver"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/corrections/", views.link, name="link"),
    path("<int:pk>/package/", views.assemble, name="assemble"),
    path("<int:pk>/package/print/", views.package_print, name="package_print"),
    path("<int:pk>/package/pdf/", views.package_pdf, name="package_pdf"),
    path("<int:pk>/package/xlsx/", views.package_xlsx, name="package_xlsx"),
]
