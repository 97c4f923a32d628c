"""Attaching a file, and replacing it by a new version."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework import attachment_files
from casework.models import AttachmentKind

ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


def _file_field() -> forms.FileField:
    return forms.FileField(
        label=_("ファイル"),
        max_length=255,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class _FileChecked(forms.Form):
    """The file is checked by its content next to its field; one the upload handler
    stopped reading (over the limit) is refused with the same message as any too large."""

    def __init__(self, *args: Any, too_large: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        # In the reader's language, with the limit of the moment.
        limit = filesizeformat(settings.ATTACHMENT_MAX_BYTES)
        help_text = gettext("PDF、JPEG、PNG(%(limit)sまで)。中身で確かめます。")
        self.fields["file"].help_text = help_text % {"limit": limit}

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            attachment_files.check_upload(upload)
        return upload

    def full_clean(self) -> None:
        super().full_clean()
        if self.too_large and self.is_bound:
            self.errors.pop("file", None)
            self.add_error(
                "file",
                ValidationError(
                    _("ファイルが大きすぎます(%(size)s)。%(limit)sまでのファイルを添付できます。"),
                    params={
                        "size": filesizeformat(self.too_large),
                        "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
                    },
                ),
            )


class AttachmentForm(_FileChecked):
    title = forms.CharField(
        label=_("件名"), max_length=200, help_text=_("例: 支援プランの署名済み控え")
    )
    kind = forms.ChoiceField(label=_("種類"), choices=AttachmentKind.choices)
    filed_with: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("関連する記録"), queryset=None, required=False, empty_label=_("(なし)")
    )
    file = _file_field()

    def __init__(
        self,
        *args: Any,
        targets: QuerySet[Any] | None = None,
        target_label: Any = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["filed_with"]
        if targets is None:
            del self.fields["filed_with"]
        else:
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = targets
            field.label = target_label


class AttachmentReplaceForm(_FileChecked):
    file = _file_field()
    reason = forms.CharField(
        label=_("差し替えの理由"),
        max_length=300,
        help_text=_("例: 署名欄の読み取りが不鮮明だったため再スキャン"),
    )
