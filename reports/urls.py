"""URLs of the reports app. Every name is registered in tests/reports/url_specs.py."""

from django.urls import path

from . import api, views

urlpatterns = [
    path("rapporter/", views.reports_index, name="reports_index"),
    path("rapporter/enheter/<str:code>/", views.unit_reports, name="unit_reports"),
    path("rapporter/enheter/<str:code>/trend/<slug:questionnaire>/", views.unit_trend, name="unit_trend"),
    path("rapporter/enheter/<str:code>/trend/<slug:questionnaire>/graf.svg", views.unit_trend_chart, name="unit_trend_chart"),
    path("rapporter/enheter/<str:code>/mal/", views.goal_list, name="goal_list"),
    path("rapporter/enheter/<str:code>/mal/nytt/", views.goal_create, name="goal_create"),
    path("rapporter/mal/<int:pk>/endre/", views.goal_edit, name="goal_edit"),
    path("rapporter/mal/<int:pk>/slett/", views.goal_delete, name="goal_delete"),
    path("rapporter/mal/<int:pk>/tiltak/", views.goal_action, name="goal_action"),
    path("rapporter/amu/", views.amu_start, name="amu_start"),
    path("rapporter/amu/<str:code>/<int:year>/", views.amu_report, name="amu_report"),
    path("rapporter/amu/<str:code>/<int:year>/rapport.docx", views.amu_report_docx, name="amu_report_docx"),
    path("rapporter/amu/<str:code>/<int:year>/graf/<slug:name>.svg", views.amu_chart, name="amu_chart"),
    path("rapporter/arsrapport/<uuid:response_id>.docx", views.unit_report_docx, name="unit_report_docx"),
    path("rapporter/eksport/", views.export_index, name="export_index"),
    path("rapporter/eksport/<uuid:campaign_id>/<str:code>.csv", views.export_csv, name="export_csv"),
    path("rapporter/eksport/<uuid:campaign_id>/<str:code>.xlsx", views.export_xlsx, name="export_xlsx"),
    path("rapporter/maler/", views.report_templates, name="report_templates"),
    path("rapporter/maler/<slug:kind>.docx", views.report_template_download, name="report_template_download"),
    path("rapporter/maler/<slug:kind>/tilbakestill/", views.report_template_reset, name="report_template_reset"),
    # Read-only JSON API (schema: reports/openapi.py)
    path("api/v1/openapi.json", api.api_schema, name="api_schema"),
    path("api/v1/enheter/", api.api_units, name="api_units"),
    path("api/v1/enheter/<str:code>/", api.api_unit_trends_index, name="api_unit_trends_index"),
    path("api/v1/enheter/<str:code>/trender/<slug:questionnaire>/", api.api_unit_trend, name="api_unit_trend"),
    path("api/v1/enheter/<str:code>/arsrapport/", api.api_unit_annual, name="api_unit_annual"),
    path("api/v1/enheter/<str:code>/personskader/", api.api_unit_injuries, name="api_unit_injuries"),
    path("api/v1/enheter/<str:code>/mal/", api.api_unit_goals, name="api_unit_goals"),
]
