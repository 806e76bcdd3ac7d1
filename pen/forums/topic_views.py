"""Topic views, counted without a write per view.

Each web process counts views in memory (per app) and writes them as one batch of
rows (``TopicViewBatch``) once a minute or every 200 views, whichever comes first;
the worker's ``forum views`` task adds the batches to ``Topic.view_count`` and deletes
them. A process that dies loses at most its unwritten minute of views: a view count is
an indication, not an account.
"""

import threading
import time
from collections import Counter

from flask import Flask, current_app
from sqlalchemy import delete, insert, select, update

from ..extensions import db
from .models import Topic, TopicViewBatch

_KEY = "pen.forum_topic_views"
FLUSH_SECONDS = 60
FLUSH_VIEWS = 200


class ViewBuffer:
    """Views counted in this process, not yet written."""

    def __init__(self):
        """An empty buffer, last written now."""
        self.counts: Counter = Counter()
        self.lock = threading.Lock()
        self.written_at = time.monotonic()

    def add(self, topic_id: int) -> bool:
        """Count one view; whether the buffer is due to be written."""
        with self.lock:
            self.counts[topic_id] += 1
            return (sum(self.counts.values()) >= FLUSH_VIEWS
                    or time.monotonic() - self.written_at >= FLUSH_SECONDS)

    def take(self) -> dict[int, int]:
        """The counts so far, leaving the buffer empty."""
        with self.lock:
            taken, self.counts = dict(self.counts), Counter()
            self.written_at = time.monotonic()
            return taken


def init_app(app: Flask) -> None:
    """Give the app its buffer; the worker folds the batches in."""
    from .. import worker

    app.extensions[_KEY] = ViewBuffer()
    worker.register_task(app, "forum views", fold)


def count_view(topic_id: int) -> None:
    """Count a view of the topic (in memory; written now and then in one statement)."""
    if current_app.extensions[_KEY].add(topic_id):
        write_buffer()


def write_buffer() -> int:
    """Write this process's counted views as one batch; how many views were written."""
    counts = current_app.extensions[_KEY].take()
    if counts:
        with db.engine.begin() as connection:  # its own transaction: the page's is its own
            connection.execute(insert(TopicViewBatch), [
                {"topic_id": topic_id, "views": n} for topic_id, n in counts.items()])
    return sum(counts.values())


def fold() -> int:
    """Add the written batches to the topics' counts (worker task); 0 when idle.
    Only the rows read are deleted: a batch written meanwhile waits for the next pass."""
    rows = db.session.execute(select(TopicViewBatch.id, TopicViewBatch.topic_id,
                                     TopicViewBatch.views)).all()
    if not rows:
        return 0
    totals: Counter = Counter()
    for row in rows:
        totals[row.topic_id] += row.views
    for topic_id, views in totals.items():
        db.session.execute(update(Topic).where(Topic.id == topic_id)
                           .values(view_count=Topic.view_count + views))
    db.session.execute(delete(TopicViewBatch).where(
        TopicViewBatch.id.in_([row.id for row in rows])))
    db.session.commit()
    return sum(totals.values())
