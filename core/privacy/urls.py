"""Privacy: a person's own data, the statements, the HMS admin's privacy page."""

from django.urls import path

from . import views

urlpatterns = [
    path("meg/data/", views.my_data, name="my_data"),
    path("meg/data.json", views.my_data_download, name="my_data_download"),
    path("personvern/", views.privacy_statement, name="privacy_statement"),
    path("tilgjengelighet/", views.accessibility_statement, name="accessibility_statement"),
    path("personvern/admin/", views.privacy_admin, name="privacy_admin"),
    path("personvern/admin/erklaering/<str:key>/", views.info_page_edit, name="info_page_edit"),
    path("personvern/admin/personer/<int:pk>/", views.person_detail, name="privacy_person"),
]
