from django.urls import include, path

from . import views, views_admin

urlpatterns = [
    path("sporreskjema/", views_admin.questionnaire_list, name="questionnaire_list"),
    path("sporreskjema/versjon/<int:version_id>.json", views_admin.questionnaire_version_export, name="questionnaire_version_export"),
    path("kampanjer/", views_admin.campaign_list, name="campaign_list"),
    path("kampanjer/ny/", views_admin.campaign_create, name="campaign_create"),
    path("kampanjer/arsrapport/", views_admin.campaign_issue_annual_report, name="campaign_issue_annual_report"),
    path("kampanjer/<uuid:campaign_id>/", views_admin.campaign_detail, name="campaign_detail"),
    path("kampanjer/<uuid:campaign_id>/status/", views_admin.campaign_set_status, name="campaign_set_status"),
    path("besvarelser/<uuid:response_id>/", views.response_overview, name="response_overview"),
    path("besvarelser/<uuid:response_id>/svar/", views.response_wizard, name="response_wizard"),
    path("besvarelser/<uuid:response_id>/evaluer/", views.response_evaluate, name="response_evaluate"),
    path("besvarelser/<uuid:response_id>/oppsummering/", views.response_review, name="response_review"),
    path("besvarelser/<uuid:response_id>/tiltak/", views.response_followups_save, name="response_followups_save"),
    path("besvarelser/<uuid:response_id>/signer/", views.response_sign, name="response_sign"),
    path("besvarelser/<uuid:response_id>/gjenapne/", views.response_reopen, name="response_reopen"),
    path("besvarelser/<uuid:response_id>/lever/", views.response_submit, name="response_submit"),
    path("kampanjer/<uuid:campaign_id>/svar/", views.campaign_answer, name="campaign_answer"),
    path("besvarelser/<uuid:response_id>/logg/", views.response_audit, name="response_audit"),
    path("", include("surveys.anon.urls")),
]
