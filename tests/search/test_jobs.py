"""``search reindex --jobs N``: the kinds rebuilt side by side in child processes.

The children are forked from the command, so they must reach the same database
(SQLite file or PostgreSQL schema of the test) and write the same index folder.
"""

from pen import search
from pen.auth.system import SYSTEM
from pen.forums import service as forums


def test_kinds_rebuilt_in_parallel_are_all_searchable(app, make_user):
    author = make_user(name="Amadou Diallo")
    category = forums.create_category(SYSTEM, "Disposal", "Where the oil goes.")
    topic = forums.create_topic(author, category, "Dechlorination of transformer oil",
                                "Sodium dispersion worked on 40 tonnes.")
    result = app.test_cli_runner().invoke(args=["search", "reindex", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "forum_post: 1 documents" in result.output
    assert "member: 1 documents" in result.output
    assert "Reindexed" in result.output
    check = app.test_cli_runner().invoke(args=["search", "check"])
    assert check.exit_code == 0, check.output
    found = search.search("forum_post", author, "dechlorination").hits
    assert [hit.id for hit in found] == [topic.last_post_id]
    assert [hit.id for hit in search.search("member", author, "Diallo").hits] == [author.id]


def test_one_job_keeps_the_progress_bars(app, make_user):
    make_user(name="Lan Nguyen")
    result = app.test_cli_runner().invoke(args=["search", "reindex", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "member: 1 documents" in result.output
