"""Posts in the search engine: the "forum_post" adapter of ``pen.search``.

A document is a post with its topic's title (boosted on the opening post), its
category, author, date and whether the topic is solved. Who may find it is the
registered "forum_post" visibility rule (``permissions.POST_RULE``) in its index
form: the document's acl is ``rule.acl(post)``, a search keeps the documents
whose acl meets ``rule.terms(user)``, and the hits are checked again with the
rule's SQL clause. So a hidden post is found by moderators and by its author,
exactly as its page is shown to them. Dates are
keywords at three grains ("y2011", "m2011-02", "d2011-02-15"), so a date range
is a short list of values (see ``date_terms``).
"""

from collections.abc import Collection, Iterable
from datetime import date, timedelta

from flask import url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from .. import search, visibility
from ..extensions import db
from .models import Post, Topic
from .posting import KIND

BATCH = 1000


class PostAdapter(search.Adapter):
    """Forum posts by topic title and text; filters by category, author, dates, solved."""

    kind = KIND
    label = _l("Forums")
    search_endpoint = "forums.search"
    text_fields = {"title": 3.0, "body": 1.0}
    keyword_fields = ("category", "author", "solved", "dates", "opening")
    facets = ()  # the page filters, it does not count: counting would score every match
    sortable = {"date": "date"}

    @property
    def acl_scheme(self) -> str:
        """The post rule's shape: the index is rebuilt when the rule changes."""
        return visibility.rule_signature(KIND)

    def documents(self, ids: Collection[int] | None = None) -> Iterable[search.Document]:
        """Posts with their topics, read in batches."""
        query = (select(Post, Topic).join(Topic, Post.topic_id == Topic.id)
                 .options(lazyload("*")).order_by(Post.id).execution_options(yield_per=BATCH))
        if ids is not None:
            query = query.where(Post.id.in_(list(ids)))
        for post, topic in db.session.execute(query):
            yield to_document(post, topic)

    def ids(self) -> Iterable[int]:
        """Every post is indexed (deleted and hidden ones for moderators)."""
        return db.session.scalars(select(Post.id))

    def visibility_terms(self, user) -> set[str]:
        """The user's terms under the registered post rule."""
        return visibility.rule_for(KIND).terms(user)

    def is_visible(self, user, ids: Collection[int]) -> set[int]:
        """The database's answer, by the registered post rule's clause."""
        query = select(Post.id).where(Post.id.in_(list(ids)),
                                      visibility.rule_for(KIND).clause(user))
        return set(db.session.scalars(query))

    def source_texts(self, ids: Collection[int]) -> dict[int, dict[str, str]]:
        """Title and the post as a reader sees it (its rendered text, not its Markdown)."""
        rows = db.session.execute(
            select(Post.id, Post.number, Post.body_html, Topic.title)
            .join(Topic, Post.topic_id == Topic.id).where(Post.id.in_(list(ids))))
        return {pid: {"title": title if number == 1 else "", "body": reader_text(html)}
                for pid, number, html, title in rows}

    def present(self, hits) -> list[dict]:
        """Title, link and summary of each hit for the unified search page (one query)."""
        posts = posts_for(hits)
        return [{"title": p.topic.title, "url": url_for("forums.post_link", post_id=p.id),
                 "summary": f"{p.topic.category.name} · {p.author.display_name if p.author else ''}"
                            f" · {p.created_at:%Y-%m-%d}",
                 "snippet": hit.snippet} for hit in hits if (p := posts.get(hit.id))]


def posts_for(hits) -> dict[int, Post]:
    """The posts of a page of hits, by id (one query with topics and authors)."""
    ids = [hit.id for hit in hits]
    if not ids:
        return {}
    return {p.id: p for p in db.session.scalars(select(Post).where(Post.id.in_(ids)))}


def acl(post: Post) -> set[str]:
    """Who may find a post: the registered rule's index form."""
    return visibility.rule_for(KIND).acl(post)


def reader_text(body_html: str | None) -> str:
    """A post's words as the page shows them: no Markdown marks, link targets or tags."""
    # Stored HTML, sanitised on write; wrapping it only to take its text back out.
    return Markup(body_html or "").striptags()  # noqa: S704 - text taken out, never printed


def to_document(post: Post, topic: Topic) -> search.Document:
    """One post as the index sees it."""
    day = post.created_at.date()
    return search.Document(id=post.id, acl=acl(post), values={
        "title": topic.title if post.number == 1 else "",
        "body": reader_text(post.body_html),
        "category": str(topic.category_id),
        "author": str(post.author_id or ""),
        "solved": "yes" if topic.solved else "no",
        "opening": "yes" if post.number == 1 else "no",
        "dates": [f"y{day:%Y}", f"m{day:%Y-%m}", f"d{day:%Y-%m-%d}"],
        "date": post.created_at,
    })


def date_terms(start: date | None, end: date | None) -> list[str]:
    """The fewest "dates" values covering ``start``..``end`` (inclusive): days, months, years."""
    if start is None and end is None:
        return []
    start, end = start or date(2000, 1, 1), end or date.today()
    terms, day = [], start
    while day <= end:
        year_end, month_end = date(day.year, 12, 31), _month_end(day)
        if day.month == 1 and day.day == 1 and year_end <= end:
            terms.append(f"y{day:%Y}")
            day = year_end + timedelta(days=1)
        elif day.day == 1 and month_end <= end:
            terms.append(f"m{day:%Y-%m}")
            day = month_end + timedelta(days=1)
        else:
            terms.append(f"d{day:%Y-%m-%d}")
            day += timedelta(days=1)
    return terms


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)
