"""From what a member typed to a Whoosh query, never raising.

Supported: words (all must match), ``"phrases"``, prefixes (``transf*``),
``field:value`` on the kind's public fields, ``OR``, ``NOT``/``-word`` and
parentheses. Anything malformed is repaired and explained in a message the
page shows: an over-long query is shortened, an unclosed quote or bracket is
dropped, a wildcard without at least ``MIN_PREFIX`` letters before it (which
would scan the whole vocabulary) is ignored, and a query that still makes no
sense falls back to its plain words.
"""

import re
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from whoosh import qparser, query

from .adapters import Adapter
from .index import schema_for
from .schema import field_boosts, query_schema, text_field_names

MIN_PREFIX = 2
BINARY_OPERATORS = {"AND", "OR", "ANDNOT", "ANDMAYBE", "REQUIRE"}
OPERATORS = BINARY_OPERATORS | {"NOT"}
_WILDCARD_RUN = re.compile(r"(?<![\w*?])\w*[*?][\w*?]*")
_EMPTY_FIELD = re.compile(r"(?<!\S)[\w]+:(?=\s|$|[)])")
_LONE_SIGN = re.compile(r"(?<!\S)[-+]+(?=\s|$)")
_MINUS_WORD = re.compile(r"(?<!\S)-(?=[\w\"(])")
_PLUS_WORD = re.compile(r"(?<!\S)\+(?=[\w\"(])")
_WORD = re.compile(r"\w+")
# What members type for a field in their language; a plural field also answers to its
# singular ("author:" for "authors").
FIELD_ALIASES = {
    "title": ("titre", "titulo", "título", "заголовок", "название", "标题", "عنوان"),
    "authors": ("auteur", "auteurs", "autor", "autores", "автор", "авторы", "作者", "مؤلف",
                "المؤلف"),
}


@dataclass
class Parsed:
    """The query to run, and what the member should be told about their text."""

    query: query.Query | None
    text: str
    messages: list[str] = field(default_factory=list)


def parse(adapter: Adapter, text: str | None) -> Parsed:
    """Parse a member's query; ``query`` is None when there is nothing to search for.

    An empty query matches everything (a browsable list); a non-empty query
    that cannot be understood matches nothing and says so.
    """
    text = (text or "").strip()
    if not text:
        return Parsed(query.Every(), "")
    text, messages = sanitize(text)
    parsed = _parse_text(adapter, text) if text.strip() else None
    if parsed is None:
        return _fallback(adapter, text, messages)
    return Parsed(parsed, text, messages)


def sanitize(text: str) -> tuple[str, list[str]]:
    """Repair what the parser would misread; one message per repair."""
    messages = []
    text = _strip_controls(text)
    limit = int(current_app.config["SEARCH_MAX_QUERY_LENGTH"])
    if len(text) > limit:
        text = text[:limit]
        messages.append(_("Your search was shortened to its first %(n)d characters.", n=limit))
    for step in (_balance_quotes, _balance_brackets, _drop_bare_wildcards, _drop_empty_fields,
                 _drop_lone_signs, _drop_dangling_operators):
        text, message = step(text)
        if message:
            messages.append(message)
    text = _PLUS_WORD.sub("", _MINUS_WORD.sub("NOT ", text))
    return text.strip(), messages


def _strip_controls(text: str) -> str:
    """Whitespace-normalised text without control characters."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def _balance_quotes(text: str) -> tuple[str, str | None]:
    """Drop the last quotation mark when one is left open."""
    if text.count('"') % 2 == 0:
        return text, None
    at = text.rindex('"')
    return (text[:at] + " " + text[at + 1:],
            _("A quotation mark was not closed, so it was ignored."))


def _balance_brackets(text: str) -> tuple[str, str | None]:
    """Drop every bracket when they do not pair up."""
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            break
    if depth == 0:
        return text, None
    return (text.replace("(", " ").replace(")", " "),
            _("The brackets did not match, so they were ignored."))


def _drop_bare_wildcards(text: str) -> tuple[str, str | None]:
    """Remove wildcards with fewer than ``MIN_PREFIX`` letters before them."""
    dropped = []

    def check(match: re.Match) -> str:
        """Keep a wildcard word with a long enough start; blank it out otherwise."""
        word = match.group(0)
        literal = re.split(r"[*?]", word, maxsplit=1)[0]
        if len(literal) >= MIN_PREFIX:
            return word
        dropped.append(word)
        return " "

    text = _WILDCARD_RUN.sub(check, text)
    if not dropped:
        return text, None
    return text, _("A * or ? needs at least %(n)d letters before it; “%(words)s” was ignored.",
                   n=MIN_PREFIX, words=" ".join(dropped))


def _drop_empty_fields(text: str) -> tuple[str, str | None]:
    """Remove ``field:`` with nothing after it."""
    cleaned = _EMPTY_FIELD.sub(" ", text)
    if cleaned == text:
        return text, None
    return cleaned, _("A field name without a value after it was ignored.")


def _drop_lone_signs(text: str) -> tuple[str, str | None]:
    """Remove a ``-`` or ``+`` that stands alone."""
    cleaned = _LONE_SIGN.sub(" ", text)
    if cleaned == text:
        return text, None
    return cleaned, _("A lone - or + was ignored.")


def _drop_dangling_operators(text: str) -> tuple[str, str | None]:
    """Remove AND/OR/NOT lacking the word(s) they need on either side."""
    words = text.split()
    kept: list[str] = []
    for i, word in enumerate(words):
        after = words[i + 1] if i + 1 < len(words) else None
        if word in BINARY_OPERATORS:
            usable = bool(kept) and kept[-1] not in OPERATORS and after is not None \
                and after not in BINARY_OPERATORS
        elif word == "NOT":
            usable = after is not None and after not in OPERATORS
        else:
            usable = True
        if usable:
            kept.append(word)
    if len(kept) == len(words):
        return text, None
    return " ".join(kept), _("AND, OR and NOT need a word on each side; they were ignored.")


def _parse_text(adapter: Adapter, text: str) -> query.Query | None:
    """Run Whoosh's parser; None when nothing searchable comes out."""
    try:
        parsed = make_parser(adapter).parse(text)
        parsed = _restrict_wildcards(parsed).normalize()
    except Exception:
        current_app.logger.info("search query %r could not be parsed", text, exc_info=True)
        return None
    if parsed is query.NullQuery or isinstance(parsed, query.Every):
        return None
    return parsed


class QuotedPhrase(query.Phrase):
    """A phrase the member put in quotation marks: these words in this order, nothing
    else (no synonyms are added to it)."""


class _QuotedNode(qparser.PhrasePlugin.PhraseNode):
    """A quoted phrase of the query text, made into a ``QuotedPhrase``."""

    def query(self, parser):
        """The phrase query, marked as quoted."""
        found = super().query(parser)
        quoted = QuotedPhrase(found.fieldname, found.words, slop=found.slop, boost=found.boost,
                              char_ranges=found.char_ranges)
        quoted.startchar, quoted.endchar = found.startchar, found.endchar
        return quoted


class _QuotedTagger(qparser.PhrasePlugin.PhraseTagger):
    """Whoosh's phrase tagger, making ``_QuotedNode``s."""

    def create(self, parser, match):
        """The node of one quoted phrase."""
        node = super().create(parser, match)
        return _QuotedNode(node.text, node.textstartchar, node.slop)


class _QuotedPhrasePlugin(qparser.PhrasePlugin):
    """Quoted phrases, told apart from the phrases a single word makes (``PCB's``, 变压器)."""

    def taggers(self, parser):
        """The tagger of quoted phrases."""
        return [(_QuotedTagger(self.expr), 0)]


def make_parser(adapter: Adapter) -> qparser.QueryParser:
    """A parser over the kind's text fields: all words must match, no ranges or ``*:*``."""
    schema = schema_for(adapter)
    parser = qparser.MultifieldParser(text_field_names(adapter), query_schema(adapter, schema),
                                      fieldboosts=field_boosts(adapter), group=qparser.AndGroup)
    for plugin in (qparser.RangePlugin, qparser.EveryPlugin, qparser.SingleQuotePlugin,
                   qparser.BoostPlugin, qparser.PhrasePlugin):
        parser.remove_plugin_class(plugin)
    parser.add_plugin(_QuotedPhrasePlugin())
    parser.add_plugin(qparser.FieldAliasPlugin(field_aliases(adapter)))
    return parser


def field_aliases(adapter: Adapter) -> dict[str, list[str]]:
    """{field: the other names a member may give it} for the kind's public fields."""
    names = [*text_field_names(adapter), *adapter.keyword_fields]
    aliases: dict[str, list[str]] = {}
    for name in names:
        found = [a for a in FIELD_ALIASES.get(name, ()) if a not in names]
        if name.endswith("s") and name[:-1] not in names:
            found.insert(0, name[:-1])
        if found:
            aliases[name] = found
    return aliases


def _restrict_wildcards(q: query.Query) -> query.Query:
    """Prefixes, wildcards and phrases search the unstemmed fields only.

    A stem is no prefix, and the stemmed fields keep no word positions.
    """
    if isinstance(q, (query.Prefix, query.Wildcard, query.Phrase)):
        return query.NullQuery if "__" in q.fieldname else q
    if isinstance(q, query.Every):
        return query.NullQuery
    return q if q.is_leaf() else q.apply(_restrict_wildcards)


def _fallback(adapter: Adapter, text: str, messages: list[str]) -> Parsed:
    """Search for the plain words of a query the parser could not use."""
    words = [w for w in _WORD.findall(text) if w not in OPERATORS]
    parsed = _parse_text(adapter, " ".join(words)) if words else None
    if parsed is None:
        messages.append(_("Your search could not be understood. Try a few words, a "
                          "\"phrase\" or the start of a word followed by *."))
        return Parsed(None, text, messages)
    messages.append(_("Your search could not be understood; showing results for the "
                      "words: %(words)s.", words=" ".join(words)))
    return Parsed(parsed, " ".join(words), messages)


def positive_leaves(q: query.Query):
    """The leaf queries a document is looked for by (not those under NOT)."""
    if isinstance(q, query.Not):
        return
    if isinstance(q, query.AndNot):
        yield from positive_leaves(q.a)
        return
    if q.is_leaf():
        yield q
        return
    for child in q.children():
        yield from positive_leaves(child)
