"""Every page of the demo network, in every language: no English string left.

The demo content is seeded, the pages reachable by links are crawled (as an
administrator, who reaches the most, as a member and as a visitor), then each page
is rendered in Arabic, Chinese, French, Russian and Spanish and searched for the
English of any catalogue entry that was translated differently.
"""

import pytest

from pen.admin import demo
from pen.i18n import LANGUAGES
from tests.conftest import login
from tests.i18n.pages import EnglishFinder, crawl, parse

TRANSLATED = sorted(code for code in LANGUAGES if code != "en")
DEMO_PASSWORD = "pen-demo-2011"
VISITOR_PAGES = ["/auth/login", "/auth/reset", "/auth/reset/not-a-token", "/invite/renew",
                 "/invite/not-a-token", "/no-such-page"]


@pytest.fixture
def demo_network(app):
    """The demo content every area seeds, with its accounts."""
    demo.seed()
    return app


def _signed_in(app, email: str):
    client = app.test_client()
    assert login(client, email, DEMO_PASSWORD).status_code == 302
    return client


def _leaks_in(client, urls: list[str], finder: EnglishFinder) -> dict[str, set[str]]:
    found = {}
    for url in urls:
        response = client.get(url)
        leaks = finder.leaks(parse(response.get_data(as_text=True)).texts)
        if leaks:
            found[url] = leaks
    return found


def test_every_page_is_written_in_the_members_language(demo_network):
    """The member's choice (kept on their profile) translates every page they reach."""
    clients = {email: _signed_in(demo_network, email)
               for email in ("admin@pen.example", "member@pen.example")}
    pages = {email: crawl(client, demo_network, ["/"]) for email, client in clients.items()}
    assert len(pages["admin@pen.example"]) > 60  # the crawl reached the whole platform
    failures = {}
    for code in TRANSLATED:
        finder = EnglishFinder(code)
        for email, client in clients.items():
            client.post("/members/language", data={"locale": code, "next": "/"})
            failures |= {(code, email, url): leaks
                         for url, leaks in _leaks_in(client, pages[email], finder).items()}
    _report(failures)
    assert failures == {}


@pytest.mark.parametrize("code", TRANSLATED)
def test_visitors_read_the_pages_in_their_browsers_language(demo_network, code):
    client = demo_network.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = f"{code},en;q=0.5"
    finder = EnglishFinder(code)
    assert _leaks_in(client, VISITOR_PAGES, finder) == {}
    assert f'lang="{code}"' in client.get("/auth/login").get_data(as_text=True)


def _report(failures: dict) -> None:
    """Print each English string left once, with the pages it was found on (for the log)."""
    where: dict[str, list] = {}
    for (code, email, url), leaks in failures.items():
        for leak in leaks:
            where.setdefault(leak, []).append(f"{code} {email} {url}")
    for leak, places in sorted(where.items()):
        print(f"{leak!r}: {len(places)} pages, e.g. {places[0]}")


def test_the_finder_sees_english_left_in_a_page():
    """The check above can fail: an English label, or a sentence inside a text, is found."""
    finder = EnglishFinder("fr")
    page = parse('<html lang="fr"><body><button>Sign in</button><p>Voir : Nothing new. '
                 'Mark all as read</p><p dir="auto">Sign in</p><span lang="en">English</span>'
                 "</body></html>")
    assert finder.leaks(page.texts) == {"Sign in", "Mark all as read"}
