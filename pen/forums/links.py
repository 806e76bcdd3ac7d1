"""The links a forum page repeats for every post or topic, built by the router once.

A topic page links each of its 20 posts about a dozen times (its permanent link, quote,
edit, delete, reactions, bookmark…) and a topic list each of its 30 topics three or
four times: ``id_link`` (``pen/links.py``) makes each a ``%d`` pattern, and
``SlugLinks`` remembers the link of each distinct slug (categories, tags).
"""

from types import SimpleNamespace

from flask import url_for

from ..links import id_link


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
    return SimpleNamespace(topic=id_link("forums.topic", "topic_id"),
                           unread=id_link("forums.first_unread", "topic_id"),
                           tag=SlugLinks("forums.tag"), category=SlugLinks("forums.category"))


def topic_page(topic_id: int) -> SimpleNamespace:
    """The links of each post on a topic page (``forums/topic.html``)."""
    return SimpleNamespace(
        post=id_link("forums.post_link", "post_id"),
        history=id_link("forums.history", "post_id"),
        edit=id_link("forums.edit", "post_id"), delete=id_link("forums.delete", "post_id"),
        restore=id_link("forums.restore", "post_id"), report=id_link("forums.report", "post_id"),
        hide=id_link("forums.hide", "post_id"), split=id_link("forums.split", "post_id"),
        bookmark=id_link("forums.bookmark_post", "post_id"),
        react=id_link("forums.react", "post_id"),
        reactions=id_link("forums.reactions_page", "post_id"),
        quote=id_link("forums.reply", "quote", topic_id=topic_id),
        message=id_link("messages.new", "to"), profile=id_link("members.profile", "user_id"))
