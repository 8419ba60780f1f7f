"""URLs of anonymous surveys (included from surveys/urls.py)."""

from django.conf import settings
from django.urls import path

from . import views, views_results

urlpatterns = [
    # Answering (public: the one-time link; or logged in from the home page).
    path("undersokelse/", views.anon_start, name="anon_start"),
    path("undersokelse/side/", views.anon_page, name="anon_page"),
    path("undersokelse/evaluer/", views.anon_evaluate, name="anon_evaluate"),
    path("undersokelse/takk/", views.anon_done, name="anon_done"),
    path("undersokelse/<uuid:campaign_id>/", views.anon_home, name="anon_home"),
    # Response rates and results (the group-size rule), follow-up.
    path("undersokelser/", views_results.anon_results_index, name="anon_results_index"),
    path("undersokelser/<uuid:campaign_id>/<str:code>/", views_results.anon_results, name="anon_results"),
    path("undersokelser/<uuid:campaign_id>/<str:code>/csv/", views_results.anon_results_csv, name="anon_results_csv"),
    path("undersokelser/<uuid:campaign_id>/<str:code>/oppfolging/", views_results.anon_followup, name="anon_followup"),
    # HMS admin.
    path("kampanjer/<uuid:campaign_id>/inviter/", views_results.anon_campaign_invite, name="anon_campaign_invite"),
    path("kampanjer/<uuid:campaign_id>/paminn/", views_results.anon_campaign_remind, name="anon_campaign_remind"),
    path("kampanjer/<uuid:campaign_id>/fritekst/", views_results.anon_comments, name="anon_comments"),
]

if settings.VERNE_BENCH_BASELINE:  # bench/barometer.py only; never set in production
    from . import bench_baseline

    urlpatterns += [path("bench/baseline/", bench_baseline.baseline, name="bench_baseline")]
