"""Charts: drawn without pyplot, the same file for the same figures, and nothing drawn for a
value the rule hides."""

from __future__ import annotations

from reports import charts


def _panel(values: list[float | None]) -> charts.Panel:
    return charts.Panel("Spørsmål", [charts.Series("Enhet", values, gid="unit-q"), charts.Series("Org", [50.0] * len(values), dashed=True, gid="org-q")])


def test_the_same_figures_give_the_same_file() -> None:
    a = charts.svg(charts.small_multiples([_panel([40.0, 60.0])], ["2024", "2025"]))
    b = charts.svg(charts.small_multiples([_panel([40.0, 60.0])], ["2024", "2025"]))
    assert a == b and "<svg" in a
    assert charts.png(charts.small_multiples([_panel([40.0, 60.0])], ["2024", "2025"])) == charts.png(
        charts.small_multiples([_panel([40.0, 60.0])], ["2024", "2025"]))


def test_hidden_values_are_not_drawn_and_an_empty_panel_says_so() -> None:
    shown = charts.svg(charts.small_multiples([_panel([None, 61.5])], ["2024", "2025"], empty_text="Ingen tall"))
    assert 'id="unit-q"' in shown and ">62<" in shown
    empty = charts.svg(charts.small_multiples([charts.Panel("Spørsmål", [charts.Series("Enhet", [None, None], gid="unit-q")])],
                                              ["2024", "2025"], empty_text="Ingen tall kan vises"))  # fmt: skip
    assert 'id="unit-q"' not in empty and "Ingen tall kan vises" in empty


def test_no_pyplot_state_is_used() -> None:
    import inspect

    code = inspect.getsource(charts).split('"""', 2)[2]
    assert "pyplot" not in code and "plt." not in code
    assert charts.svg(charts.line_chart(["1", "2"], [charts.Series("H2", [1.0, 2.0])])).startswith("<?xml")
