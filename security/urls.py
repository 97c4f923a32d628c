from django.urls import path

from security import views

app_name = "security"

urlpatterns = [
    path("factor/", views.factor_step, name="factor"),
    path("my-factor/", views.my_factor, name="my_factor"),
    path("factors/", views.factors, name="factors"),
    path("factors/<int:user_id>/reset/", views.factor_reset, name="factor_reset"),
    path("log/", views.security_log, name="log"),
]
