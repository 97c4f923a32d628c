"""Signing in through the real login page, as a person at the browser does."""

from django.contrib.auth import get_user
from django.test import Client
from django.urls import reverse

from tests.directory import world


def sign_in(client: Client, username: str, password: str = world.PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def signed_in(response, client: Client) -> bool:
    return response.status_code == 302 and get_user(client).is_authenticated


def refused(response, client: Client) -> bool:
    """Django's own failure: the login page again, with its message for a wrong password."""
    if response.status_code != 200 or get_user(client).is_authenticated:
        return False
    errors = response.context["form"].errors.as_data().get("__all__", [])
    return [e.code for e in errors] == ["invalid_login"]
