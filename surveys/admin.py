from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import Campaign, Questionnaire, QuestionnaireVersion, Response, ResponseSignature


class VersionInline(admin.TabularInline):
    model = QuestionnaireVersion
    extra = 0
    fields = ("number", "published_at", "note")
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ("title", "key", "default_mode")
    search_fields = ("title", "key")
    inlines = [VersionInline]


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(admin.ModelAdmin):
    """Versions are immutable: publish a new one (import) instead of editing."""

    list_display = ("questionnaire", "number", "published_at")
    readonly_fields = ("questionnaire", "number", "definition", "definition_hash", "published_at", "published_by", "note")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ("title", "year", "mode", "status", "opens_on", "closes_on")
    list_filter = ("mode", "status", "year")
    filter_horizontal = ("units",)


class SignatureInline(admin.TabularInline):
    model = ResponseSignature
    extra = 0
    readonly_fields = ("signer", "capacity", "role", "signed_at", "answers_hash", "voided_at", "void_reason")
    can_delete = False


@admin.register(Response)
class ResponseAdmin(SimpleHistoryAdmin):
    """Joint and named responses. Edits go through the wizard; the admin shows history."""

    list_display = ("__str__", "status", "unit_name", "updated_at")
    list_filter = ("status", "purpose")
    search_fields = ("unit_name", "unit_code")
    readonly_fields = ("version", "campaign", "purpose", "unit", "unit_code", "unit_name", "person", "answers",
                       "answer_meta", "followup_choices", "status", "lock_version", "current_page", "submitted_at",
                       "reopen_reason", "created_at", "updated_at")  # fmt: skip
    inlines = [SignatureInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ResponseSignature)
class ResponseSignatureAdmin(SimpleHistoryAdmin):
    list_display = ("response", "signer", "capacity", "signed_at", "voided_at")
    readonly_fields = ("response", "signer", "capacity", "role", "signed_at", "answers_hash", "voided_at", "void_reason")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


# Aggregates and the ARK follow-up. Anonymous answers, free-text comments and participation
# records have no admin page on purpose: an admin list could tie a person to answering.
from .models import ResponseRateSnapshot, ResultArchive, SurveyFollowUp  # noqa: E402


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


admin.site.register(ResponseRateSnapshot, _ReadOnly)
admin.site.register(ResultArchive, _ReadOnly)
admin.site.register(SurveyFollowUp, _ReadOnly)
