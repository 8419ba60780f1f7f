"""Django admin for every model, except those that must never have one."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

VERNE_APPS = {"core", "surveys", "workflows", "reports", "privacy", "ops"}
# No admin page on purpose: anonymous answers and comments and who-answered records (an admin
# list could tie a person to answering), and photos (their access is checked per deviation).
WITHOUT_ADMIN = {"surveys.AnonymousAnswer", "surveys.AnonymousComment", "surveys.Participation", "workflows.Photo"}


def verne_models() -> list[type]:
    return [m for m in apps.get_models()
            if m._meta.app_label in VERNE_APPS and not m.__name__.startswith("Historical")]  # fmt: skip


def test_every_model_has_an_admin_page_except_the_anonymous_ones() -> None:
    missing = {m._meta.label for m in verne_models() if m not in admin.site._registry} - WITHOUT_ADMIN
    assert not missing, f"register these in the admin: {sorted(missing)}"
    exposed = {m._meta.label for m in verne_models() if m in admin.site._registry} & WITHOUT_ADMIN
    assert not exposed


@pytest.mark.django_db
def test_every_admin_list_page_renders_for_a_superuser() -> None:
    from core.models import User

    root = User.objects.create_superuser("root", "root@example.no", "pw-for-tests-only")
    client = Client()
    client.force_login(root)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
