"""Master data only: districts, agencies, staff. No personal case data is registered here.

Agency admins (staff users with the agency_admin role) see and manage the accounts of their
own agency only; system admins (superusers) see all. Three rules hold for every page of the
admin, whoever signs in (docs/admin.md):

- An object URL (change, delete, history, password reset) answers 404, with the same page,
  for a missing id and for one the user may not see: no existence signal.
- Deleting something that other records point to is refused with a plain message that lists
  nothing; without dependents it is deleted as usual. No confirmation page names a related
  object.
- Nobody sets or reads another person's password here: an admin issues a reset and only the
  worker chooses the new one (casework/accounts.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.exceptions import DisallowedModelAdminToField
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UsernameField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.db.models.deletion import get_candidate_relations_to_delete
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from casework import access, accounts, services
from casework.models import Agency, District, PasswordReset, StaffMembership

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldsetSpec
    from django.contrib.auth.models import User as AuthUser
    from django.db.models import ForeignKey
    from django.db.models.fields import Field
    from django.db.models.fields.reverse_related import ForeignObjectRel
    from django.forms import ModelChoiceField, TypedChoiceField
    from django.urls import URLPattern

    # The mixin goes in front of a ModelAdmin (harden_admin_site puts it before any).
    _AdminBase = admin.ModelAdmin[Any]
else:
    _AdminBase = object

User = get_user_model()

# What get_deleted_objects returns as "protected" when it refuses; the templates under
# templates/admin/ show a plain message for it and never list it.
REFUSED = "refused"


def has_dependents(objs: Iterable[Model], owned: tuple[str, ...] = ()) -> bool:
    """Whether any row outside `owned` (model labels, lower case) points to one of `objs`.
    One EXISTS per relation, however many rows there are."""
    objs = list(objs)
    if not objs:
        return False
    model = objs[0]._meta.concrete_model
    assert model is not None  # a row's model is concrete
    # The stubs say fields; Django yields the reverse relations (ForeignObjectRel).
    relations = cast("Iterable[ForeignObjectRel]", get_candidate_relations_to_delete(model._meta))
    for relation in relations:
        related = cast("type[Model]", relation.related_model)  # a rel's model, never "self"
        if related._meta.label_lower in owned:
            continue
        if related._base_manager.filter(**{f"{relation.field.name}__in": objs}).exists():
            return True
    return False


def _admin_user(request: HttpRequest) -> AuthUser:
    """Who is signed in on an admin page: the admin lets only active staff in."""
    return cast("AuthUser", request.user)


class NoLeakAdminMixin(_AdminBase):
    """Uniform answers for object URLs and delete pages that list nothing."""

    # Rows deleted silently with the object (its own parts); anything else refuses.
    owned_dependents: tuple[str, ...] = ()

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Model | None:
        # An empty ?_to_field= would reach Meta.get_field("") and end in a 500.
        return super().get_object(request, object_id, from_field or None)

    def visible_object_or_404(self, request: HttpRequest, object_id: str) -> Model:
        to_field = request.POST.get(TO_FIELD_VAR, request.GET.get(TO_FIELD_VAR)) or None
        if to_field and not self.to_field_allowed(request, to_field):
            # Django's own answer (400), before any lookup, so it is the same for every id.
            raise DisallowedModelAdminToField(f"The field {to_field} cannot be referenced.")
        obj = self.get_object(request, unquote(object_id), to_field)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        return obj

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        self.visible_object_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        self.visible_object_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        self.visible_object_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def response_action(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        # Django filters pk__in the posted ids as they come: "x" or an id past the column's
        # range would end in a 500. Returning None sends the user back to the list.
        pk = self.model._meta.pk
        try:
            for value in request.POST.getlist(ACTION_CHECKBOX_NAME):
                pk.run_validators(pk.to_python(value))
        except ValidationError:
            self.message_user(
                request,
                _("選択した項目を読み取れませんでした。選び直してください。"),
                messages.WARNING,
            )
            return None
        return super().response_action(request, queryset)

    def get_deleted_objects(
        self, objs: Sequence[Model] | QuerySet[Model], request: HttpRequest
    ) -> tuple[list[str], dict[str, int], set[str], list[str]]:
        """Used by the delete page and the "delete selected" action alike."""
        objs = list(objs)
        if has_dependents(objs, self.owned_dependents):
            return [], {}, set(), [REFUSED]
        _deleted, _count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:  # deeper down, below an owned row
            return [], {}, set(), [REFUSED]
        return (
            [str(obj) for obj in objs],
            {self.model._meta.verbose_name_plural: len(objs)},
            set(perms_needed),
            [],
        )


def harden_admin_site(site: admin.AdminSite) -> None:
    """Give every registered ModelAdmin, other apps' too, the same no-leak answers.

    Called from the URLconf, when every admin module has registered its models."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, NoLeakAdminMixin):
            continue
        base = type(model_admin)
        hardened = type(base.__name__, (NoLeakAdminMixin, base), {"__module__": base.__module__})
        site.unregister(model)
        site.register(model, hardened)


def view_on_site_disabled(
    request: HttpRequest, content_type_id: str, object_id: str
) -> HttpResponse:
    """The admin's "view on site" redirect would answer 302 for an existing case or person
    and 404 for a missing one. No admin model has a page of its own, so it is always 404."""
    raise Http404


@admin.register(District)
class DistrictAdmin(NoLeakAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "sort_order"]
    ordering = ["sort_order"]


@admin.register(Agency)
class AgencyAdmin(NoLeakAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "district"]
    list_filter = ["kind", "district"]
    search_fields = ["name"]


AGENCY_ADMIN_ROLES = accounts.AGENCY_ADMIN_ROLES


class StaffMembershipInline(admin.StackedInline):
    model = StaffMembership
    can_delete = False
    max_num = 1
    min_num = 0

    def get_min_num(self, request: HttpRequest, obj: AuthUser | None = None, **kwargs: Any) -> int:
        # An agency admin's new account belongs to their agency, or they could not see it.
        return 0 if request.user.is_superuser else 1

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if db_field.name == "agency" and not request.user.is_superuser:
            membership = access.membership_of(request.user)
            kwargs["queryset"] = Agency.objects.filter(
                pk=membership.agency_id if membership else None  # type: ignore[misc]  # None matches no row
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(
        self, db_field: Field, request: HttpRequest, **kwargs: Any
    ) -> TypedChoiceField | None:
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = [(r.value, r.label) for r in AGENCY_ADMIN_ROLES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class AccountCreationForm(forms.ModelForm):
    """A new account has no usable password: the worker sets one through a reset."""

    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "email"]
        field_classes = {"username": UsernameField}

    def save(self, commit: bool = True) -> AuthUser:
        self.instance.set_unusable_password()
        return super().save(commit)


class AccountChangeForm(UserChangeForm):
    # not even the hash's summary: only its owner handles a password
    password = None  # type: ignore[assignment]  # removes the inherited field

    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]  # not in django-stubs
        fields = ["username", "last_name", "first_name", "email", "is_active"]


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(NoLeakAdminMixin, BaseUserAdmin):
    inlines = [StaffMembershipInline]
    form = AccountChangeForm
    add_form = AccountCreationForm
    list_display = ["username", "last_name", "first_name", "membership", "is_active"]
    actions = ["lift_lockout"]
    list_select_related = ["membership__agency"]
    list_filter = ["is_active", "membership__role", "membership__agency"]
    owned_dependents = (
        "casework.staffmembership",
        "casework.notification",
        "auth.user_groups",
        "auth.user_user_permissions",
    )
    fieldsets = (
        (None, {"fields": ("username", "password_state", "login_state")}),
        (_lazy("氏名・連絡先"), {"fields": ("last_name", "first_name", "email")}),
        (
            _lazy("権限"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_lazy("日時"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "last_name", "first_name", "email")}),)

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuthUser]:
        users = super().get_queryset(request)
        if request.user.is_superuser:
            return users
        return users.filter(pk__in=accounts.manageable_users(_admin_user(request)).values("pk"))

    def get_fieldsets(self, request: HttpRequest, obj: AuthUser | None = None) -> _FieldsetSpec:
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # Agency admins manage names and activity, never privileges, and cannot give a
        # worker an address of their choosing (the reset link goes there).
        hidden = {"is_superuser", "groups", "user_permissions", "is_staff"}
        if obj is None:
            hidden.add("email")
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]})
            for name, opts in fieldsets
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: AuthUser | None = None) -> list[str]:
        readonly = ["password_state", "login_state", "last_login", "date_joined"]
        if not request.user.is_superuser:
            readonly.append("email")
        return readonly

    @admin.display(description=_lazy("パスワード"))
    def password_state(self, obj: AuthUser) -> str:
        if obj.pk is None:
            return ""
        open_reset = obj.password_resets.filter(completed_at__isnull=True).first()
        if open_reset is not None:
            when = timezone.localtime(open_reset.issued_at)
            return _("本人の設定待ち(%(when)s にリセット)") % {"when": f"{when:%Y-%m-%d %H:%M}"}
        if obj.has_usable_password():
            return _("本人が設定済み(管理者には表示されません)")
        return _("未設定")

    @admin.display(description=_lazy("ログイン"))
    def login_state(self, obj: AuthUser) -> str:
        if obj.pk is None or not accounts.is_locked_out(obj):
            return _("利用できます")
        return _(
            "ログインに続けて失敗したため一時停止中です(最後の失敗から%(minutes)d分で自動的に"
            "解除されます)。一覧の操作「ログインの一時停止を解除」ですぐに解除できます。"
        ) % {"minutes": accounts.cooloff_minutes()}

    @admin.action(description=_lazy("ログインの一時停止を解除"))
    def lift_lockout(self, request: HttpRequest, queryset: QuerySet[AuthUser]) -> None:
        lifted = 0
        for worker in queryset:
            if not accounts.may_reset(_admin_user(request), worker):
                continue
            if accounts.lockout_lift(actor=_admin_user(request), worker=worker):
                self.log_change(request, worker, _("ログインの一時停止を解除しました。"))
                lifted += 1
        self.message_user(request, _("%(n)d人のログインの一時停止を解除しました。") % {"n": lifted})

    def save_model(self, request: HttpRequest, obj: AuthUser, form: Any, change: bool) -> None:
        membership = StaffMembership.objects.filter(user_id=obj.pk).first() if change else None
        request._tsunagu_previous_membership = (  # type: ignore[attr-defined]  # for save_related
            (membership.agency_id, membership.role) if membership else None
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        user = form.instance
        user.__dict__.pop("_tsunagu_membership", None)
        moved = services.staff_membership_revoke_grants(
            actor=_admin_user(request),
            user=user,
            previous=getattr(request, "_tsunagu_previous_membership", None),
        )
        if moved:
            self.message_user(
                request,
                _("所属または役割が変わったため、%(n)s件のケースの担当・共有を終了しました。")
                % {"n": moved},
            )
        if not change and accounts.may_reset(_admin_user(request), user):
            reset = accounts.password_reset_issue(
                actor=_admin_user(request), worker=user, new_account=True
            )
            self.message_user(request, self._reset_message(reset))

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<id>/password-reset/",
                self.admin_site.admin_view(self.password_reset_view),
                name="auth_user_password_reset",
            ),
            *super().get_urls(),
        ]

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # Setting another person's password would let the admin sign in as them.
        raise Http404

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: AuthUser | None = None,
    ) -> HttpResponse:
        context["can_reset_password"] = (
            obj is not None
            and self.has_change_permission(request, obj)
            and accounts.may_reset(_admin_user(request), obj)
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def password_reset_view(self, request: HttpRequest, id: str) -> HttpResponse:
        worker = cast("AuthUser", self.visible_object_or_404(request, id))  # this admin's rows
        if not self.has_change_permission(request, worker) or not accounts.may_reset(
            _admin_user(request), worker
        ):
            raise PermissionDenied
        if request.method == "POST":
            reset = accounts.password_reset_issue(actor=_admin_user(request), worker=worker)
            self.log_change(request, worker, _("パスワードのリセットを発行しました。"))
            self.message_user(request, self._reset_message(reset), messages.SUCCESS)
            return redirect(reverse("admin:auth_user_change", args=[worker.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("パスワードのリセット"),
            "subtitle": None,
            "original": worker,
            "opts": self.opts,
            "has_email": bool(worker.email),
        }
        return TemplateResponse(request, "admin/auth/user/password_reset.html", context)

    @staticmethod
    def _reset_message(reset: PasswordReset) -> str:
        name = reset.worker.get_username()
        if reset.sent_to:
            return _(
                "%(name)s のパスワードを無効にし、本人の登録メールアドレスに新しいパスワードを"
                "設定するためのリンクを送りました。"
            ) % {"name": name}
        return _(
            "%(name)s のパスワードを無効にしました。メールアドレスが登録されていないため、"
            "本人が区の情報システム担当の窓口でパスワードを設定するまで、ログインできません。"
        ) % {"name": name}


@admin.register(PasswordReset)
class PasswordResetAdmin(NoLeakAdminMixin, admin.ModelAdmin):
    """The audit trail of resets, for the ward IT; nobody edits it."""

    list_display = ["worker", "issued_by", "issued_at", "new_account", "sent_to", "completed_at"]
    list_select_related = ["worker", "issued_by"]
    list_filter = ["new_account"]
    date_hierarchy = "issued_at"

    def has_view_permission(self, request: HttpRequest, obj: PasswordReset | None = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PasswordReset | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PasswordReset | None = None) -> bool:
        return False
