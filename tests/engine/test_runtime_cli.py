"""The command-line runner (``python -m surveys.engine``) run as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from surveys.engine import run_case, run_input

ROOT = Path(__file__).resolve().parents[2]

SURVEY = {
    "pages": [
        {
            "name": "p1",
            "elements": [
                {"type": "text", "name": "n", "inputType": "number", "isRequired": True},
                {"type": "text", "name": "why", "visibleIf": "{n} > 5", "isRequired": True},
            ],
        },
        {
            "name": "p2",
            "elements": [{"type": "expression", "name": "double", "expression": "{n} * 2"}],
        },
    ]
}


def cli(stdin: str, *args: str) -> tuple[int, Any, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "surveys.engine", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    out = json.loads(proc.stdout) if proc.stdout.strip() else None
    return proc.returncode, out, proc.stderr


def test_batch_survey_and_function_mode() -> None:
    batch = [
        {"survey": SURVEY, "answers": [["n", "7"]], "actions": [{"do": "next"}]},
        {"survey": SURVEY, "data": {"n": 2}, "actions": [{"do": "next"}]},
        {"expression": "{a} + 1", "values": {"a": 2}},
    ]
    rc, out, err = cli(json.dumps(batch))
    assert rc == 0, err
    assert isinstance(out, list) and len(out) == 3
    first, second, fn = out
    assert first["values"] == {"double": 14, "n": 7}
    assert first["visibleQuestions"] == ["n", "why", "double"]
    assert first["actions"][0]["result"] is False
    assert first["actions"][0]["pageErrors"] == {
        "why": [{"text": "Response required.", "type": "required"}]
    }
    assert first["errors"] == {"why": [{"text": "Response required.", "type": "required"}]}
    assert first["pageValid"] == {"p1": False, "p2": True}
    assert second["currentPage"] == "p2" and second["actions"][0]["result"] is True
    assert fn["result"] == 3
    # keys are sorted like the reference runner's output
    assert list(first) == sorted(first)


def test_single_object_in_single_object_out() -> None:
    rc, out, _ = cli(json.dumps({"survey": SURVEY, "locale": "no"}))
    assert rc == 0
    assert isinstance(out, dict)
    assert out["errors"]["n"] == [{"text": "Vennligst svar på spørsmålet.", "type": "required"}]


def test_messages_option() -> None:
    rc, out, _ = cli(json.dumps({"survey": SURVEY, "locale": "nb"}), "--messages", "verne")
    assert rc == 0
    assert out["errors"]["n"][0]["text"] == "Du må svare på dette spørsmålet."


def test_special_values_are_encoded() -> None:
    survey = {"elements": [{"type": "expression", "name": "e", "expression": "{missing}"}]}
    nan = {"expression": "{a}", "values": {"a": {"$number": "NaN"}}}
    rc, out, _ = cli(json.dumps([{"survey": survey}, nan]))
    assert rc == 0
    assert out[0]["expressions"] == {"e": {"$undefined": True}}
    assert out[1]["result"] == {"$number": "NaN"}


def test_malformed_json_gives_an_error_object_not_a_traceback() -> None:
    rc, out, err = cli('[{"survey": {"elements": [}]')
    assert rc == 2
    assert "Traceback" not in err
    assert (out["error"]["line"], out["error"]["column"], out["error"]["position"]) == (1, 27, 26)
    assert out["error"]["message"].startswith("the input is not valid JSON")


def test_non_object_case_and_bad_survey_are_reported_per_case() -> None:
    rc, out, err = cli(json.dumps([1, {"survey": []}, {"expression": "1 +"}]))
    assert rc == 0, err
    assert out[0]["error"] == {"path": "[0]"}
    assert out[1]["error"] == {"path": "[1].survey"}
    assert out[2]["parseError"]["at"] == 3  # a syntax error in function mode, like the runner


def test_lenient_by_default_strict_on_request() -> None:
    survey = {"elements": [{"type": "text", "name": "a", "visibleIf": "{a} ="}]}
    rc, out, _ = cli(json.dumps([{"survey": survey}]))
    assert rc == 0
    # survey-core loads it anyway (the condition never runs): so do we, and we say why
    assert out[0]["visibleQuestions"] == ["a"]
    assert out[0]["definitionProblems"][0]["code"] == "expression_syntax"
    rc, out, _ = cli(json.dumps([{"survey": survey}]), "--strict")
    assert rc == 0
    problem = out[0]["error"]["problems"][0]
    assert problem["path"] == "[0].survey.elements[0].visibleIf"
    assert problem["position"] == 5


def test_input_file_argument(tmp_path: Path) -> None:
    f = tmp_path / "case.json"
    f.write_text(json.dumps({"expression": "'a' + 'b'"}), encoding="utf-8")
    rc, out, _ = cli("", str(f))
    assert rc == 0 and out["result"] == "ab"


def test_in_process_equivalents() -> None:
    case = {"survey": SURVEY, "answers": [["n", "1"]]}
    assert run_case(case)["values"] == {"double": 2, "n": 1}
    assert [o["values"] for o in run_input([case, case])] == [{"double": 2, "n": 1}] * 2


@pytest.mark.parametrize(
    "case",
    [
        {"survey": SURVEY, "actions": [{"do": "nope"}]},
        {"survey": SURVEY, "actions": [{"do": "addRow", "name": "n"}]},
    ],
)
def test_runtime_exceptions_become_exception_keys(case: dict[str, Any]) -> None:
    out = run_case(case)
    assert "exception" in out
