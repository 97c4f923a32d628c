"""Master data only: districts, agencies, staff. No personal case data is registered here.

Agency admins (staff users with the agency_admin role) see and manage the accounts of their
own agency only; system admins (superusers) see all.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext as _

from casework import access, services
from casework.models import Agency, District, Role, StaffMembership

User = get_user_model()


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "sort_order"]
    ordering = ["sort_order"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district"]
    list_filter = ["kind", "district"]
    search_fields = ["name"]


class StaffMembershipInline(admin.StackedInline):
    model = StaffMembership
    can_delete = False
    max_num = 1
    min_num = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency" and not request.user.is_superuser:
            membership = access.membership_of(request.user)
            kwargs["queryset"] = Agency.objects.filter(
                pk=membership.agency_id if membership else None
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            # An agency admin manages workers only: supervisors, agency admins and indicator
            # officers are appointed by the system admin.
            kwargs["choices"] = [(r.value, r.label) for r in AGENCY_ADMIN_ROLES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


AGENCY_ADMIN_ROLES = (Role.CSW, Role.CONSULTATION)

admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [StaffMembershipInline]
    list_display = ["username", "last_name", "first_name", "membership", "is_active"]
    list_select_related = ["membership__agency"]
    list_filter = ["is_active", "membership__role", "membership__agency"]

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if request.user.is_superuser:
            return users
        membership = access.membership_of(request.user)
        if membership is None or membership.role != Role.AGENCY_ADMIN:
            return users.none()
        # Their agency's workers, never themselves, a supervisor or another admin.
        return users.filter(
            membership__agency_id=membership.agency_id,
            membership__role__in=[r.value for r in AGENCY_ADMIN_ROLES],
            is_superuser=False,
            is_staff=False,
        ).exclude(pk=request.user.pk)

    def save_model(self, request, obj, form, change):
        membership = StaffMembership.objects.filter(user_id=obj.pk).first() if change else None
        request._tsunagu_previous_membership = (
            (membership.agency_id, membership.role) if membership else None
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        user.__dict__.pop("_tsunagu_membership", None)
        moved = services.staff_membership_changed(
            actor=request.user,
            user=user,
            previous=getattr(request, "_tsunagu_previous_membership", None),
        )
        if moved:
            self.message_user(
                request,
                _("所属または役割が変わったため、%(n)s件のケースの担当・共有を終了しました。")
                % {"n": moved},
            )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # Agency admins manage names, passwords and activity, never privileges.
        hidden = {"is_superuser", "groups", "user_permissions", "is_staff"}
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in hidden]})
            for name, opts in fieldsets
        ]
