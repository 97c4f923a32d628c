"""django-otp registers its devices in the admin, where a device's page shows its secret and
QR code: nobody but the user sees those, so the admin has no device pages. The system admin
resets a factor on its own page (security.views.factor_reset), with a reason, logged."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
