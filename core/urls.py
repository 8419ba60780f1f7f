from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import sso, views

urlpatterns = [
    path("", views.home, name="home"),
    path("logg-inn/", views.LoginView.as_view(), name="login"),
    path("oidc/authenticate/", sso.SSOStart.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", sso.SSOCallback.as_view(), name="oidc_authentication_callback"),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("sprak/", views.language_set, name="language_set"),
    path("enheter/", views.unit_list, name="unit_list"),
    path("enheter/<str:code>/", views.unit_detail, name="unit_detail"),
    path("admin/", admin.site.urls),
    path("", include("surveys.urls")),
    path("", include("workflows.urls")),
    path("", include("reports.urls")),
    path("", include("core.privacy.urls")),
    path("", include("core.ops.urls")),
]
