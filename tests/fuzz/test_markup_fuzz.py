"""The Markdown sanitiser under arbitrary text: it never raises and never lets script through.

Text is drawn two ways: any Unicode at all, and "hostile soup" — HTML, Markdown
syntax, URL schemes, entities and whitespace in random order — which reaches the
interesting paths far more often than random characters do.
"""

import html5lib
from hypothesis import given
from hypothesis import strategies as st

from pen import markup
from tests.security.xss_check import local, problems_in
from tests.security.xss_vectors import VECTORS

FRAGMENTS = [
    "<", ">", "</", "/>", "=", "\"", "'", "`", " ", "\t", "\n", "\n\n", "\r", "\x00", "\x0b",
    "script", "img", "svg", "math", "a", "iframe", "style", "div", "p", "code", "pre",
    " src=", " href=", " onerror=", " onload=", " style=", " xlink:href=", " srcdoc=",
    "javascript:", "jav&#x09;ascript:", "&#106;avascript:", "java\tscript:", "vbscript:",
    "data:text/html,", "JaVaScRiPt:", "&colon;", "&#58;", "&#x3a;", "&lt;", "&gt;", "&amp;",
    "alert(1)", "expression(", "url(", "[", "]", "(", ")", "![", "](", "<http://", "<javascript:",
    "```", "`", "*", "_", "#", "> ", "- ", "1. ", "|", "---", "{:", "}", "[^1]", "*[",
    "https://example.org/", "www.example.org", "mailto:", "@Member", "-->", "<!--", "<![CDATA[",
]
SOUP = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)
TEXT = st.one_of(st.text(max_size=400), SOUP, st.sampled_from(VECTORS),
                 st.tuples(st.sampled_from(VECTORS), SOUP).map("".join))


def tags_of(html: str) -> set[str]:
    """Every element name in ``html`` as a browser would build it (the fragment's own)."""
    root = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    return {local(el.tag) for el in root.iter() if isinstance(el.tag, str)} - {"document_fragment"}


@given(TEXT)
def test_render_never_raises_and_nothing_runs(text):
    html = markup.render(text)
    assert isinstance(html, str)
    assert problems_in(html) == []


@given(TEXT)
def test_only_allowed_elements_come_out(text):
    html = markup.render(text)
    assert tags_of(html) <= markup.ALLOWED_TAGS


@given(TEXT)
def test_the_output_is_a_fixed_point_of_the_cleaner(text):
    """Cleaning what render stored changes nothing: the stored HTML needs no second pass,
    and what the database keeps is what a page prints."""
    html = markup.render(text)
    assert markup._cleaner.clean(html) == html


@given(TEXT)
def test_stored_html_never_escapes_its_container(text):
    """The stored HTML closes what it opens: printed inside a <div>, nothing it contains
    ends up after that div (a member's text cannot close the page's own elements)."""
    page = f"<div id=post>{markup.render(text)}</div><p id=after>after</p>"
    root = html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False)
    after = next(el for el in root.iter() if el.get("id") == "after")
    assert after.text == "after"
    assert sum(1 for el in root.iter() if el.get("id") == "post") == 1
