from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.models import AuditEvent, Membership, OrgUnit, SafetyArea, User
from core.permissions import Perm, has_perm

HEADER = "record,code,name,parent,kind,units,username,first_name,last_name,email,role,scope,valid_from,valid_to,successor\n"
GOOD = HEADER + (
    "unit,FJ,Fjordvik kommune,,organisation,,,,,,,,,,\n"
    "unit,FJ-HO,Helse og omsorg,FJ,division,,,,,,,,,,\n"
    "unit,FJ-HO-SJ,Sjukeheimen,FJ-HO,department,,,,,,,,,,\n"
    "unit,FJ-TE,Teknisk etat,FJ,division,,,,,,,,,,\n"
    "safety_area,VO-HO,Verneområde helse,,,FJ-HO;FJ-HO-SJ,,,,,,,,,\n"
    "person,,,,,,kari,Kari,Nordmann,kari@fjordvik.no,,,,,\n"
    "person,,,,,,ola,Ola,Hansen,ola@fjordvik.no,,,,,\n"
    "role,,,,,,kari,,,,leader,FJ-HO-SJ,2024-01-01,,\n"
    "role,,,,,,ola,,,,verneombud,VO-HO,,,\n"
    "role,,,,,,ola,,,,employee,FJ-HO-SJ,,,\n"
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "org.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_it_imports_units_areas_people_and_roles(tmp_path: Path) -> None:
    call_command("import_organisation", write(tmp_path, GOOD), stdout=open("/dev/null", "w"))
    home = OrgUnit.objects.get(code="FJ-HO-SJ")
    assert home.parent.code == "FJ-HO" and home.depth == 2 and home.path.count("/") == 4
    assert set(SafetyArea.objects.get(code="VO-HO").units.values_list("code", flat=True)) == {"FJ-HO", "FJ-HO-SJ"}
    kari = User.objects.get(username="kari")
    assert has_perm(kari, Perm.RESPONSE_SIGN, home)
    assert has_perm(User.objects.get(username="ola"), Perm.RESPONSE_SIGN, home)
    assert AuditEvent.objects.filter(verb="membership.grant").count() == 3


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    call_command("import_organisation", path, stdout=open("/dev/null", "w"))
    counts = (OrgUnit.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("import_organisation", path, stdout=open("/dev/null", "w"))
    assert (OrgUnit.objects.count(), User.objects.count(), Membership.objects.count()) == counts


@pytest.mark.django_db
def test_bad_rows_are_reported_by_line_and_nothing_is_imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = GOOD.replace("unit,FJ-TE,Teknisk etat,FJ,division", "unit,FJ-TE,Teknisk etat,NOPE,division")
    bad = bad.replace("role,,,,,,ola,,,,verneombud,VO-HO", "role,,,,,,ola,,,,wizard,VO-HO")
    bad += "person,,,,,,per,Per,Li,not-an-email,,,,,\n"
    bad += "role,,,,,,kari,,,,verneombud,FJ-HO,,,\n"
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_organisation", write(tmp_path, bad))
    err = capsys.readouterr().err
    assert "line 5: parent 'NOPE' is not a unit" in err
    assert "line 10: role 'wizard' is not one of" in err
    assert "line 12: 'not-an-email' is not an email address" in err
    assert "line 13: role 'verneombud' needs a safety area code in 'scope' (got 'FJ-HO')" in err
    assert OrgUnit.objects.count() == 0 and User.objects.count() == 0 and AuditEvent.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "line 1: the file is empty"),
        ("code,name\nX,Y\n", "the column 'record' is required"),
        (HEADER + "unit,X,Xen,,department,,,,,,,,,,\n", "line 2: unit 'X' needs a parent"),
        (HEADER + "unit,A,A,B,department,,,,,,,,,,\nunit,B,B,A,department,,,,,,,,,,\n", "part of a parent cycle"),
        (HEADER + "unit,A,A,,organisation,,,,,,,,2025-13-01,,\n", "line 2: valid_from '2025-13-01' is not a date"),
        (HEADER + "thing,A,A,,,,,,,,,,,,\n", "line 2: record 'thing' is not one of"),
        (HEADER + "unit,A,A,,organisation,,,,,,,,,,\nunit,A,A2,,organisation,,,,,,,,,,\n", "line 3: unit code 'A' appears twice"),
        (HEADER + "role,,,,,,ghost,,,,leader,A,,,\n", "line 2: person 'ghost' is not in the file or the database"),
    ],
)
def test_each_kind_of_mistake_has_a_plain_message(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str) -> None:
    with pytest.raises(CommandError):
        call_command("import_organisation", write(tmp_path, text))
    assert message in capsys.readouterr().err
    assert OrgUnit.objects.count() == 0


@pytest.mark.django_db
def test_a_moved_unit_takes_its_subtree_along(tmp_path: Path) -> None:
    call_command("import_organisation", write(tmp_path, GOOD), stdout=open("/dev/null", "w"))
    moved = GOOD.replace("unit,FJ-HO,Helse og omsorg,FJ,division", "unit,FJ-HO,Helse og omsorg,FJ-TE,department")
    call_command("import_organisation", write(tmp_path, moved), stdout=open("/dev/null", "w"))
    te = OrgUnit.objects.get(code="FJ-TE")
    sj = OrgUnit.objects.get(code="FJ-HO-SJ")
    assert sj.path.startswith(te.path) and sj.depth == 3
