import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from casework import access, services
from casework.models import AccessLog, CaseUserObjectPermission, ConsentBasis


def visible(user):
    return set(access.cases_visible_to(user).values_list("pk", flat=True))


def test_assigned_worker_sees_own_case_and_colleague_does_not(cast, open_case):
    case = open_case(cast.csw_a)
    assert case.pk in visible(cast.csw_a)
    assert case.pk not in visible(cast.consultation_a)


def test_supervisor_sees_only_own_agency(cast, open_case):
    case_a = open_case(cast.csw_a)
    case_b = open_case(cast.csw_b)
    assert visible(cast.supervisor_a) == {case_a.pk}
    assert visible(cast.supervisor_b) == {case_b.pk}


@pytest.mark.parametrize("role", ["admin_a", "indicator_officer", "outsider"])
def test_roles_without_casework_see_no_case(cast, open_case, role):
    open_case(cast.csw_a)
    user = getattr(cast, role)
    assert visible(user) == set()
    assert not access.persons_visible_to(user).exists()


def test_anonymous_user_sees_nothing(cast, open_case):
    from django.contrib.auth.models import AnonymousUser

    open_case(cast.csw_a)
    assert visible(AnonymousUser()) == set()


def test_visibility_is_one_query_whatever_the_number_of_grants(
    cast, open_case, django_assert_num_queries
):
    for _ in range(5):
        open_case(cast.csw_a)
    user = cast.csw_a
    access.membership_of(user)  # cached for the request, as in a view
    with django_assert_num_queries(1):
        assert len(list(access.cases_visible_to(user))) == 5


def test_case_for_user_is_404_when_hidden_and_403_without_perm(cast, case_a):
    with pytest.raises(Http404):
        access.case_for_user(cast.csw_b, case_a.pk)
    with pytest.raises(Http404):
        access.case_for_user(cast.csw_a, 999999)
    with pytest.raises(Http404):
        access.case_for_user(cast.csw_a, "not-a-number")
    # consultation_b sees it through the share, but may not write in it.
    assert access.case_for_user(cast.consultation_b, case_a.pk).pk == case_a.pk
    with pytest.raises(PermissionDenied):
        access.case_for_user(cast.consultation_b, case_a.pk, access.WORK)


def test_supervisor_holds_supervise_by_rule_not_by_rows(cast, open_case):
    case = open_case(cast.csw_a)
    perms = access.case_permissions(cast.supervisor_a, case)
    assert perms == {access.VIEW, access.WORK, access.SUPERVISE}
    assert not CaseUserObjectPermission.objects.filter(user=cast.supervisor_a).exists()
    assert access.case_permissions(cast.supervisor_b, case) == frozenset()


def test_share_to_other_agency_needs_a_basis(cast, open_case):
    case = open_case(cast.csw_a)
    with pytest.raises(ValidationError) as refused:
        services.case_share(actor=cast.csw_a, case=case, user=cast.csw_b)
    assert "本人同意" in str(refused.value)
    assert case.pk not in visible(cast.csw_b)


def test_consent_for_another_agency_does_not_cover_this_one(cast, open_case):
    case = open_case(cast.csw_a)
    services.consent_record(
        actor=cast.csw_a,
        person=case.person,
        basis=ConsentBasis.CONSENT,
        agencies=[cast.agency_a],
        given_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError):
        services.case_share(actor=cast.csw_a, case=case, user=cast.csw_b)


def test_share_within_agency_needs_no_basis(cast, open_case):
    case = open_case(cast.csw_a)
    services.case_share(actor=cast.csw_a, case=case, user=cast.consultation_a)
    assert case.pk in visible(cast.consultation_a)
    assert access.case_permissions(cast.consultation_a, case) == {access.VIEW}


def test_withdrawing_consent_revokes_the_share_and_logs_it(cast, case_a):
    assert case_a.pk in visible(cast.consultation_b)
    consent = case_a.person.consents.get()
    services.consent_withdraw(actor=cast.csw_a, consent=consent)
    assert case_a.pk not in visible(cast.consultation_b)
    revoke = AccessLog.objects.get(case=case_a, action=AccessLog.Action.REVOKE)
    assert "(consultation_b): 閲覧" in revoke.detail
    assert "同意の撤回" in revoke.detail
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()
    assert consent.withdrawn_by == cast.csw_a


def test_access_that_another_reason_justifies_survives_a_revocation(cast, open_case):
    case = open_case(cast.csw_a)
    share = services.case_share(actor=cast.csw_a, case=case, user=cast.consultation_a)
    services.case_assign(actor=cast.supervisor_a, case=case, worker=cast.consultation_a)
    services.share_revoke(actor=cast.csw_a, share=share)
    # Still assigned: view and work remain.
    assert access.case_permissions(cast.consultation_a, case) == {access.VIEW, access.WORK}
    services.case_unassign(actor=cast.supervisor_a, case=case, worker=cast.consultation_a)
    assert case.pk not in visible(cast.consultation_a)


def test_only_supervisor_assigns(cast, open_case):
    case = open_case(cast.csw_a)
    with pytest.raises(PermissionDenied):
        services.case_assign(actor=cast.csw_a, case=case, worker=cast.consultation_a)
    with pytest.raises(ValidationError):
        services.case_assign(actor=cast.supervisor_a, case=case, worker=cast.csw_b)


def test_grants_and_revocations_are_logged(cast, open_case):
    case = open_case(cast.csw_a)
    grants = AccessLog.objects.filter(case=case, action=AccessLog.Action.GRANT)
    name = f"{cast.csw_a.last_name} {cast.csw_a.first_name}"
    assert [g.detail for g in grants] == [f"{name}(csw_a): 閲覧・記録(担当の割り当て)"]
    assert grants.get().agency == cast.agency_a


def test_persons_without_case_visible_to_registering_agency_only(cast):
    person = services.person_create(actor=cast.csw_a, family_name="田中", family_name_kana="たなか")
    assert access.persons_visible_to(cast.consultation_a).filter(pk=person.pk).exists()
    assert not access.persons_visible_to(cast.csw_b).filter(pk=person.pk).exists()
    # Once a case exists, only those who see a case see the person.
    services.case_open(
        actor=cast.csw_a,
        person=person,
        opened_on=timezone.localdate(),
        main_concern="housing",
    )
    assert not access.persons_visible_to(cast.consultation_a).filter(pk=person.pk).exists()


def test_case_for_person_not_visible_is_refused(cast):
    person = services.person_create(actor=cast.csw_b, family_name="田中", family_name_kana="たなか")
    with pytest.raises(PermissionDenied):
        services.case_open(
            actor=cast.csw_a,
            person=person,
            opened_on=timezone.localdate() - datetime.timedelta(days=1),
            main_concern="debt",
        )


def test_sharing_with_the_assigned_worker_is_refused(cast, open_case):
    case = open_case(cast.csw_a)
    with pytest.raises(ValidationError):
        services.case_share(actor=cast.supervisor_a, case=case, user=cast.csw_a)


def test_naive_contact_time_is_refused_not_crashed(cast, open_case):
    case = open_case(cast.csw_a)
    with pytest.raises(ValidationError):
        services.contact_record_add(
            actor=cast.csw_a,
            case=case,
            occurred_at=datetime.datetime(2026, 1, 1, 10, 0),
            method="phone",
            minutes=5,
            summary="x",
        )


def test_read_only_share_does_not_let_another_agency_act_on_the_person(cast, case_a):
    consent = case_a.person.consents.get()
    with pytest.raises(PermissionDenied):
        services.consent_withdraw(actor=cast.consultation_b, consent=consent)
    with pytest.raises(PermissionDenied):
        services.consent_record(
            actor=cast.consultation_b,
            person=case_a.person,
            basis=ConsentBasis.PROTECT_LIFE,
            agencies=[cast.agency_b],
            given_on=timezone.localdate(),
        )
    with pytest.raises(PermissionDenied):
        services.case_open(
            actor=cast.consultation_b,
            person=case_a.person,
            opened_on=timezone.localdate(),
            main_concern="care",
        )
    consent.refresh_from_db()
    assert consent.is_active


def test_other_agency_reader_does_not_see_who_else_has_the_case(client, cast, case_a):
    from django.urls import reverse

    services.case_share(actor=cast.csw_a, case=case_a, user=cast.consultation_a)
    client.force_login(cast.consultation_b)
    response = client.get(reverse("casework:case_detail", kwargs={"pk": case_a.pk}))
    assert "共有先" not in response.content.decode()
