"""factory-boy factories. Rows that carry grants (cases, shares) are made through services
in the fixtures, so tests see the same access the app would give."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from casework.models import Agency, ContactRecord, District, Person, Role, StaffMembership
from casework.normalize import person_search_key


def district(code: str = "central") -> District:
    return District.objects.get(code=code)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"テスト機関{n}")
    kind = Agency.Kind.CSW
    district = factory.LazyFunction(district)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "職員"
    first_name = factory.Sequence(lambda n: f"{n}号")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery-9")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    """A user with a membership: StaffFactory(agency=..., role=Role.CSW)."""

    class Params:
        agency = factory.SubFactory(AgencyFactory)
        role = Role.CSW

    membership = factory.RelatedFactory(
        "tests.factories.MembershipFactory",
        factory_related_name="user",
        agency=factory.SelfAttribute("..agency"),
        role=factory.SelfAttribute("..role"),
    )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.CSW


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    family_name = "佐藤"
    given_name = factory.Sequence(lambda n: f"花子{n}")
    family_name_kana = "さとう"
    given_name_kana = "はなこ"
    birth_date = datetime.date(1950, 4, 1)
    sex = "female"
    address = "目黒区中央町一丁目1番1号"
    district = factory.LazyFunction(district)
    phone = "03-1234-5678"
    registered_by_agency = factory.SubFactory(AgencyFactory)
    search_key = factory.LazyAttribute(
        lambda o: person_search_key(
            o.family_name, o.given_name, o.family_name_kana, o.given_name_kana
        )
    )


class ContactRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactRecord

    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    method = "phone"
    minutes = 15
    summary = "電話で近況を確認した。"
