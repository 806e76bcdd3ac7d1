"""The pages the runner drives: one request each, drawn for a client from the generated data.

A page is (name, kind, session, make) where ``make(ctx, rng, client)`` performs one
request on that client and returns (status, body, client ms, server ms). ``kind`` is
``page``, ``search`` or ``write`` (the targets differ); ``session`` says which of the
client's sessions it uses (``member``, ``committee`` or ``anonymous``).
"""

import random
import uuid
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from bench import generate_text as texts

POSTS_PER_PAGE = 20  # pen.forums.reading.POSTS_PER_PAGE


@dataclass(frozen=True)
class Page:
    name: str
    kind: str
    session: str
    make: object


@dataclass
class Context:
    """What the pages draw from: the generator's info and a few lists from the database."""

    info: dict
    public_topics: list[int]
    expertise_ids: list[int]
    region_slugs: list[str]
    listed_groups: list[str]
    member_groups: dict[str, list[str]]  # email -> slugs of that member's groups
    last_names: list[str]

    @property
    def long_pages(self) -> int:
        return max(1, -(-self.info["long_topic_posts"] // POSTS_PER_PAGE))

    @property
    def middle_page(self) -> int:
        return max(1, self.long_pages // 2)


def _get(path_of):
    return lambda ctx, rng, client: client.get(path_of(ctx, rng, client))


def _q(path: str, **params) -> str:
    return f"{path}?{urlencode(params)}"


def _language(rng: random.Random) -> str:
    return rng.choices(texts.LANGUAGES, texts.LANGUAGE_WEIGHTS)[0]


def _group_page(ctx: Context, rng, client) -> str:
    """One of the member's groups, or a listed group for a member of none."""
    mine = ctx.member_groups.get(client.email) or ctx.listed_groups
    return f"/groups/{rng.choice(mine)}"


def _reply(ctx: Context, rng, client):
    topic = rng.choice(ctx.public_topics)
    body = " ".join(texts.words(rng, "en", rng.randint(20, 60))).capitalize() + "."
    return client.post_form(f"/forums/t/{topic}/reply", {"body": body, "submit": "Post reply"})


def _upload(ctx: Context, rng, client):
    language = _language(rng)
    # a random tail: never the same file as an upload of this or an earlier (--reuse) run
    text = texts.page(rng, language, 3000) + f"\n\n{uuid.uuid4().hex}"
    fields = {"title": texts.title(rng, language), "description": "", "authors": "Bench",
              "doc_type": "case_study", "language": language, "year": "2011", "country": "",
              "access": "network", "group_id": "", "submit": "Upload"}
    return client.post_multipart("/library/upload", fields,
                                 ("bench-upload.txt", text.encode(), "text/plain"))


PAGES = [
    Page("ceiling (base layout, no database)", "ceiling", "anonymous",
         _get(lambda ctx, rng, c: "/_bench/ceiling")),
    Page("reference: ceiling signed in", "reference", "member",
         _get(lambda ctx, rng, c: "/_bench/ceiling")),
    Page("home", "page", "member", _get(lambda ctx, rng, c: "/")),
    Page("activity feed (everything)", "page", "member", _get(lambda ctx, rng, c: "/activity")),
    Page("category page (forums index)", "page", "member", _get(lambda ctx, rng, c: "/forums/")),
    Page("topic list (category, pages 1-3)", "page", "member", _get(
        lambda ctx, rng, c: f"/forums/c/{ctx.info['category']}?page={rng.randint(1, 3)}")),
    Page("topic page (first)", "page", "member",
         _get(lambda ctx, rng, c: f"/forums/t/{ctx.info['long_topic']}?page=1")),
    Page("topic page (middle)", "page", "member", _get(
        lambda ctx, rng, c: f"/forums/t/{ctx.info['long_topic']}?page={ctx.middle_page}")),
    Page("topic page (last)", "page", "member", _get(
        lambda ctx, rng, c: f"/forums/t/{ctx.info['long_topic']}?page={ctx.long_pages}")),
    Page("member directory (2 facets)", "page", "member", _get(lambda ctx, rng, c: _q(
        "/members/", region=rng.choice(ctx.region_slugs),
        expertise=rng.choice(ctx.expertise_ids)))),
    Page("member search (name or word)", "search", "member", _get(lambda ctx, rng, c: _q(
        "/members/", q=rng.choice([rng.choice(ctx.last_names), texts.common_word("en"),
                                   "transformers maintenance"])))),
    Page("library search (common term)", "search", "member", _get(lambda ctx, rng, c: _q(
        "/library/", q=texts.common_word(_language(rng))))),
    Page("library search (rare term)", "search", "member", _get(lambda ctx, rng, c: _q(
        "/library/", q=texts.rare_word(_language(rng))))),
    Page("library search (phrase)", "search", "member", _get(lambda ctx, rng, c: _q(
        "/library/", q=f'"{texts.PHRASES[_language(rng)]}"'))),
    Page("library search (term + 2 facets)", "search", "member", _get(lambda ctx, rng, c: _q(
        "/library/", q=texts.common_word("en"), language="en",
        topic=rng.choice(ctx.expertise_ids)))),
    Page("unified search", "search", "member", _get(lambda ctx, rng, c: "/search?q=" + quote(
        rng.choice([texts.common_word("en"), "transformer", "inventory", texts.rare_word("en")])))),
    Page("group page", "page", "member", _get(_group_page)),
    Page("awards ranking (committee)", "page", "committee",
         _get(lambda ctx, rng, c: f"/awards/{ctx.info['cycle']}/ranking")),
    Page("calendar (month)", "page", "member",
         _get(lambda ctx, rng, c: f"/events/?month={ctx.info['month']}")),
    Page("post a reply", "write", "member", _reply),
    Page("upload a document", "write", "member", _upload),
]
SEARCHES = {p.name for p in PAGES if p.kind == "search"}


def by_name(names: list[str] | None) -> list[Page]:
    """The pages whose names start with one of ``names`` (all when none); the ceilings first."""
    chosen = [p for p in PAGES if not names or any(p.name.startswith(n) for n in names)]
    ceilings = [p for p in PAGES if p.kind in ("ceiling", "reference")]
    return ceilings + [p for p in chosen if p not in ceilings]
