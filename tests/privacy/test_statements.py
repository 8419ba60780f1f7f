"""The privacy statement and the accessibility statement: public, in three languages, editable."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from core.models import Role
from core.privacy.models import InfoPage
from core.privacy.text import blocks
from tests.conftest import Org


@pytest.mark.parametrize(
    ("url", "language", "heading", "text"),
    [
        ("/personvern/", "nb", "Personvernerklæring", "Hvilke opplysninger vi behandler"),
        ("/personvern/", "nn", "Personvernfråsegn", "Kva opplysningar vi behandlar"),
        ("/personvern/", "en", "Privacy statement", "What we process"),
        ("/tilgjengelighet/", "nb", "Tilgjengelighetserklæring", "Kjente mangler"),
        ("/tilgjengelighet/", "nn", "Tilgjengefråsegn", "Kjende manglar"),
        ("/tilgjengelighet/", "en", "Accessibility statement", "Known issues"),
    ],
)
def test_default_statements_are_public_in_every_language(
    org: Org, url: str, language: str, heading: str, text: str, settings: Any
) -> None:
    settings.VERNE_PRIVACY_CONTACT = "personvern@example.no"
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f">{heading}</h1>" in html
    assert text in html
    assert "Testorganisasjonen" in html and "personvern@example.no" in html
    assert "Rediger siden" not in html


def test_the_hms_admin_edits_a_statement_with_history(org: Org) -> None:
    admin = org.person(Role.HMS_ADMIN)
    client = Client()
    client.force_login(admin)
    form = client.get("/personvern/admin/erklaering/accessibility/")
    assert form.status_code == 200 and "Kjente mangler" in form.content.decode()  # prefilled with the default
    body = "Vi følger WCAG 2.1 AA.\n\n## Avvik\n- Diagrammer mangler tekstalternativ <b>ennå</b>"
    response = client.post("/personvern/admin/erklaering/accessibility/", {"body_nb": body, "body_nn": "", "body_en": ""})
    assert response.status_code == 302 and response["Location"] == "/tilgjengelighet/"
    page = InfoPage.objects.get(key="accessibility")
    assert page.body_nb == body and page.updated_by == admin
    assert page.history.count() == 1 and page.history.get().history_user == admin
    html = Client().get("/tilgjengelighet/").content.decode()
    assert "Vi følger WCAG 2.1 AA." in html and "<h2" in html and "&lt;b&gt;ennå&lt;/b&gt;" in html
    # Nynorsk is still the default text (the nn field was left empty).
    nn = Client()
    nn.cookies["django_language"] = "nn"
    assert "Kjende manglar" in nn.get("/tilgjengelighet/").content.decode()


def test_only_the_hms_admin_may_edit(org: Org) -> None:
    for role in (Role.LEADER, Role.TOP_MANAGER, Role.HOVEDVERNEOMBUD):
        client = Client()
        client.force_login(org.person(role, "a"))
        assert client.get("/personvern/admin/erklaering/privacy/").status_code == 403
        assert client.post("/personvern/admin/erklaering/privacy/", {"body_nb": "x"}).status_code == 403
    assert not InfoPage.objects.exists()


def test_the_text_format() -> None:
    result = blocks("Første avsnitt\nfortsetter.\n\n## Tittel\n- en\n- to\nEtter lista.")
    assert [(b.kind, b.text, b.items) for b in result] == [
        ("paragraph", "Første avsnitt fortsetter.", []),
        ("heading", "Tittel", []),
        ("list", "", ["en", "to"]),
        ("paragraph", "Etter lista.", []),
    ]
