"""The links a forum page repeats for every post or topic, built by the router once.

A topic page links each of its 20 posts about a dozen times (its permanent link, quote,
edit, delete, reactions, bookmark…) and a topic list each of its 30 topics three or
four times; asking the router each time was a fifth of the page. ``IdLink`` asks it
once per endpoint, with a marker where the id goes, and puts each id in its place;
``SlugLinks`` remembers the link of each distinct slug (categories, tags). The links
are the ones ``url_for`` gives, character for character.
"""

from types import SimpleNamespace

from flask import url_for

_MARK = 987654321987654321  # an id no page holds; it stands where each id goes


class IdLink:
    """``url_for(endpoint, **values)`` with the integer ``name`` taking each id in turn."""

    __slots__ = ("head", "tail")

    def __init__(self, endpoint: str, name: str, **values):
        """Build the link once, with the marker as ``name``."""
        url = url_for(endpoint, **values, **{name: _MARK})
        self.head, found, self.tail = url.partition(str(_MARK))
        if not found:  # the marker must show in the link: else the router changed it
            raise ValueError(f"{endpoint}: {name} is not in its link")

    def __call__(self, value: int) -> str:
        """The link for this id."""
        return f"{self.head}{int(value)}{self.tail}"


class SlugLinks:
    """``url_for(endpoint, **{name: slug})``, asked of the router once per distinct slug."""

    __slots__ = ("endpoint", "name", "seen")

    def __init__(self, endpoint: str, name: str = "slug"):
        """No link built yet."""
        self.endpoint, self.name, self.seen = endpoint, name, {}

    def __call__(self, slug: str) -> str:
        """The link for this slug."""
        url = self.seen.get(slug)
        if url is None:
            url = self.seen[slug] = url_for(self.endpoint, **{self.name: slug})
        return url


def topic_table() -> SimpleNamespace:
    """The links of a topic table (``forums/_topic_table.html``)."""
    return SimpleNamespace(topic=IdLink("forums.topic", "topic_id"),
                           unread=IdLink("forums.first_unread", "topic_id"),
                           tag=SlugLinks("forums.tag"), category=SlugLinks("forums.category"))


def topic_page(topic_id: int) -> SimpleNamespace:
    """The links of each post on a topic page (``forums/topic.html``)."""
    return SimpleNamespace(
        post=IdLink("forums.post_link", "post_id"),
        history=IdLink("forums.history", "post_id"),
        edit=IdLink("forums.edit", "post_id"), delete=IdLink("forums.delete", "post_id"),
        restore=IdLink("forums.restore", "post_id"), report=IdLink("forums.report", "post_id"),
        hide=IdLink("forums.hide", "post_id"), split=IdLink("forums.split", "post_id"),
        bookmark=IdLink("forums.bookmark_post", "post_id"),
        react=IdLink("forums.react", "post_id"),
        reactions=IdLink("forums.reactions_page", "post_id"),
        quote=IdLink("forums.reply", "quote", topic_id=topic_id),
        message=IdLink("messages.new", "to"), profile=IdLink("members.profile", "user_id"))

