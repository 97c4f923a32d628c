"""Sign-in forms."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core import validators
from django.utils.translation import gettext as _

PASSWORD_MAX_LENGTH = 1024


class _UsernameLengthChecked:
    """Django's AuthenticationForm sets the user name's max_length after the field is built,
    so no validator checks it: a 5,000-character name reached authenticate() and django-axes,
    which stores it in a 255-character column (a 500 on PostgreSQL). Refuse it next to the
    field, before anyone tries to sign in with it; and a password longer than anyone types."""

    fields: dict[str, forms.Field]  # the form's, for the type checker

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = cast(forms.CharField, self.fields["username"])
        username.validators.append(validators.MaxLengthValidator(username.max_length))
        # Nobody types a password this long; the directory's server may drop the connection
        # for one (directory/backend.py), and hashing it costs the server.
        password = cast(forms.CharField, self.fields["password"])
        password.validators.append(validators.MaxLengthValidator(PASSWORD_MAX_LENGTH))


class LoginForm(_UsernameLengthChecked, AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        # Password spraying: an address failing with many user names is paused before any
        # password is checked (security/throttle.py).
        from config.client_ip import client_ip
        from security import events, throttle
        from security.models import EventKind, EventResult

        if self.request is not None and throttle.address_paused(client_ip(self.request)):
            events.record(
                EventKind.ADDRESS_THROTTLED,
                result=EventResult.REFUSED,
                request=self.request,
                username=str(self.cleaned_data.get("username") or ""),
            )
            raise forms.ValidationError(
                _(
                    "このネットワークアドレスから、いくつものアカウントへのログインの失敗が"
                    "続いたため、ログインを一時止めています。%(minutes)s分ほど待ってから、"
                    "もう一度お試しください。続くときは区の情報システム担当に連絡してください。"
                )
                % {"minutes": throttle.window_minutes()},
                code="address_throttled",
            )
        return super().clean()
