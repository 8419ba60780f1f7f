from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import InfoPage

admin.site.register(InfoPage, SimpleHistoryAdmin if hasattr(InfoPage, "history") else admin.ModelAdmin)
