"""User text to HTML: Markdown, then a bleach allowlist. The one place it happens.

Call ``render`` on write and store its result beside the source; templates print
the stored HTML and nothing else is ever marked safe.
"""

import re
from functools import partial
from html import unescape

import bleach
import markdown
from bleach.html5lib_shim import Filter
from bleach.linkifier import DEFAULT_CALLBACKS
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "dl", "dt", "dd", "span",
})
# A fenced block's language is the only class a member may set: any other would let
# them dress their text in the site's own CSS (a full-page overlay, a fake dialog).
_CODE_LANGUAGE = re.compile(r"language-[\w+#.-]{1,40}")
_ALIGNMENTS = frozenset({"left", "right", "center"})


def _cell_attribute(tag: str, name: str, value: str) -> bool:
    return name == "align" and value in _ALIGNMENTS


def _code_attribute(tag: str, name: str, value: str) -> bool:
    return name == "class" and _CODE_LANGUAGE.fullmatch(value) is not None


ALLOWED_ATTRIBUTES = {
    "a": ["href", "title"],
    "abbr": ["title"],
    "img": ["src", "alt", "title"],
    "td": _cell_attribute,
    "th": _cell_attribute,
    "code": _code_attribute,
}
# No javascript:, data:, vbscript: or anything else that runs or embeds.
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
MARKDOWN_EXTENSIONS = ["extra", "sane_lists", "smarty"]
# Table alignment as align="…": the style="text-align…" Markdown writes by default is
# (rightly) not allowed through, and the alignment would be lost with it.
MARKDOWN_CONFIG = {"extra": {"tables": {"use_align_attribute": True}}}


def _add_rel(attrs, new=False):
    """Every link the member wrote gets rel="nofollow noopener"."""
    if (None, "href") in attrs:
        attrs[(None, "rel")] = "nofollow noopener"
    return attrs


# Set on every image after sanitising (a member cannot choose them): images load when
# scrolled to and decode off the main thread, so a long thread stays light on slow links.
IMAGE_ATTRIBUTES = {(None, "loading"): "lazy", (None, "decoding"): "async"}


class LazyImages(Filter):
    """Every ``<img>`` the sanitiser let through gets ``IMAGE_ATTRIBUTES``."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "img":
                token["data"] = {**token["data"], **IMAGE_ATTRIBUTES}
            yield token


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(bleach.linkifier.LinkifyFilter, callbacks=[*DEFAULT_CALLBACKS, _add_rel],
                     skip_tags={"pre", "code"}), LazyImages],
)


def render(text: str | None) -> str:
    """Markdown source to sanitised HTML, ready to be stored."""
    if not text:
        return ""
    html = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS,
                             extension_configs=MARKDOWN_CONFIG, output_format="html")
    return _cleaner.clean(html)


def stored(html: str | None) -> Markup:
    """Mark HTML that ``render`` produced (and the database kept) as safe to print."""
    return Markup(html or "")  # noqa: S704 - only ever HTML that render() sanitised


def plain_text(text: str | None) -> str:
    """Markdown source as the words a reader sees, without markup (for excerpts): the
    text is rendered, every tag dropped and the entities read back."""
    if not text:
        return ""
    html = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS,
                             extension_configs=MARKDOWN_CONFIG, output_format="html")
    return unescape(bleach.clean(html, tags=set(), strip=True, strip_comments=True))
