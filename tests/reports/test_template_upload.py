"""An HMS admin replaces a Word template; it is test-rendered with sample data first and
refused, in plain words, when something is wrong."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from core.models import AuditEvent, Role
from reports import documents, services
from reports.models import ReportTemplate
from tests.conftest import Org
from tests.surveys.conftest import client_for


def _docx_with(*paragraphs: str, base: str | None = "unit_report") -> bytes:
    doc = Document(str(documents.TEMPLATES / f"{base}.docx")) if base else Document()
    for text in paragraphs:
        doc.add_paragraph().add_run(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _upload(client: object, kind: str, data: bytes, name: str = "mal.docx") -> object:
    return client.post(reverse("report_templates"), {"kind": kind, "file": SimpleUploadedFile(name, data)})  # type: ignore[attr-defined]


def test_a_good_template_is_checked_and_used(org: Org) -> None:
    admin = client_for(org.person(Role.HMS_ADMIN))
    data = _docx_with("Vår egen logo og {{ report.unit }}")
    r = _upload(admin, "unit_report", data)
    assert r.status_code == 302
    stored = ReportTemplate.objects.get(kind="unit_report")
    assert bytes(stored.content) == data and stored.uploaded_by == org.person(Role.HMS_ADMIN)
    assert AuditEvent.objects.filter(verb="report_template.upload").exists()
    download = admin.get(reverse("report_template_download", args=["unit_report"]))
    assert download.content == data
    admin.post(reverse("report_template_reset", args=["unit_report"]))
    assert not ReportTemplate.objects.exists()


@pytest.mark.parametrize(("data", "words"), [
    (b"not a word file", "ikke et Word-dokument"),
    (_docx_with("{{ report.unit "), "feil i en flettekode"),
    (_docx_with("{{ secret_field }}"), "felt som rapporten ikke har: secret_field"),
    (_docx_with("{{ report.__class__.__mro__ }}"), "ikke er tillatt"),
    (_docx_with("{% for x in labels.items() %}{{ x }}{% endfor %}", base=None), ""),
])  # fmt: skip
def test_a_broken_or_unsafe_template_is_refused_in_plain_words(org: Org, data: bytes, words: str) -> None:
    admin = client_for(org.person(Role.HMS_ADMIN))
    r = _upload(admin, "unit_report", data)
    if not words:  # calling a method of plain data is allowed in the sandbox
        assert r.status_code == 302
        return
    assert r.status_code == 200
    html = r.content.decode()
    assert words in html
    assert not ReportTemplate.objects.exists()


def test_only_the_hms_admin_may_upload(org: Org) -> None:
    with pytest.raises(PermissionDenied):
        services.report_template_upload(actor=org.person(Role.LEADER, "a"), kind="amu_report", content=b"x", filename="x.docx")
    assert client_for(org.person(Role.TOP_MANAGER)).get(reverse("report_templates")).status_code == 404


def test_an_uploaded_template_is_used_for_the_report(org: Org) -> None:
    services.report_template_upload(actor=org.person(Role.HMS_ADMIN), kind="amu_report",
                                    content=_docx_with("EGEN MAL {{ report.unit }}", base="amu_report"), filename="egen.docx")  # fmt: skip
    from reports import selectors
    from tests.reports.docx_support import docx_text

    data = documents.amu_docx(selectors.amu_report(org.root, 2025))
    assert "EGEN MAL Testorganisasjonen" in docx_text(data)


def test_the_service_reports_every_problem_as_a_validation_error(org: Org) -> None:
    with pytest.raises(ValidationError) as exc:
        services.report_template_upload(actor=org.person(Role.HMS_ADMIN), kind="amu_report", content=b"PK\x03\x04broken",
                                        filename="x.docx")  # fmt: skip
    assert "Word" in " ".join(exc.value.messages)
