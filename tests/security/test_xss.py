"""XSS: the cheat sheet's vectors through every field, then every page that shows them.

Each test writes the whole corpus (``xss_vectors.VECTORS``) through one area and
GETs each page where the text appears, as the people who see it; a page passes
when, parsed as a browser parses it, it holds nothing that runs (see ``xss_check``).
"""

import html as entities
import re
from urllib.parse import quote
from xml.etree import ElementTree as ET

import pytest
import vobject
from icalendar import Calendar

from pen.events.models import Event
from pen.extensions import db
from tests.conftest import login

from .xss_check import assert_no_script, problems_in
from .xss_vectors import VECTORS
from .xss_world import (
    MARKER,
    award_world,
    event_world,
    forum_world,
    group_world,
    library_world,
    member_world,
    storable,
)

MAX_LIST_PAGES = 40
# Files the pages link to: downloads whose names came from the member.
DOWNLOAD_LINK = re.compile(r'(?:href|src)="(/(?:forums/attachments/|library/\d+/(?:versions/\d+/)?'
                           r'download|awards/n/\d+/documents/)[^"]*)"')
ATOM = "{http://www.w3.org/2005/Atom}"


class Visitor:
    """Signed-in clients by user; visits pages (following ?page=N) and collects problems."""

    def __init__(self, app):
        self.app, self.clients, self.problems, self.visited = app, {}, [], 0
        self.downloads: dict[str, object] = {}  # link -> the user who saw it

    def client(self, user):
        if user.id not in self.clients:
            client = self.app.test_client()
            assert login(client, user.email).status_code == 302
            self.clients[user.id] = client
        return self.clients[user.id]

    def visit(self, user, path: str, follow_pages: bool = True) -> str:
        """GET ``path`` as ``user``; its later pages too when it is paginated."""
        response = self.client(user).get(path)
        self.visited += 1
        where = f"{path} as {user.email}"
        if response.status_code != 200:
            self.problems.append(f"{where}: status {response.status_code}")
            return ""
        html = response.get_data(as_text=True)
        if "html" in response.content_type or "xml" in response.content_type:
            self.problems += [f"{where}: {p}" for p in problems_in(html)]
        for link in DOWNLOAD_LINK.findall(html):
            self.downloads.setdefault(entities.unescape(link), user)
        if follow_pages:
            self._follow(user, path, html)
        return html

    def _follow(self, user, path: str, html: str) -> None:
        joiner = "&" if "?" in path else "?"
        for number in range(2, MAX_LIST_PAGES):
            if f"page={number}" not in html:
                return
            html = self.visit(user, f"{path}{joiner}page={number}", follow_pages=False)

    def visit_all(self, pages) -> None:
        for user, path in dict.fromkeys(pages):
            self.visit(user, path)

    def fetch_downloads(self) -> int:
        """GET every file linked from the pages seen: served as a file, never as a page."""
        for link, user in self.downloads.items():
            response = self.client(user).get(link)
            where = f"{link} as {user.email}"
            if response.status_code != 200:
                self.problems.append(f"{where}: status {response.status_code}")
            elif response.mimetype in ("text/html", "image/svg+xml", "text/xml"):
                self.problems.append(f"{where}: served as {response.mimetype}")
            elif response.headers.get("X-Content-Type-Options") != "nosniff":
                self.problems.append(f"{where}: sniffable")
        return len(self.downloads)

    def assert_clean(self) -> None:
        assert not self.problems, (f"{len(self.problems)} problems in {self.visited} pages:\n"
                                   + "\n".join(self.problems[:60]))


@pytest.fixture
def visitor(app):
    return Visitor(app)


@pytest.fixture
def people(make_user):
    """An administrator, a moderator-less member pair, a committee member."""
    return {
        "admin": make_user(email="admin@example.org", name="Amina Diallo", roles=("admin",)),
        "author": make_user(email="ana@example.org", name="Ana González"),
        "replier": make_user(email="kofi@example.org", name="Kofi Mensah"),
        "reviewer": make_user(email="ingrid@example.org", name="Ingrid Larsen",
                              roles=("committee",)),
        "conflicted": make_user(email="hans@example.org", name="Hans Keller",
                                roles=("committee",)),
    }


def test_the_corpus_is_large_and_every_vector_is_distinct():
    assert len(VECTORS) >= 150
    assert len(set(VECTORS)) == len(VECTORS)


def test_forum_titles_posts_edits_attachments_feeds_and_notifications(people, visitor, indexed):
    pages = forum_world(VECTORS, people["author"], people["replier"])
    indexed()
    visitor.visit_all([*pages, (people["author"], f"/forums/search?q={MARKER}"),
                       (people["author"], f"/search?q={MARKER}")])
    assert visitor.fetch_downloads() >= len(VECTORS)
    visitor.assert_clean()
    feed_path = next(path for _, path in pages if path.endswith("feed.atom"))
    feed = ET.fromstring(visitor.client(people["author"]).get(feed_path).data)  # noqa: S314
    for content in feed.iter(f"{ATOM}content"):  # what a feed reader renders as HTML
        assert content.get("type") != "html" or not problems_in(content.text or ""), content.text


def test_profiles_names_bios_and_expertise_vocabulary(people, make_user, visitor, indexed):
    pages = member_world(VECTORS, people["admin"], make_user)
    indexed()
    visitor.visit_all([*pages, (people["admin"], f"/members/?q={MARKER}")])
    visitor.assert_clean()
    for user_id in {int(m) for _, path in pages for m in re.findall(r"^/members/(\d+)$", path)}:
        card = vobject.readOne(visitor.client(people["admin"]).get(
            f"/members/{user_id}.vcf").get_data(as_text=True))  # one card: nothing injected
        assert card.fn.value.strip()


def test_library_metadata_file_names_and_version_notes(people, visitor, indexed):
    pages = library_world(VECTORS, people["author"], people["admin"])
    indexed()
    visitor.visit_all([*pages, (people["author"], f"/library/?q={MARKER}"),
                       (people["author"], f"/search?q={MARKER}")])
    assert visitor.fetch_downloads() >= len(VECTORS)
    visitor.assert_clean()


def test_groups_work_plans_meetings_and_the_calendar(people, visitor):
    pages = group_world(VECTORS, people["admin"], people["author"])
    visitor.visit_all(pages)
    visitor.assert_clean()
    for slug in {path.split("/")[2] for _, path in pages if path.count("/") == 2
                 and path.startswith("/groups/xss-")}:
        ics = visitor.client(people["author"]).get(f"/events/groups/{slug}.ics")
        assert ics.status_code == 200, slug
        assert len(Calendar.from_ical(ics.data).walk("VEVENT")) == 1  # nothing injected


def test_events_pages_and_calendar_feeds(people, visitor):
    pages = event_world(VECTORS, people["admin"], people["author"])
    visitor.visit_all(pages)
    visitor.assert_clean()
    for event in db.session.scalars(db.select(Event)):
        ics = visitor.client(people["author"]).get(f"/events/{event.id}.ics")
        assert ics.status_code == 200 and ics.mimetype == "text/calendar"
        assert ics.headers["X-Content-Type-Options"] == "nosniff"
        events = Calendar.from_ical(ics.data).walk("VEVENT")  # no property or event injected
        title = event.title.replace("\r\n", "\n").replace("\r", "\n")  # folded as lines
        assert [str(e["SUMMARY"]) for e in events] == [title] * len(event.sessions)


def test_award_nominations_reviews_and_discussion(people, visitor):
    nominator = people["author"]
    pages = award_world(VECTORS, people["admin"], nominator, people["reviewer"],
                        people["conflicted"])
    visitor.visit_all(pages)
    assert visitor.fetch_downloads() >= len(VECTORS)
    visitor.assert_clean()


@pytest.mark.parametrize("path", ["/forums/search?q=", "/library/?q=", "/members/?q=",
                                  "/search?q=", "/groups/?q=", "/events/list?q="])
def test_search_queries_are_echoed_inert(people, visitor, path):
    """Every vector as a query: the box, "did you mean", messages and links show it as text."""
    admin = people["admin"]
    for vector in VECTORS:
        visitor.visit(admin, path + quote(storable(vector), safe=""), follow_pages=False)
    visitor.assert_clean()


@pytest.mark.parametrize("path", ["/forums/search?q=a%00b", "/members/?country=%00",
                                  "/groups/a%00b", "/library/?q=%00"])
def test_a_nul_byte_is_refused_not_a_crash(people, visitor, path):
    """No column can store a NUL (PostgreSQL refuses it): 400, before any query runs."""
    assert visitor.client(people["author"]).get(path).status_code == 400


def test_a_nul_byte_in_a_form_is_refused(people, visitor):
    client = visitor.client(people["author"])
    response = client.post("/groups/new", data={"name": "a\x00b", "slug": "ab"})
    assert response.status_code == 400


def test_the_checker_sees_what_runs():
    """The page check itself: each family is caught when it reaches a page unescaped."""
    for html in ("<img src=x onerror=alert(1)>", "<a href='jav&#x09;ascript:alert(1)'>x</a>",
                 "<svg><script>alert(1)</script></svg>", "<iframe srcdoc='x'></iframe>",
                 "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
                 "<div style='width:expression(alert(1))'>", "<base href='//evil'>"):
        with pytest.raises(AssertionError):
            assert_no_script(html, "sample")
