"""The ``next`` check (``pen.auth.access.safe_next``): no input sends a member off the site.

What it returns is resolved the way a browser resolves a Location header (tabs and
newlines removed, backslashes read as slashes, leading controls and spaces stripped)
against a page of the site; the result must stay on the site, over HTTP(S).
"""

import re
from urllib.parse import quote, urljoin, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pen.auth.access import safe_next
from tests.conftest import login

SITE = "https://pen.test/forums/t/1"
PIECES = ["/", "//", "\\", "/\\", "\\\\", "%2f", "%2F", "%5c", "%09", "%0a", "%00", "\t", "\n",
          "\r", " ", "\x00", "\x0c", "\u3000", "\uff0f", "\u2215", "\u2044", "\ufe68", "\u200b",
          "\u00a0", "\u2028", "。", ":", "@", "?", "#", ".", "..", "evil.example", "pen.test",
          "http:", "https:", "javascript:", "JaVaScRiPt:", "data:text/html,", "vbscript:",
          "alert(1)", "&colon;", "//evil.example/", "/forums", "?next=//evil"]
TARGETS = st.one_of(st.text(max_size=60),
                    st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
                    st.lists(st.sampled_from(PIECES), max_size=6).map(lambda p: "/" + "".join(p)))
KNOWN_BAD = ["//evil.example", "/\\evil.example", "\\\\evil.example", "\\/evil.example",
             "/\t/evil.example", "/\n/evil.example", " //evil.example", "\t//evil.example",
             "https://evil.example", "http:evil.example", "https:/evil.example",
             "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
             "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>",
             "//evil.example/%2f..", "/%5c/evil.example".replace("%5c", "\\"),
             "\x00//evil.example", "/\x00/evil.example", "evil.example", "", None]


def as_browser_reads(location: str) -> str:
    """The Location value after a browser's URL parser clean-up (WHATWG URL, special schemes)."""
    location = re.sub(r"[\t\n\r]", "", location).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08"
                                                         "\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14"
                                                         "\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d"
                                                         "\x1e\x1f ")
    return location.replace("\\", "/")


def stays_on_site(location: str) -> bool:
    """Whether a browser on ``SITE`` following ``location`` stays on pen.test over HTTP(S)."""
    resolved = urlsplit(urljoin(SITE, as_browser_reads(location)))
    return resolved.scheme == "https" and resolved.netloc == "pen.test"


@given(TARGETS)
def test_whatever_is_returned_stays_on_the_site(target):
    found = safe_next(target)
    if found is None:
        return
    assert found.startswith("/") and not found.startswith("//")
    assert "\\" not in found and not any(ord(c) < 0x21 or ord(c) == 0x7F for c in found)
    assert stays_on_site(found), found


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_paths_on_the_site_are_kept(tail):
    """A plain path of this site comes back as it was (no good address is lost)."""
    path = "/forums/" + quote(tail, safe="")
    assert safe_next(path) == path


@pytest.mark.parametrize("target", KNOWN_BAD)
def test_known_open_redirects_are_refused(target):
    assert safe_next(target) is None


def test_login_never_redirects_off_site(client, member):
    """Through the real login form: the answer's Location stays on the site."""
    for target in ["//evil.example", "/\\evil.example", "/\t/evil.example",
                   "https://evil.example", "javascript:alert(1)", "/forums/"]:
        response = login(client, member.email, next=target)
        assert response.status_code == 302
        assert stays_on_site(response.headers["Location"]), response.headers["Location"]
        client.post("/auth/logout")
