"""User text in a Word report is inert: template syntax, XML and entities in answers come out
literally and the document stays valid (reports.docx: sandboxed Jinja with autoescape)."""

from __future__ import annotations

import io
import zipfile

from django.urls import reverse
from docx import Document
from lxml import etree

from core.models import Role
from reports import documents
from reports.docx import Image, render_docx
from surveys.models import Response
from tests.conftest import Org
from tests.reports import support
from tests.reports.docx_support import docx_text
from tests.surveys.conftest import client_for

HOSTILE = [
    "{{ 7*7 }}",
    "{% for x in y %}X{% endfor %}",
    "<w:t>",
    "Smith & Jones",
    "]]>",
    "</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>INJECTED",
    "{{ ''.__class__.__mro__ }}",
]


def _valid(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        etree.fromstring(z.read("word/document.xml"))  # well-formed XML, or this raises
    Document(io.BytesIO(data))


def test_hostile_answers_in_a_units_annual_report_show_literally(org: Org) -> None:
    text = "\n".join(HOSTILE)
    y = support.this_year()
    campaign = support.joint_campaign(org, "hms_annual_report", y, [org.a], sign=[org.a],
                                      answers={org.a: {"strengths": text, "improvement_areas": "A & B ]]> <w:t>"}})  # fmt: skip
    response = Response.objects.get(campaign=campaign, unit=org.a)
    r = client_for(org.person(Role.LEADER, "a")).get(reverse("unit_report_docx", args=[response.pk]))
    assert r.status_code == 200
    _valid(r.content)
    out = docx_text(r.content)
    for value in HOSTILE:
        assert value in out
    assert "49" not in out.split("{{ 7*7 }}")[0][-5:]
    assert "INJECTED" in out and "<w:b/>" in out  # the run markup is text, not formatting
    assert "A & B ]]> <w:t>" in out


def test_the_report_has_the_answers_signatures_and_action_plan(org: Org) -> None:
    y = support.this_year()
    campaign = support.joint_campaign(org, "hms_annual_report", y, [org.a], sign=[org.a], answers={org.a: {"has_action_plan": False}})
    response = Response.objects.get(campaign=campaign, unit=org.a)
    doc = Document(io.BytesIO(documents.unit_report_docx(response)))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    signatures, answers, actions = tables
    assert {row[1] for row in signatures[1:]} == {"Leder", "Verneombud"}
    assert any(row[0].startswith("Har enheten en skriftlig HMS-handlingsplan") or "handlingsplan" in row[0].lower() for row in answers[1:])
    assert len(actions) > 1  # the "make an action plan" follow-up became an action


def test_a_unit_report_is_only_for_those_who_may_see_the_response(org: Org) -> None:
    y = support.this_year()
    campaign = support.joint_campaign(org, "hms_annual_report", y, [org.a], sign=[org.a])
    response = Response.objects.get(campaign=campaign, unit=org.a)
    assert client_for(org.person(Role.LEADER, "b")).get(reverse("unit_report_docx", args=[response.pk])).status_code == 404
    assert client_for(org.person(Role.EMPLOYEE, "a")).get(reverse("unit_report_docx", args=[response.pk])).status_code == 404


def test_hostile_values_anywhere_in_the_context_are_inert(tmp_path: object) -> None:
    context = documents.sample_context("amu_report")
    context["summary"] = HOSTILE
    context["report"]["unit"] = "{{ 7*7 }} & <w:t>"
    context["charts"]["annual"] = Image(context["charts"]["annual"].data, 30)
    data = render_docx(documents.TEMPLATES / "amu_report.docx", context)
    _valid(data)
    out = docx_text(data)
    assert "{{ 7*7 }} & <w:t>" in out and all(v in out for v in HOSTILE)
