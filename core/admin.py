from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import AuditEvent, Membership, OrgUnit, SafetyArea, User


@admin.register(User)
class PersonAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "email", "language", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("Verne", {"fields": ("language", "external_id")}))


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "valid_from", "valid_to")
    autocomplete_fields = ("user",)


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    readonly_fields = ("path", "depth")
    autocomplete_fields = ("parent", "successor")
    inlines = [MembershipInline]

    def save_model(self, request: HttpRequest, obj: OrgUnit, form: Any, change: bool) -> None:
        # Keep the materialised path right: creation and moves go through the services.
        actor = request.user  # type: ignore[assignment]
        if not change:
            unit = services.unit_create(
                actor=actor, code=obj.code, name=obj.name, kind=obj.kind, parent=obj.parent,
                valid_from=obj.valid_from, valid_to=obj.valid_to,
            )  # fmt: skip
            obj.pk, obj.path, obj.depth = unit.pk, unit.path, unit.depth
            return
        old = OrgUnit.objects.get(pk=obj.pk)
        super().save_model(request, obj, form, change)
        if obj.parent_id != old.parent_id and obj.parent is not None:
            services.unit_move(actor=actor, unit=obj, new_parent=obj.parent)


@admin.register(SafetyArea)
class SafetyAreaAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "valid_from", "valid_to")
    search_fields = ("name", "code")
    filter_horizontal = ("units",)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "role", "unit", "safety_area", "valid_from", "valid_to")
    list_filter = ("role",)
    search_fields = ("user__username", "user__last_name", "unit__name", "safety_area__name")
    autocomplete_fields = ("user", "unit", "safety_area")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "verb", "actor", "target_type", "target_id", "unit")
    list_filter = ("verb",)
    search_fields = ("verb", "target_id", "actor__username")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
