from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from casework.views import LoginView, healthz

admin.site.site_header = _("つなぐ 管理")
admin.site.site_title = _("つなぐ 管理")

urlpatterns = [
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("referrals/", include("referrals.urls")),
    path("outreach/", include("outreach.urls")),
    path("reminders/", include("reminders.urls")),
    path("indicators/", include("indicators.urls")),
    path("", include("casework.urls")),
]
