"""What a topic list shows beside the topics, each in one query whatever the number
of topics: read marks (unread counts), latest posters' faces, reactions, tags; and the
table's links and words, built once (``links``, ``words``)."""

from . import links, reactions, reading, tags, words


def context(user, topics: list) -> dict:
    """The template values every topic table needs (``forums/_topic_table.html``)."""
    ids = [t.id for t in topics]
    return {"reads": reading.read_marks(user, topics),
            "posters": reading.last_posters(topics),
            "reaction_totals": reactions.topic_totals(ids),
            "topic_tags": tags.by_topic(ids), "links": links.topic_table(),
            "words": words.table_words()}
