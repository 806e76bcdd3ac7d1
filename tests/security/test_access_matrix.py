"""The access matrix: every rule of ``app.url_map``, every method, every role, every visibility.

The expectations are tables (``matrix_table``, ``matrix_content``); an endpoint the
tables do not classify fails ``test_every_endpoint_is_classified``. Every page a
member outside group B gets with 200 must not contain the secret word that only
group B's, deleted, hidden and administrators' content holds. Then the same
secret through search (hits, counts, snippets, "did you mean", "more like this"),
calendar and Atom feeds with keys (revoked, forged, shut out by the pilot),
notifications and the mail they become, and the committee's reviews.

Run: ``.venv/bin/pytest -q tests/security -p no:cacheprovider`` (about 40 s on SQLite).
"""

import re
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from pen.auth.access import is_public_endpoint
from pen.extensions import db
from pen.mail import MailMessage
from pen.notifications import delivery
from tests.security import matrix_content, matrix_table, world
from tests.security.conftest import LOGGED_OUT, SIGNED_IN, table_digests

#: destructive actions whose URL also answers GET with the confirm page (pen/confirm.py):
#: the view checks who may act first, so a GET is refused exactly as its POST is (where
#: the POST would act, the GET asks or says there is nothing to do: not compared)
CONFIRMED = {
    "rollout.revoke", "rollout.cohort_remove", "rollout.cohort_delete", "groups.revoke",
    "groups.remove", "groups.delete_activity", "groups.delete_meeting", "forums.delete",
    "forums.remove_attachment", "awards.withdraw", "awards.discard", "events.delete",
    "events.cancel", "events.decline", "messages.leave", "admin.import_discard",
    "members.end_designation", "awards.remove_item", "auth.end_session",
    "admin.reset_two_factor", "admin.user_status", "forums.delete_tag",
}


def confirm_pages(rows: list) -> list:
    """The GET rows of the confirmed actions, from their POST rows."""
    return [(endpoint, "GET", obj, codes) for endpoint, method, obj, codes in rows
            if endpoint in CONFIRMED and method == "POST" and codes != matrix_table.SENT_NOT]


ROWS = matrix_table.ROWS + matrix_content.ROWS
ROWS += confirm_pages(ROWS)
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
#: roles that see nothing of group B, the deleted topic or the administrators' shelf
BLIND = ("member", "nominator", "committee", "conflicted")
QUERY = {"q", "key"}  # object values that go in the query string, not the path
ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def rules_and_methods(app):
    """``(rule, method)`` for every rule and every method it answers (HEAD/OPTIONS aside)."""
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & set(METHODS)):
            yield rule, method


def url_for_rule(rule, values: dict) -> str:
    """The rule's path with ``values`` filled in (``q`` and ``key`` go in the query)."""
    used = set(rule.arguments) - set(rule.defaults or {})
    missing = used - set(values)
    assert not missing, f"{rule.rule}: the matrix object lacks {missing}"
    path = ARGUMENT.sub(lambda m: str(values[m.group(1)]), rule.rule)
    query = {k: v for k, v in values.items() if k in QUERY}
    return path + ("?" + urlencode(query) if query else "")


def rules_of(app, endpoint: str, method: str):
    return [rule for rule in app.url_map.iter_rules()
            if rule.endpoint == endpoint and method in rule.methods]


def expected_for(code_row: str, role: str) -> str:
    return code_row.split()[SIGNED_IN.index(role)]


def call(client, method: str, url: str):
    return client.open(url, method=method, data={} if method != "GET" else None)


def test_every_endpoint_is_classified(world_app):
    """A new endpoint (or a new method on one) must get a row before this passes."""
    signed_in = {(endpoint, method) for endpoint, method, _obj, _codes in ROWS}
    public = {(endpoint, method) for endpoint, method, _obj, _codes in matrix_table.PUBLIC}
    with world_app.test_request_context():
        missing = [f"{rule.endpoint} {method} {rule.rule}"
                   for rule, method in rules_and_methods(world_app)
                   if (rule.endpoint, method) not in signed_in
                   or (is_public_endpoint(rule.endpoint) and (rule.endpoint, method) not in public)]
    assert not missing, "endpoints without an expectation:\n" + "\n".join(missing)
    for row in ROWS:
        assert len(row[3].split()) == len(SIGNED_IN), row


@pytest.mark.parametrize("role", SIGNED_IN)
def test_signed_in_role_gets_what_the_matrix_says(world_app, clients, role):
    """GETs first, then the refusals of POSTs (which must not change anything)."""
    client, ids, wrong, before = clients[role], world_app.world, [], None
    ordered = sorted(ROWS, key=lambda row: row[1] != "GET")
    for endpoint, method, obj, codes in ordered:
        expected = expected_for(codes, role)
        if expected == "-":
            continue
        if method != "GET" and before is None:
            before = _digests(world_app)
        for rule in rules_of(world_app, endpoint, method):  # none: a retired endpoint
            url = url_for_rule(rule, matrix_table.OBJECTS[obj](ids))
            response = call(client, method, url)
            where = f"{role} {method} {url} ({endpoint}, {obj})"
            if str(response.status_code) != expected:
                wrong.append(f"{where}: expected {expected}, got {response.status_code}")
            elif role in BLIND and response.status_code == 200 and (
                    world.SECRET.encode() in response.data):
                wrong.append(f"{where}: shows the secret word of content it may not see")
    after = _digests(world_app)
    wrong += [f"a refused {role} POST wrote {name}"
              for name in before if before[name] != after[name]]
    assert not wrong, f"{len(wrong)} mismatches:\n" + "\n".join(wrong)


#: what any signed-in request may write: the session's "last seen" (at most once a minute,
#: so a slow run crosses a minute within the POSTs); a session ended still shows
TOUCHED = {"user_sessions": {"last_seen_at", "address"}}


def _digests(app) -> dict[str, str]:
    with app.app_context():
        try:
            return table_digests(TOUCHED)
        finally:
            db.session.remove()


def _first_object(endpoint: str):
    return next(obj for e, _m, obj, _c in ROWS if e == endpoint)


def _public_rows():
    return {(e, m): (obj, codes) for e, m, obj, codes in matrix_table.PUBLIC}


@pytest.mark.parametrize("role", (*LOGGED_OUT, "outsider"))
def test_logged_out_and_pilot_outsider_get_nothing(world_app, clients, role):
    """Anonymous and invited: the login page; outside the test group: "not open yet"."""
    client, ids, wrong, public = clients[role], world_app.world, [], _public_rows()
    for rule, method in rules_and_methods(world_app):
        obj, codes = public.get((rule.endpoint, method), (None, None))
        if codes is None:
            obj = _first_object(rule.endpoint)
            expected = "403" if role == "outsider" else "302"
            if role == "outsider" and rule.endpoint == "auth.logout":
                continue  # allowed in pilot mode, and would end this client's session
        else:
            expected = codes.split()[role == "outsider"]
        if expected == "-":
            continue
        url = url_for_rule(rule, matrix_table.OBJECTS[obj](ids))
        response = call(client, method, url)
        where = f"{role} {method} {url} ({rule.endpoint})"
        if str(response.status_code) != expected:
            wrong.append(f"{where}: expected {expected}, got {response.status_code}")
        elif codes is None and expected == "302" and (
                "/auth/login" not in response.headers["Location"]):
            wrong.append(f"{where}: redirected elsewhere than the login page")
        elif codes is None and world.SECRET.encode() in response.data:
            wrong.append(f"{where}: shows the secret word")
    assert not wrong, f"{len(wrong)} mismatches:\n" + "\n".join(wrong)


# --- search: hits, counts, snippets, "did you mean", "more like this" ------------------

SEARCH_PAGES = ("/search", "/forums/search", "/library/", "/members/")
CONTROL = "qwxvbnmtrkpl"  # a word nothing holds, as long as the secret
TOKEN = re.compile(rb'(name="csrf_token"[^>]*value=")[^"]+|(value=")[^"]+("[^>]*name="csrf_token")')


def _neutral(body: bytes, word: str) -> bytes:
    """The page with the searched word and the form tokens blanked out."""
    return TOKEN.sub(rb"\1\2X\3", body.replace(word.encode(), b"QUERY"))


@pytest.mark.parametrize("role", BLIND)
def test_search_for_the_secret_word_answers_as_for_a_word_nothing_holds(clients, role):
    """Same page, same counts, no snippet: hidden content leaves no trace in results."""
    client = clients[role]
    for page in SEARCH_PAGES:
        secret = client.get(page, query_string={"q": world.SECRET})
        control = client.get(page, query_string={"q": CONTROL})
        assert secret.status_code == control.status_code == 200, page
        assert _neutral(secret.data, world.SECRET) == _neutral(control.data, CONTROL), page


@pytest.mark.parametrize("role", BLIND)
def test_did_you_mean_never_proposes_the_secret_word(clients, role):
    misspelt = world.SECRET[:-1] + "n"
    for page in SEARCH_PAGES:
        body = clients[role].get(page, query_string={"q": misspelt}).data
        assert world.SECRET.encode() not in body, page


def test_the_administrator_finds_and_is_offered_the_secret_word(clients):
    """The check above is not vacuous: the index holds the word and suggests it."""
    admin = clients["admin"]
    assert b"Beta" in admin.get("/forums/search", query_string={"q": world.SECRET}).data
    assert b"Beta" in admin.get("/library/", query_string={"q": world.SECRET}).data
    misspelt = admin.get("/library/", query_string={"q": world.SECRET[:-1] + "n"}).data
    assert world.SECRET.encode() in misspelt


def test_more_like_this_shows_the_private_twin_only_to_who_may_open_it(world_app, clients):
    url = f"/library/{world_app.world['doc_net']}"
    assert b"Beta" in clients["admin"].get(url).data
    for role in BLIND:
        page = clients[role].get(url)
        assert page.status_code == 200 and b"Beta" not in page.data, role


# --- calendar feeds with keys ---------------------------------------------------------

def test_a_feed_key_opens_the_feeds_of_its_owner_and_no_more(world_app, clients):
    """Calendar apps have no session: the key stands in for the member."""
    anonymous, key = clients["anonymous"], world_app.world["key_member"]
    feed = anonymous.get("/events.ics", query_string={"key": key})
    assert feed.status_code == 200 and b"BEGIN:VCALENDAR" in feed.data
    assert world.SECRET.encode() not in feed.data
    assert anonymous.get("/events/groups/group-a.ics", query_string={"key": key}).status_code == 200
    assert anonymous.get("/events/groups/group-b.ics", query_string={"key": key}).status_code == 404
    atom = anonymous.get("/forums/c/general/feed.atom", query_string={"key": key})
    assert atom.status_code == 200 and b"<feed" in atom.data
    assert world.SECRET.encode() not in atom.data  # no group B, deleted or hidden post


@pytest.mark.parametrize("key", ["revoked", "outsider", "forged"])
def test_a_revoked_forged_or_shut_out_key_is_refused(world_app, clients, key):
    token = world_app.world.get(f"key_{key}", "WzMsIngiXQ.forged")
    for url in ("/events.ics", "/events/groups/group-a.ics", "/events/groups/group-b.ics",
                "/forums/c/general/feed.atom"):
        response = clients["anonymous"].get(url, query_string={"key": token})
        assert response.status_code == 404, url
        assert b"VCALENDAR" not in response.data


# --- notifications and the mail they become ----------------------------------------------

def test_notifications_and_digests_carry_nothing_the_reader_may_not_see(world_app):
    """Members watching the whole category hear of network topics, not of group B's."""
    with world_app.app_context():
        delivery.deliver_immediate()
        delivery.send_digests()
        sent = {email: [m.subject + m.body_text for m in db.session.scalars(
                    select(MailMessage).where(MailMessage.to_addr == email))]
                for email in (world.EMAILS["member"], world.EMAILS["nominator"],
                              world.EMAILS["moderator"])}
        db.session.remove()
    for email in (world.EMAILS["member"], world.EMAILS["nominator"]):
        assert sent[email], f"{email} got no mail: the check would be vacuous"
        assert not any(world.SECRET in text for text in sent[email]), email
    assert any(world.SECRET in text for text in sent[world.EMAILS["moderator"]])


# --- the committee's words -------------------------------------------------------------

@pytest.mark.parametrize(("role", "sees"), [("committee", True), ("admin", True),
                                            ("conflicted", False), ("nominator", False)])
def test_reviews_and_discussion_are_kept_from_the_conflicted_and_the_nominator(
        world_app, clients, role, sees):
    nomination = world_app.world["nomination_sub"]
    for url in (f"/awards/n/{nomination}", f"/awards/{world_app.world['cycle_live']}/ranking"):
        page = clients[role].get(url)
        if page.status_code != 200:
            continue  # the nominator has no ranking: the matrix says so
        assert (world.COMMITTEE_WORD.encode() in page.data) == (sees and "/n/" in url), url
