"""What every casework model shares: date limits, the kana check, choice constraints."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

kana_validator = RegexValidator(
    r"^[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb\uff66-\uff9f\s　ー・]*$",
    _("ふりがなはひらがなかカタカナで入力してください。"),
)


# Records of this system start long after 2000: an earlier date is a typing mistake (and
# year 1 breaks date arithmetic), so it is refused next to the field.
EARLIEST_RECORD_DATE = datetime.date(2000, 1, 1)


LATEST_RECORD_YEAR = 2100


# The largest primary key the database can hold (a signed 64-bit integer): an id from a URL
# or a form beyond it is refused before it reaches SQL.
MAX_ID = 2**63 - 1


def validate_record_date(value) -> None:
    day = value.date() if isinstance(value, datetime.datetime) else value
    if day < EARLIEST_RECORD_DATE or day.year > LATEST_RECORD_YEAR:
        raise ValidationError(
            _("日付が正しくありません。2000年以降の日付を入力してください。"), code="record_date"
        )


def valid_choice(field: str, choices, name: str) -> models.CheckConstraint:
    """A database check that a choice field holds one of its choices."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": [c.value for c in choices]}), name=name
    )


phone_validator = RegexValidator(
    r"^[0-9０-９\-－()（） ]{0,20}$",
    _("電話番号は数字とハイフンで入力してください。"),
)
