"""CSV exports: cells that would run as spreadsheet formulas are opened as text."""

import pytest

from pen.spreadsheet import safe_cell


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)",
                                  "\t=1", "\r=1"])
def test_formula_starts_are_defused(cell):
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell, text", [("Ouédraogo", "Ouédraogo"), ("a=b", "a=b"),
                                        (None, ""), (42, "42"), ("", "")])
def test_ordinary_cells_are_left_alone(cell, text):
    assert safe_cell(cell) == text
