"""Synonyms at query time: a term of the administrators' list also finds the others.

The parsed query is walked before stemming: a word, a phrase a single word makes
("PCB's", 多氯联苯; a phrase in quotation marks means these words only), or a run of words
of an AND whose key (``synonyms.key``: stems, so inflected forms match) is in the
list becomes ``original OR best-of(the other terms)``, the other terms searched in
every text field at ``BOOST`` times the field's boost, each multi-word term as all
its words in one field (their boost shared). A document scores its best
alternative, not their sum, so a text naming every trade name does not outrank
the texts that use the word the member typed. Stemming then adds each
alternative's inflections in its own language. The cost is a few dictionary
lookups per query word, and the extra terms' postings only when a query names a
listed term.
"""

from whoosh import query

from . import synonyms
from .adapters import Adapter
from .schema import field_boosts

BOOST = 0.3  # an equivalent term outranks nothing the member typed


def expand(q: query.Query, adapter: Adapter, table: synonyms.Table | None = None) -> query.Query:
    """``q`` with every listed term also matching its synonyms."""
    table = synonyms.current() if table is None else table
    if not table.alternatives:
        return q
    return _expand(q, adapter, table)


def _expand(q: query.Query, adapter: Adapter, table: synonyms.Table) -> query.Query:
    """Expand one node (a word, a phrase, the runs of an AND, or its children)."""
    found = _words(q, adapter)
    if found is not None:
        return _with_alternatives(q, found, adapter, table)
    if type(q) is query.And:
        return query.And(_runs(q.children(), adapter, table), boost=q.boost)
    if q.is_leaf():
        return q
    return q.apply(lambda child: _expand(child, adapter, table))


def _runs(children: list, adapter: Adapter, table: synonyms.Table) -> list:
    """The children of an AND, a run of words that is a listed term made one alternative."""
    children, out, i = list(children), [], 0
    while i < len(children):
        for length in range(min(table.longest, len(children) - i), 1, -1):
            parts = [_words(child, adapter) for child in children[i:i + length]]
            if all(p is not None for p in parts):
                folded = tuple(w for p in parts for w in p)
                if synonyms.key(folded) in table.alternatives:
                    out.append(_with_alternatives(query.And(children[i:i + length]), folded,
                                                  adapter, table))
                    i += length
                    break
        else:
            out.append(_expand(children[i], adapter, table))
            i += 1
    return out


def _words(q: query.Query, adapter: Adapter) -> tuple[str, ...] | None:
    """The folded words a node searches for when it is one word or phrase in text fields
    (the parser's ``Or`` of the same word over every field included); else None."""
    if type(q) is query.Term and q.fieldname in adapter.text_fields:
        return (_text(q.text),)
    if type(q) is query.Phrase and q.fieldname in adapter.text_fields:
        return tuple(_text(w) for w in q.words)
    if type(q) is query.Or and q.subqueries:
        found = {_words(child, adapter) for child in q.subqueries}
        if len(found) == 1 and None not in found:
            return found.pop()
    return None


def word_texts(q: query.Query, adapter: Adapter) -> tuple[str, ...] | None:
    """The folded words of a plain word or phrase node (see ``_words``), else None."""
    return _words(q, adapter)


def _text(value) -> str:
    """A term's text as a string."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _with_alternatives(q: query.Query, folded: tuple[str, ...], adapter: Adapter,
                       table: synonyms.Table) -> query.Query:
    """``q`` OR each other term of its groups, in every text field."""
    others = table.alternatives.get(synonyms.key(folded))
    if not others:
        return q
    boosts = field_boosts(adapter)
    fields = _fields(q) & set(boosts)  # a field the member named (title:…) stays the only one
    alternatives = [_in_field(name, words, boosts[name] * BOOST)
                    for words in others for name in boosts if name in fields]
    return query.Or([q, query.DisjunctionMax(alternatives)])


def _fields(q: query.Query) -> set[str]:
    """The fields a word, phrase or run of them is searched in."""
    if isinstance(q, (query.Term, query.Phrase)):
        return {q.fieldname}
    return set().union(*(_fields(child) for child in q.children())) if not q.is_leaf() else set()


def _in_field(name: str, words: tuple[str, ...], boost: float):
    """A term's words in one field: a word, or all of them (stemming adds inflections)."""
    terms = [query.Term(name, word, boost=boost / len(words)) for word in words]
    return terms[0] if len(terms) == 1 else query.And(terms)
