"""Links a page repeats with only an integer changing, asked of the router once.

A topic page links each of its 20 posts about a dozen times, a listing each of its
pages; asking the router each time cost a fifth of a topic page. ``id_link`` asks it
once, with a marker where the integer goes, and makes the link a ``%d`` pattern:
``pattern % n`` is the link for ``n``, character for character the one ``url_for``
gives.
"""

from flask import url_for

_MARK = 987654321987654321  # an integer no page holds; it stands where each one goes


def id_link(endpoint: str, name: str, **values) -> str:
    """``url_for(endpoint, **values)`` as a pattern with ``%d`` where the integer ``name``
    goes (any other ``%`` doubled). ``name`` keeps its place among ``values`` if it is
    one of them. Templates write ``links.edit % post.id``: Python's ``%``, not a call."""
    url = url_for(endpoint, **{**values, name: _MARK})
    head, found, tail = url.partition(str(_MARK))
    if not found:  # the marker must show in the link: else the router changed it
        raise ValueError(f"{endpoint}: {name} is not in its link")
    return f"{head.replace('%', '%%')}%d{tail.replace('%', '%%')}"


def page_link(endpoint: str, values: dict) -> str:
    """The pattern of a listing's page links (``pattern % n``: page n), the listing's
    other arguments (its filters, ``values``) kept as they are (``macros/pagination.html``)."""
    return id_link(endpoint, "page", **values)
