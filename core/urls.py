from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path("logg-inn/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("sprak/", views.language_set, name="language_set"),
    path("enheter/", views.unit_list, name="unit_list"),
    path("enheter/<str:code>/", views.unit_detail, name="unit_detail"),
    path("admin/", admin.site.urls),
    path("", include("surveys.urls")),
    path("", include("workflows.urls")),
]
