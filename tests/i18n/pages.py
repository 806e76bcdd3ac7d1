"""Crawling the demo network and finding English catalogue strings left in a page."""

import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from babel.messages.pofile import read_po
from werkzeug.exceptions import HTTPException

TRANSLATIONS = Path(__file__).resolve().parents[2] / "pen" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")
SKIPPED_PATHS = re.compile(r"/download|\.ics$|/export|\.csv|/feed|/photo|/preview/")
VISIBLE_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class TextParser(HTMLParser):
    """The words a reader sees (or hears): text nodes and labelling attributes."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0
        self._page_lang = None
        self._foreign: list[str] = []  # open elements marked as written in another language

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "html":
            self._page_lang = values.get("lang")
        elif (self._foreign and tag == self._foreign[-1]) or (
                (_other_language(values, self._page_lang) or _member_input(tag))
                and tag not in VOID):
            self._foreign.append(tag)
        if tag in ("script", "style"):
            self._hidden += 1
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        self.texts += [" ".join(v.split()) for k, v in attrs if k in VISIBLE_ATTRIBUTES and v]
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.texts.append(values["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1
        if self._foreign and tag == self._foreign[-1]:
            self._foreign.pop()

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self._hidden and not self._foreign:
            self.texts.append(text)


def _other_language(attributes: dict, page_lang: str | None) -> bool:
    """Text marked as another language ("English" in the switcher) or as member text,
    whose language is the writer's (``dir="auto"``: posts, bios, descriptions)."""
    lang = attributes.get("lang")
    return bool(lang and lang != page_lang) or attributes.get("dir") == "auto"


def _member_input(tag: str) -> bool:
    """A text area holds what a member typed (or will edit), not the interface's words."""
    return tag == "textarea"


def parse(html: str) -> TextParser:
    """Texts and links of a page."""
    parser = TextParser()
    parser.feed(html)
    return parser


class EnglishFinder:
    """The English strings of one language's catalogue that were translated differently:
    seeing one of them in a page of that language means a string escaped translation."""

    def __init__(self, code: str):
        with open(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", "rb") as handle:
            catalogue = read_po(handle, locale=code)
        self.whole: set[str] = set()  # a text node that is exactly the English
        self.parts: set[str] = set()  # a phrase of three words or more, anywhere
        for message in catalogue:
            english = message.id if isinstance(message.id, str) else message.id[0]
            string = message.string if isinstance(message.string, str) else message.string[0]
            if english and string and string != english and re.search("[A-Za-z]{2}", english):
                self._add(" ".join(english.split()))

    def _add(self, english: str) -> None:
        pieces = [p.strip(" .,:;()—") for p in PLACEHOLDER.split(english)]
        if len(pieces) == 1:
            self.whole.add(english)
        self.parts.update(p for p in pieces if len(p.split()) >= 3)

    def leaks(self, texts: list[str]) -> set[str]:
        """The English strings found in these texts."""
        found = {t for t in texts if t in self.whole}
        joined = "\n".join(texts)
        return found | {part for part in self.parts if part in joined}


def crawl(client, app, starts: list[str], per_endpoint: int = 2, limit: int = 400) -> list[str]:
    """Same-site HTML pages reachable from ``starts`` by links, a few per endpoint."""
    adapter = app.url_map.bind("pen.test")
    seen, taken, pages, queue = set(), {}, [], deque(starts)
    while queue and len(pages) < limit:
        url = queue.popleft()
        endpoint = _endpoint(adapter, url)
        if url in seen or endpoint is None or taken.get(endpoint, 0) >= per_endpoint:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        taken[endpoint] = taken.get(endpoint, 0) + 1
        pages.append(url)
        queue.extend(_same_site(parse(response.get_data(as_text=True)).links))
    return pages


def _endpoint(adapter, url: str) -> str | None:
    try:
        return adapter.match(urlsplit(url).path, method="GET")[0]
    except HTTPException:
        return None


def _same_site(links: list[str]) -> list[str]:
    """Paths on this site worth rendering (not files, feeds or exports)."""
    keep = []
    for link in links:
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if not SKIPPED_PATHS.search(parts.path):
            keep.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return keep
