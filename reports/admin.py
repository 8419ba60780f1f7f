from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import HmsGoal, ReportTemplate

admin.site.register(HmsGoal, SimpleHistoryAdmin if hasattr(HmsGoal, "history") else admin.ModelAdmin)


@admin.register(ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    """Uploads are test-rendered on the reports page; the admin only shows what is stored."""

    def has_add_permission(self, request: object) -> bool:  # type: ignore[override]
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:  # type: ignore[override]
        return False
