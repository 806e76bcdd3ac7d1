"""Turning an adapter's field declaration into a Whoosh schema, and documents into fields.

Each text field ``name`` is one Whoosh field, folded and tokenised by the base
analyzer (``analysis.py``) with positions for phrases; stemming happens at
query time (``stemming.py``), using the document's ``lang``. Sort keys live in
``sort__<name>`` columns. ``id``, ``acl`` and ``lang`` are always there.
"""

from datetime import UTC, datetime

from whoosh import fields
from whoosh.util.numeric import float_to_sortable_long

from . import analysis
from .adapters import Adapter, Document

SORT_TEXT_CHARS = 80


def sort_field(name: str) -> str:
    """The column holding the sort key of ``name``."""
    return f"sort__{name}"


def text_field_names(adapter: Adapter) -> list[str]:
    """Every Whoosh field a free-text query searches."""
    return list(adapter.text_fields)


def field_boosts(adapter: Adapter) -> dict[str, float]:
    """Query-time boosts of the searched fields."""
    return {name: float(boost) for name, boost in adapter.text_fields.items()}


def build_schema(adapter: Adapter) -> fields.Schema:
    """The Whoosh schema of one kind."""
    schema = fields.Schema(
        # Columns as well as stored: a column reads one document's value without
        # decompressing a block of stored fields (a hit's id, a snippet's language).
        id=fields.ID(stored=True, unique=True, sortable=True),
        acl=_keyword(),
        lang=fields.ID(stored=True, sortable=True),
    )
    if adapter.acl_scheme:  # never written: only its name, in the signature, matters
        schema.add(acl_scheme_field(adapter), fields.STORED())
    base = analysis.base_analyzer()
    for name in adapter.text_fields:
        text = fields.TEXT(analyzer=base, multitoken_query="phrase")
        text.format = analysis.FoldedPositions(field_boost=text.format.field_boost)
        schema.add(name, text)
    for name in adapter.keyword_fields:
        # A work's key is one value, read per hit: a column as well as postings.
        schema.add(name, fields.ID(sortable=True) if name == adapter.edition_field
                   else _keyword())
    for name in adapter.sortable:
        # Keys are strings that sort in value order (see ``_sort_value``): Whoosh's
        # float NUMERIC column cannot be written.
        schema.add(sort_field(name), fields.ID(sortable=True))
    return schema


def acl_scheme_field(adapter: Adapter) -> str:
    """The empty field whose name records the meaning of the acl terms in the index."""
    return f"aclscheme_{adapter.acl_scheme}"


def _keyword() -> fields.KEYWORD:
    """A comma-separated keyword field, filled by the fast ``CommaFrequency`` format."""
    field = fields.KEYWORD(commas=True, scorable=False)
    field.format = analysis.CommaFrequency(field_boost=field.format.field_boost)
    return field


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
