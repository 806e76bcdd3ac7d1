"""What a search returns: plain objects a template can render."""

import math
from dataclasses import dataclass, field

from markupsafe import Markup


@dataclass
class Hit:
    """One visible result: the object's id and kind, its score and its snippets."""

    id: int
    kind: str
    score: float | None = None
    highlights: dict[str, Markup] = field(default_factory=dict)
    snippet: Markup = field(default_factory=Markup)


@dataclass
class Results:
    """A page of hits with counts, facets and messages for the member.

    Pagination attributes match Flask-SQLAlchemy's ``Pagination``, so the
    ``pager`` macro of ``macros/pagination.html`` renders it.
    """

    kind: str
    query: str = ""
    page: int = 1
    per_page: int = 20
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None
    messages: list[str] = field(default_factory=list)
    sort: str | None = None
    unavailable: bool = False  # this server's index is being rebuilt: no hits, for now

    @property
    def message(self) -> str | None:
        """Every message for the member, as one sentence-separated string."""
        return " ".join(self.messages) or None

    @property
    def pages(self) -> int:
        """How many pages the visible hits fill (at least one)."""
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        """Whether there is a page before this one."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """Whether there is a page after this one."""
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        """The previous page number, if any."""
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        """The next page number, if any."""
        return self.page + 1 if self.has_next else None

    def iter_pages(self, left_edge=2, left_current=2, right_current=4, right_edge=2):
        """Page numbers to link, with None for a gap (as Flask-SQLAlchemy does)."""
        last = 0
        for number in range(1, self.pages + 1):
            near_edge = number <= left_edge or number > self.pages - right_edge
            near_current = self.page - left_current <= number < self.page + right_current
            if near_edge or near_current:
                if last + 1 != number:
                    yield None
                yield number
                last = number
