"""CSV cells that spreadsheet programs open as text, never as formulas.

Every CSV export goes through ``safe_cell``: a member's name or a note that
starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or a carriage return, which
some programs skip before looking) would otherwise run as a formula on the
administrator's machine (CSV injection).
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """``value`` as text, prefixed with an apostrophe when it would start a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
