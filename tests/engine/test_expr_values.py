"""The JavaScript value model (surveys.engine.values)."""

from __future__ import annotations

import math
import pickle
from datetime import UTC, datetime

import pytest

from surveys.engine.values import (
    NAN,
    UNDEFINED,
    JSDate,
    JSError,
    ValuesDict,
    count_decimals,
    get_number,
    is_empty,
    js_add,
    js_less_than,
    js_parse_float,
    js_parse_int,
    js_pow,
    js_truthy,
    loose_true,
    number_to_string,
    string_to_number,
    sum_any_values,
    to_fixed,
    to_js_string,
    to_json,
    to_number,
    values_equal,
)


def test_undefined_is_a_falsy_singleton() -> None:
    assert not UNDEFINED
    assert UNDEFINED is type(UNDEFINED)()
    assert repr(UNDEFINED) == "UNDEFINED"
    assert pickle.loads(pickle.dumps(UNDEFINED)) is UNDEFINED  # noqa: S301 - our own bytes


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.1 + 0.2, "0.30000000000000004"),
        (1e21, "1e+21"),
        (1e-7, "1e-7"),
        (1.5e-7, "1.5e-7"),
        (123456789012345680000.0, "123456789012345680000"),
        (0.000001, "0.000001"),
        (-0.0, "0"),
        (5, "5"),
        (5.0, "5"),
        (NAN, "NaN"),
        (math.inf, "Infinity"),
        (-math.inf, "-Infinity"),
        (2**60, "1152921504606847000"),  # JS prints 17 significant digits
    ],
)
def test_number_to_string_is_javascripts(value: float, text: str) -> None:
    assert number_to_string(value) == text


@pytest.mark.parametrize(
    ("text", "number"),
    [("", 0), ("  12  ", 12), ("0x10", 16), ("1e3", 1000), ("1,5", NAN), ("12abc", NAN),
     ("Infinity", math.inf), ("-0", -0.0), (".5", 0.5), ("5.", 5), ("0b101", 5), ("+7", 7)],
)
def test_string_to_number_is_number_of_string(text: str, number: float) -> None:
    got = string_to_number(text)
    if number != number:
        assert got != got
    else:
        assert got == number


def test_to_number_of_other_values() -> None:
    assert to_number(None) == 0
    assert to_number(True) == 1
    assert to_number(UNDEFINED) != to_number(UNDEFINED)
    assert to_number([5]) == 5
    assert to_number([]) == 0
    assert math.isnan(to_number([1, 2]))
    assert math.isnan(to_number({}))
    with pytest.raises(JSError):
        to_number({"toString": 1})


def test_parse_float_and_int_read_prefixes() -> None:
    assert js_parse_float("12.5kg") == 12.5
    assert math.isnan(js_parse_float("kg"))
    assert js_parse_int("0x1g") == 1
    assert js_parse_int(" 42px") == 42
    assert js_parse_int(1e21) == 1  # String(1e21) is "1e+21"


@pytest.mark.parametrize(
    ("value", "number"),
    [("1,5", 1.5), ("0x10", 16), (" 7 ", 7), ("1234567890123456", NAN), ("2*3", NAN), ("5-3", NAN),
     ("-5", -5), ("1,000,000", NAN), ([5], 5), (True, NAN), ("", NAN), ("1e3", 1000)],
)
def test_get_number_is_survey_cores(value: object, number: float) -> None:
    got = get_number(value)
    assert (got != got) if number != number else got == number


def test_to_js_string() -> None:
    assert to_js_string([1, None, [2, 3]]) == "1,,2,3"
    assert to_js_string({"a": 1}) == "[object Object]"
    assert to_js_string(UNDEFINED) == "undefined"
    assert to_js_string(False) == "false"


def test_truthiness() -> None:
    assert js_truthy([]) and js_truthy({}) and js_truthy("0")
    assert not any(js_truthy(v) for v in (0, 0.0, NAN, "", None, UNDEFINED, False))


def test_condition_truthiness_is_equal_to_true() -> None:
    assert loose_true(1) and loose_true("1") and loose_true(True) and loose_true([1])
    assert not loose_true(2) and not loose_true("true") and not loose_true("yes")


@pytest.mark.parametrize(
    ("x", "y", "equal"),
    [
        ("1", 1, True), ("007", 7, True), ("JA", " ja ", True), ("ØST", "øst", True),
        (None, "", True), (UNDEFINED, "", True), (UNDEFINED, [], True), (None, 0, False),
        (UNDEFINED, False, False), (True, "true", True), (True, "True", True), (True, " true", False),
        ([1, 2], [2, 1], True), ({"a": [1, 2]}, {"a": [2, 1]}, True), ({"a": 1}, {"a": 1, "b": 2}, False),
        (True, 1, True), ("1,5", 1.5, False), (NAN, NAN, False), ("", 0, False),
    ],
)
def test_values_equal(x: object, y: object, equal: bool) -> None:
    assert values_equal(x, y) is equal
    assert values_equal(y, x) is equal


def test_arrays_keep_order_when_asked() -> None:
    assert not values_equal([1, 2], [2, 1], ignore_order=False)


@pytest.mark.parametrize(
    ("value", "empty"),
    [(None, True), (UNDEFINED, True), ("", True), ([], True), ({}, True), ({"a": "", "b": None}, True),
     (0, False), (False, False), (" ", False), ({"a": 0}, False), (NAN, True)],
)
def test_is_empty(value: object, empty: bool) -> None:
    assert is_empty(value) is empty


def test_js_add_and_less_than() -> None:
    assert js_add("a", 1) == "a1"
    assert js_add(1, None) == 1
    assert math.isnan(js_add(1, UNDEFINED))
    assert js_add([5], 1) == "51"
    assert js_less_than("10", "9")  # string comparison
    assert not js_less_than("10", 9)
    assert js_less_than(True, 2)


def test_survey_core_arithmetic_rounding() -> None:
    assert sum_any_values(0.1, 0.2) == 0.3
    assert sum_any_values("1", 2) == "12"
    assert sum_any_values([1, 2], 3) == 6
    assert sum_any_values([1, 2], "x") == "1, 2x"
    assert count_decimals(1.5e-7) == 4
    assert count_decimals("2.50") == 2
    assert to_fixed(1.005, 2) == "1.00"  # the double is 1.00499999...
    assert to_fixed(0.125, 2) == "0.13"  # exact ties go away from zero
    assert to_fixed(-0.0001, 2) == "-0.00"
    with pytest.raises(JSError):
        to_fixed("1.5", 1)


def test_pow_matches_v8_bit_for_bit() -> None:
    assert js_pow(7, 1.5) == 18.520259177452132  # C's pow gives ...136
    assert js_pow(1.1, 4) == 1.4641000000000006
    assert js_pow(2, 10) == 1024
    assert math.isnan(js_pow(1, math.inf))
    assert js_pow(NAN, 0) == 1
    assert js_pow(0, -1) == math.inf


def test_to_json_encodes_like_the_runner() -> None:
    assert to_json(UNDEFINED) == {"$undefined": True}
    assert to_json(NAN) == {"$number": "NaN"}
    assert to_json([math.inf, -math.inf]) == [{"$number": "Infinity"}, {"$number": "-Infinity"}]
    assert to_json(3.0) == 3 and type(to_json(3.0)) is int
    assert to_json(-0.0) == 0
    assert to_json(1.2345678901234567e19) == 12345678901234567000
    assert to_json({"b": 1, "a": UNDEFINED, "c": [UNDEFINED]}) == {"b": 1, "c": [{"$undefined": True}]}
    assert list(to_json({"b": 1, "a": 2})) == ["a", "b"]
    assert to_json(JSDate.from_value("2024-06-15T10:30:00Z")) == {"$date": "2024-06-15T10:30:00.000Z"}
    assert to_json(JSDate(NAN)) == {"$date": "Invalid Date"}


class TestJSDate:
    def test_date_only_iso_strings_are_utc(self) -> None:
        assert JSDate.from_value("2024-06-15", "Europe/Oslo").to_iso_string() == "2024-06-15T00:00:00.000Z"

    def test_date_time_strings_are_local(self) -> None:
        d = JSDate.from_value("2024-06-15T10:30", "Europe/Oslo")
        assert d.to_iso_string() == "2024-06-15T08:30:00.000Z"
        assert d.get_hours() == 10

    @pytest.mark.parametrize(
        ("text", "iso"),
        [
            ("2024/6/5", "2024-06-05T00:00:00.000Z"),
            ("06/15/2024", "2024-06-15T00:00:00.000Z"),
            ("June 15, 2024 10:00", "2024-06-15T10:00:00.000Z"),
            ("2024-02-30", "2024-03-01T00:00:00.000Z"),
            ("2024-06-15T24:00", "2024-06-16T00:00:00.000Z"),
            ("1,5", "2001-01-05T00:00:00.000Z"),
            ("15.06.2024", "Invalid Date"),
            ("2024-13-01", "Invalid Date"),
            ("Sat Jun 15 2024 00:00:00 GMT+0200 (CEST)", "2024-06-14T22:00:00.000Z"),
        ],
    )
    def test_v8_string_parsing(self, text: str, iso: str) -> None:
        assert JSDate.from_value(text).to_iso_string() == iso

    def test_month_overflow_like_javascript(self) -> None:
        d = JSDate.from_value("2024-01-31T00:00:00")
        d.set_month(1 + d.get_month())
        assert d.to_iso_string() == "2024-03-02T00:00:00.000Z"

    def test_dst_gap_uses_the_offset_before_the_transition(self) -> None:
        d = JSDate.from_value("2024-03-31T02:30", "Europe/Oslo")
        assert d.to_iso_string() == "2024-03-31T01:30:00.000Z"  # 03:30 CEST

    def test_to_string(self) -> None:
        d = JSDate.from_value("2024-06-15T00:00:00Z")
        assert d.to_string() == "Sat Jun 15 2024 00:00:00 GMT+0000 (Coordinated Universal Time)"
        assert JSDate(NAN).to_string() == "Invalid Date"

    def test_now(self) -> None:
        now = datetime(2025, 6, 15, 12, tzinfo=UTC)
        assert JSDate.now(now).to_iso_string() == "2025-06-15T12:00:00.000Z"
        assert JSDate.now(datetime(2025, 6, 15, 12)).to_iso_string() == "2025-06-15T12:00:00.000Z"

    def test_time_clip(self) -> None:
        assert not JSDate(8.64e15 + 1).is_valid
        assert JSDate(8.64e15).is_valid


def test_values_dict_finds_keys_case_insensitively() -> None:
    v = ValuesDict({"Alder": 1})
    assert v.find_key("alder") == "Alder"
    v["navn"] = "x"
    assert v.find_key("navn") == "navn"
    del v["Alder"]
    assert v.find_key("alder") is None
    v.update({"B": 2})
    assert v.find_key("b") == "B"
    clone = pickle.loads(pickle.dumps(v))  # noqa: S301 - our own bytes
    assert clone.find_key("b") == "B" and clone == v
