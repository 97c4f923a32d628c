"""The Django admin's delete pages: master data with personal data hanging off it is not
deleted, and the refusal lists nobody."""

import pytest
from django.contrib.auth import get_user_model

from casework.models import Agency, District
from tests.casework.admin_helpers import assert_names_nobody, signed_in
from tests.factories import AgencyFactory, district

User = get_user_model()

REFUSAL = "ほかの記録から参照されている"  # …ため削除できません


# --- delete pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["agency", "district", "plan_agency"])
def test_deleting_master_data_with_dependents_is_refused_naming_nobody(
    cast, root, person_case, kind
):
    obj = {
        "agency": cast.agency_a,
        "district": district("central"),
        "plan_agency": cast.agency_b,  # only a plan action (and staff) point to it
    }[kind]
    model = type(obj)._meta.model_name
    client = signed_in(root)
    url = f"/admin/casework/{model}/{obj.pk}/delete/"

    page = client.get(url)
    assert page.status_code == 200
    assert REFUSAL in page.content.decode()
    assert_names_nobody(page, person_case)

    posted = client.post(url, {"post": "yes"})
    assert posted.status_code == 200
    assert REFUSAL in posted.content.decode()
    assert_names_nobody(posted, person_case)
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_delete_selected_refuses_when_any_row_has_dependents(cast, root, person_case):
    empty = AgencyFactory(name="使われていない機関")
    client = signed_in(root)
    data = {"action": "delete_selected", "_selected_action": [cast.agency_a.pk, empty.pk]}

    page = client.post("/admin/casework/agency/", data)
    assert page.status_code == 200
    assert REFUSAL in page.content.decode()
    assert_names_nobody(page, person_case)

    confirmed = client.post("/admin/casework/agency/", {**data, "post": "yes"})
    assert REFUSAL in confirmed.content.decode()
    assert Agency.objects.filter(pk__in=[cast.agency_a.pk, empty.pk]).count() == 2


def test_master_data_without_dependents_can_still_be_deleted(root, db):
    lonely = District.objects.create(code="spare", name="予備地区", sort_order=99)
    client = signed_in(root)
    url = f"/admin/casework/district/{lonely.pk}/delete/"
    page = client.get(url)
    assert page.status_code == 200
    assert REFUSAL not in page.content.decode()
    assert "予備地区" in page.content.decode()
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not District.objects.filter(pk=lonely.pk).exists()

    spares = [AgencyFactory(name=f"予備機関{n}", district=None) for n in range(2)]
    data = {"action": "delete_selected", "_selected_action": [a.pk for a in spares]}
    assert client.post("/admin/casework/agency/", {**data, "post": "yes"}).status_code == 302
    assert not Agency.objects.filter(pk__in=[a.pk for a in spares]).exists()


def test_deleting_a_worker_with_records_is_refused(cast, root, person_case):
    client = signed_in(root)
    url = f"/admin/auth/user/{cast.csw_a.pk}/delete/"
    page = client.post(url, {"post": "yes"})
    assert REFUSAL in page.content.decode()
    assert_names_nobody(page, person_case)
    assert User.objects.filter(pk=cast.csw_a.pk).exists()


def test_history_and_change_pages_name_nobody(cast, root, person_case):
    client = signed_in(root)
    client.post(
        f"/admin/casework/agency/{cast.agency_a.pk}/change/",
        {"name": "社協A(改称)", "kind": "csw", "district": district("central").pk},
    )
    for url in (
        f"/admin/casework/agency/{cast.agency_a.pk}/history/",
        f"/admin/casework/district/{district('central').pk}/history/",
        f"/admin/auth/user/{cast.csw_a.pk}/history/",
        f"/admin/casework/agency/{cast.agency_a.pk}/change/",
        f"/admin/auth/user/{cast.csw_a.pk}/change/",
        "/admin/",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert_names_nobody(page, person_case)


@pytest.mark.parametrize("bad", ["x", "\x00", "9" * 30])
def test_an_unreadable_selection_is_sent_back_not_a_server_error(cast, root, bad):
    data = {"action": "delete_selected", "index": "0", "_selected_action": [cast.agency_a.pk, bad]}
    response = signed_in(root).post("/admin/casework/agency/", {**data, "post": "yes"})
    assert response.status_code == 302
    assert Agency.objects.filter(pk=cast.agency_a.pk).exists()
