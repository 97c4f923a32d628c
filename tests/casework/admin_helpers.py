"""Helpers of the Django admin tests (tests/casework/test_admin_*.py): the person whose
records no admin page may name, agency admins, and signing in."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from casework.demo.texts import AGENCY_ADMIN_PERMISSIONS

User = get_user_model()

OLD_PASSWORD = "correct-horse-battery-9"  # the factories' password
NEW_PASSWORD = "kinmokusei-no-kaori-2026"
PERSON = {
    "family_name": "鷹司",
    "given_name": "紫苑",
    "family_name_kana": "たかつかさ",
    "given_name_kana": "しおん",
}
PERSON_TEXTS = ["鷹司", "紫苑", "たかつかさ", "しおん"]


def make_agency_admin(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(
        *[
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in AGENCY_ADMIN_PERMISSIONS
        ]
    )
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def login_page(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def can_sign_in(username: str, password: str) -> bool:
    return login_page(Client(), username, password).status_code == 302


def assert_names_nobody(response, case=None):
    text = response.content.decode()
    for word in PERSON_TEXTS:
        assert word not in text
    if case is not None:
        assert str(case) not in text
        assert "配食サービスの調整" not in text
