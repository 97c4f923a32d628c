from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from casework.accounts import PasswordResetLinkView, password_change
from casework.admin import harden_admin_site, view_on_site_disabled
from casework.views import LoginView, healthz

admin.site.site_header = _("つなぐ 管理")
admin.site.site_title = _("つなぐ 管理")
# The admin signs in through the app's own login page: the same throttling, the second
# factor and the security log for every way in.
admin.site.login = login_not_required(  # type: ignore[method-assign]
    lambda request, extra_context=None: redirect_to_login(
        request.GET.get("next") or reverse("admin:index"), reverse("login")
    )
)
# Every app has registered its admin by now: give all of them the same no-leak answers.
harden_admin_site(admin.site)

urlpatterns = [
    path("accounts/login/", LoginView.as_view(), name="login"),
    # Signing out of a session that has already lapsed goes to the sign-in page.
    path("accounts/logout/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path("accounts/password/", password_change, name="password_change"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        PasswordResetLinkView.as_view(),
        name="password_reset_link",
    ),
    # The language switch works before signing in (on the sign-in page itself).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", healthz, name="healthz"),
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        login_not_required(view_on_site_disabled),  # 404 to everyone
        name="admin_view_on_site_disabled",
    ),
    path("admin/", admin.site.urls),
    path("accounts/security/", include("security.urls")),
    path("referrals/", include("referrals.urls")),
    path("rights/", include("rights.urls")),
    path("outreach/", include("outreach.urls")),
    path("reminders/", include("reminders.urls")),
    path("indicators/", include("indicators.urls")),
    path("returns/", include("returns.urls")),
    path("", include("casework.urls")),
]
