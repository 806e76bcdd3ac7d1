"""Turning an adapter's field declaration into a Whoosh schema, and documents into fields.

For each text field ``name`` the schema has ``name`` (base analyzer, see
``analysis.py``) and ``name__<lang>`` for each stemmed language; a document's
text goes to the base field and to the stemmed field of its own language.
Sort keys live in ``sort__<name>`` columns. ``id``, ``acl`` and ``lang`` are
always there.
"""

from datetime import UTC, datetime

from whoosh import fields
from whoosh.util.numeric import float_to_sortable_long

from . import analysis
from .adapters import Adapter, Document

STEMMED_BOOST = 0.7  # an exact word outranks a word that only shares its stem
SORT_TEXT_CHARS = 80


def stem_field(name: str, lang: str) -> str:
    """The stemmed twin of text field ``name`` for ``lang``."""
    return f"{name}__{lang}"


def sort_field(name: str) -> str:
    """The column holding the sort key of ``name``."""
    return f"sort__{name}"


def text_field_names(adapter: Adapter) -> list[str]:
    """Every Whoosh field a free-text query searches: base and stemmed."""
    names = list(adapter.text_fields)
    for lang in analysis.STEMMED_LANGUAGES:
        names += [stem_field(name, lang) for name in adapter.text_fields]
    return names


def field_boosts(adapter: Adapter) -> dict[str, float]:
    """Query-time boosts of the searched fields."""
    boosts = {}
    for name, boost in adapter.text_fields.items():
        boosts[name] = float(boost)
        for lang in analysis.STEMMED_LANGUAGES:
            boosts[stem_field(name, lang)] = float(boost) * STEMMED_BOOST
    return boosts


def build_schema(adapter: Adapter) -> fields.Schema:
    """The Whoosh schema of one kind."""
    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        acl=fields.KEYWORD(commas=True, scorable=False),
        lang=fields.ID(stored=True),
    )
    base = analysis.base_analyzer()
    for name in adapter.text_fields:
        schema.add(name, fields.TEXT(analyzer=base, multitoken_query="phrase"))
        for lang in analysis.STEMMED_LANGUAGES:
            # No positions: phrases are matched on the base field; reading and
            # writing postings without them is about twice as fast.
            schema.add(stem_field(name, lang),
                       fields.TEXT(analyzer=analysis.stemming_analyzer(lang), phrase=False,
                                   multitoken_query="and"))
    for name in adapter.keyword_fields:
        schema.add(name, fields.KEYWORD(commas=True, scorable=False))
    for name in adapter.sortable:
        # Keys are strings that sort in value order (see ``_sort_value``): Whoosh's
        # float NUMERIC column cannot be written.
        schema.add(sort_field(name), fields.ID(sortable=True))
    return schema


def query_schema(adapter: Adapter, schema: fields.Schema) -> fields.Schema:
    """The fields a user may name in a query (``country:FR``); never acl or id."""
    public = fields.Schema()
    for name in [*text_field_names(adapter), *adapter.keyword_fields]:
        public.add(name, schema[name])
    return public


def document_language(doc: Document, default: str | None) -> str | None:
    """The two-letter language of a document ("fr" for "fr-CA"), or None."""
    lang = (doc.lang or default or "").split("-")[0].split("_")[0].lower()
    return lang or None


def to_fields(adapter: Adapter, doc: Document, default_lang: str | None) -> dict:
    """The keyword arguments of ``writer.update_document`` for ``doc``."""
    lang = document_language(doc, default_lang)
    out = {"id": str(doc.id), "acl": _keywords(doc.acl, "acl"), "lang": lang or ""}
    for name in adapter.text_fields:
        text = _text(doc.values.get(name))
        if text:
            out[name] = text
            if lang in analysis.STEMMED_LANGUAGES:
                out[stem_field(name, lang)] = text
    for name in adapter.keyword_fields:
        value = doc.values.get(name)
        if value:
            out[name] = _keywords(value, name)
    for name, kind in adapter.sortable.items():
        value = _sort_value(doc.values.get(name), kind)
        if value is not None:
            out[sort_field(name)] = value
    return out


def _text(value) -> str:
    """A text value: lists are joined by newlines, None is empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set)):
        return "\n".join(str(v) for v in value if v)
    return str(value)


def _keywords(value, name: str) -> str:
    """Keyword values joined by commas; a value may not contain one."""
    values = [value] if isinstance(value, str) else list(value)
    for item in values:
        if "," in str(item):
            raise ValueError(f"keyword value {item!r} of {name} contains a comma")
    return ",".join(str(item).strip() for item in values if str(item).strip())


def _sort_value(value, kind: str) -> str | None:
    """The sort key as a string whose order is the order of the values."""
    if value is None:
        return None
    if kind == "number":
        return f"{float_to_sortable_long(float(value), signed=True):016x}"
    if kind == "date":
        if not isinstance(value, datetime):
            value = datetime(value.year, value.month, value.day, tzinfo=UTC)
        value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        return value.strftime("%Y-%m-%dT%H:%M:%S.%f")
    return analysis.fold(str(value))[:SORT_TEXT_CHARS]
