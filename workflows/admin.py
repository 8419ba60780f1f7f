"""Read-only admin views for support staff. All changes go through the pages and services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    ActionItem,
    AnnualCycleItem,
    AnnualCycleRun,
    CalendarFeedToken,
    Deviation,
    FollowUpLink,
    HmsRound,
    LearningReport,
    RiskAssessment,
    RiskRow,
    RoundFinding,
    WorkflowSettings,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ("pk", "title", "unit", "status", "owner", "due_date", "source_kind")
    list_filter = ("status", "source_kind", "priority")
    search_fields = ("title", "rule_code")


@admin.register(Deviation)
class DeviationAdmin(ReadOnlyAdmin):
    # The reporter is deliberately not listed: it is shown to case handlers on the case page only.
    list_display = ("pk", "unit", "category", "status", "high_potential", "occurred_at")
    list_filter = ("status", "category", "high_potential", "legal_notice_required")
    exclude = ("receipt_hash", "reporter")


@admin.register(HmsRound)
class HmsRoundAdmin(ReadOnlyAdmin):
    list_display = ("title", "unit", "safety_area", "status", "planned_date")
    list_filter = ("status",)


@admin.register(RiskAssessment)
class RiskAssessmentAdmin(ReadOnlyAdmin):
    list_display = ("title", "unit", "status", "assessed_on", "next_review_due")
    list_filter = ("status",)


admin.site.register(LearningReport, ReadOnlyAdmin)
admin.site.register(AnnualCycleItem, ReadOnlyAdmin)
admin.site.register(AnnualCycleRun, ReadOnlyAdmin)
admin.site.register(WorkflowSettings, ReadOnlyAdmin)
admin.site.register(RiskRow, ReadOnlyAdmin)
admin.site.register(RoundFinding, ReadOnlyAdmin)
admin.site.register(FollowUpLink, ReadOnlyAdmin)
admin.site.register(CalendarFeedToken, ReadOnlyAdmin)  # holds only a hash of the secret
# Photo is left out on purpose: photos are shown only to people who may see their deviation
# or round (checked in the views); the admin would bypass that check.
