"""Sign-in forms."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core import validators


class _UsernameLengthChecked:
    """Django's AuthenticationForm sets the user name's max_length after the field is built,
    so no validator checks it: a 5,000-character name reached authenticate() and django-axes,
    which stores it in a 255-character column (a 500 on PostgreSQL). Refuse it next to the
    field, before anyone tries to sign in with it."""

    fields: dict[str, forms.Field]  # the form's, for the type checker

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = cast(forms.CharField, self.fields["username"])
        username.validators.append(validators.MaxLengthValidator(username.max_length))


class LoginForm(_UsernameLengthChecked, AuthenticationForm):
    pass


class AdminLoginForm(_UsernameLengthChecked, AdminAuthenticationForm):
    pass
