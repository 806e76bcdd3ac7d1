"""CSRF and safe methods, found by walking the url_map (not by listing).

Every rule that takes POST (PUT, PATCH, DELETE) refuses a request without a token
or with a wrong one — 400 with the "form has expired" page — and nothing changes.
Every GET changes nothing in the database, but for the writes listed in
``GET_WRITES`` with their reason.
"""

import pytest

from pen.extensions import db
from tests.security.conftest import table_digests
from tests.security.matrix_table import OBJECTS
from tests.security.test_access_matrix import (
    ROWS,
    call,
    rules_and_methods,
    url_for_rule,
)

APP_SETTINGS = {"WTF_CSRF_ENABLED": True}
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
REFUSED = b"This form has expired or was not sent from this site."
COLUMNS = ("member", "nominator", "committee", "conflicted", "moderator", "admin")

#: what a GET may write (table -> columns), and why; anything else is a finding
GET_WRITES = {
    # the reader's own read mark: a topic opened is a topic read ("first unread" needs it)
    "forum_topic_reads": {"user_id", "topic_id", "last_read_number", "read_at"},
    # the download counters of a library file and its edition (statistics, not content)
    "library_versions": {"download_count"},
    "library_documents": {"download_count"},
    # topic views: counted in memory, written as one batch a minute (the GET that comes
    # when the minute is up writes it); statistics, folded into the topics by the worker
    "forum_topic_view_batches": {"id", "topic_id", "views"},
    # the session's "last seen": any request writes it, at most once a minute (a slow run
    # crosses a minute within the GETs)
    "user_sessions": {"last_seen_at", "address"},
}

#: POSTs that take no CSRF token by design, and what stands in for it
CSRF_EXEMPT = {
    # RFC 8058 one-click unsubscribe: a mail client POSTs without a form; the signed token
    # in the link is the proof (a wrong one answers 404 and changes nothing, as here)
    ("notifications.unsubscribe", "POST"),
}


def who_may(endpoint: str, method: str) -> tuple[str, str | None]:
    """A role the matrix lets do it (``-``: allowed), else the administrator; and the object."""
    for e, m, obj, codes in ROWS:
        if (e, m) == (endpoint, method):
            allowed = [role for role, code in zip(COLUMNS, codes.split(), strict=True)
                       if code == "-"]
            return (allowed[0] if allowed else "admin"), obj
    return "admin", None


def _snapshot(app, take):
    with app.app_context():
        try:
            return take()
        finally:
            db.session.remove()


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_every_unsafe_rule_refuses_a_missing_or_wrong_token(world_app, clients, token):
    before, wrong = _snapshot(world_app, table_digests), []
    for rule, method in rules_and_methods(world_app):
        if method not in UNSAFE:
            continue
        role, obj = who_may(rule.endpoint, method)
        url = url_for_rule(rule, OBJECTS[obj](world_app.world))
        data = {} if token is None else {"csrf_token": token}
        response = clients[role].open(url, method=method, data=data)
        if (rule.endpoint, method) in CSRF_EXEMPT:
            if response.status_code != 404:
                wrong.append(f"{role} {method} {url}: {response.status_code} (exempt)")
            continue
        if response.status_code != 400 or REFUSED not in response.data:
            wrong.append(f"{role} {method} {url}: {response.status_code}")
    assert not wrong, "accepted without a valid CSRF token:\n" + "\n".join(wrong)
    after = _snapshot(world_app, table_digests)
    assert [name for name in before if before[name] != after[name]] == []


@pytest.mark.parametrize("role", ["member", "admin"])
def test_no_get_changes_the_database(world_app, clients, role):
    """Each GET of the matrix, one at a time, the tables compared before and after."""
    wrong = []
    for endpoint, method, obj, _codes in ROWS:
        if method != "GET":
            continue
        for rule in [r for r in world_app.url_map.iter_rules() if r.endpoint == endpoint]:
            url = url_for_rule(rule, OBJECTS[obj](world_app.world))
            before = _snapshot(world_app, lambda: table_digests(GET_WRITES))
            call(clients[role], "GET", url)
            after = _snapshot(world_app, lambda: table_digests(GET_WRITES))
            changed = {name for name in before if before[name] != after[name]}
            if changed:
                wrong.append(f"{role} GET {url}: wrote {sorted(changed)}")
    assert not wrong, "GETs that changed the database:\n" + "\n".join(wrong)
