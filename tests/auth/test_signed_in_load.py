"""A signed-in page loads its member in one statement, and nothing of it outlives the
request: a role removed, a session ended, an account suspended, the site mode or a
membership changed, a notification or a message arrived show on the very next page."""

import re

import pytest
from flask import render_template
from flask_login import current_user
from sqlalchemy import delete, insert

from pen.auth import sessions
from pen.auth.models import Role, User, UserStatus, user_roles
from pen.auth.system import SYSTEM
from pen.extensions import db
from pen.groups import membership
from pen.groups import permissions as group_permissions
from pen.groups import service as groups
from pen.groups.service import GroupFields
from pen.members.service import profile_of, set_locale
from pen.messages import service as messages
from pen.messages.models import Conversation
from pen.messages.permissions import CONVERSATION_KIND
from pen.notifications import service as notes
from pen.notifications.models import Notification
from pen.onboarding import service as onboarding
from tests.conftest import statements_of_get

#: the session, the account, its roles, the profile's language and clock, the site mode,
#: the member's groups and both counts beside the bell: one statement
BASE_STATEMENTS = 1


@pytest.fixture(autouse=True)
def _pages(app):
    """Members-only pages, added before any request: the layout and nothing else, and the
    member's groups as the permissions see them."""
    app.add_url_rule("/_test/base", "test_base", lambda: render_template("base.html"))
    app.add_url_rule("/_test/read/<int:talk>", "test_read", _read_then_draw)
    app.add_url_rule("/_test/note/<int:talk>", "test_note", _note_then_draw)
    app.add_url_rule("/_test/french", "test_french", _choose_french_then_draw)
    app.add_url_rule("/_test/groups", "test_groups", lambda: {
        str(gid): role for gid, role in group_permissions._roles_by_group(current_user).items()})


def _read_then_draw(talk: int):
    messages.mark_read(current_user, db.session.get(Conversation, talk))  # an object flushed
    return render_template("base.html")


def _note_then_draw(talk: int):
    db.session.execute(insert(Notification).values(  # a statement, no object flushed
        user_id=current_user.id, kind="message.new", target_type=CONVERSATION_KIND,
        target_id=talk, title="A note", url="/"))
    return render_template("base.html")


def _choose_french_then_draw():
    set_locale(current_user, "fr")  # an object flushed
    return render_template("base.html")


@pytest.fixture
def base_page():
    """The layout alone."""
    return "/_test/base"


def test_a_signed_in_page_loads_its_member_in_one_statement(member_client, base_page):
    member_client.get(base_page)
    statements = statements_of_get(member_client, base_page)
    assert len(statements) <= BASE_STATEMENTS, statements
    assert not [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]


def test_nothing_unread_shows_no_count(member_client, base_page):
    html = member_client.get(base_page).get_data(as_text=True)
    assert "pen-bell-count" not in html and "text-bg-warning" not in html


def test_a_role_removed_in_the_database_counts_on_the_next_request(admin_client, admin):
    assert admin_client.get("/admin/users").status_code == 200
    admin_role = db.session.scalar(db.select(Role).where(Role.name == "admin"))
    db.session.execute(delete(user_roles).where(user_roles.c.user_id == admin.id,
                                                user_roles.c.role_id == admin_role.id))
    db.session.commit()
    assert admin_client.get("/admin/users").status_code == 403


def test_a_session_ended_signs_out_on_the_next_request(member_client, member, base_page):
    assert member_client.get(base_page).status_code == 200
    sessions.end_all(member)
    db.session.commit()
    assert member_client.get(base_page).status_code == 302


def test_a_member_suspended_in_the_database_is_out_on_the_next_request(member_client, member,
                                                                      base_page):
    assert member_client.get(base_page).status_code == 200
    db.session.get(User, member.id).status = UserStatus.SUSPENDED  # sessions left in place
    db.session.commit()
    assert member_client.get(base_page).status_code == 302


def test_the_site_mode_counts_on_the_next_request(member_client, base_page):
    assert member_client.get(base_page).status_code == 200
    onboarding.set_site_mode(SYSTEM, "pilot")
    assert member_client.get(base_page).status_code == 403
    onboarding.set_site_mode(SYSTEM, "open")
    assert member_client.get(base_page).status_code == 200


def test_the_language_chosen_on_the_profile_counts_on_the_next_request(member_client, member,
                                                                      base_page):
    profile_of(member).locale = "fr"
    db.session.commit()
    assert 'lang="fr"' in member_client.get(base_page).get_data(as_text=True)


def test_group_memberships_count_on_the_next_request(member_client, member, admin, make_user):
    coordinator = make_user()
    fields = GroupFields("Maintenance of PCB-containing equipment", "pcb-maintenance",
                         "We met in Panama City.", "listed", "open")
    first = groups.create_group(admin, fields, [coordinator])
    second = groups.create_group(
        admin, GroupFields("Destruction", "destruction", "", "listed", "open"), [member])
    assert member_client.get("/_test/groups").get_json() == {str(second.id): "coordinator"}
    membership.join(member, first)
    assert member_client.get("/_test/groups").get_json() == {
        str(first.id): "member", str(second.id): "coordinator"}
    membership.leave(member, first)
    assert member_client.get("/_test/groups").get_json() == {str(second.id): "coordinator"}


def test_a_message_shows_on_the_bell_and_the_badge_on_the_next_page(member_client, member,
                                                                    admin, base_page):
    assert "text-bg-warning" not in member_client.get(base_page).get_data(as_text=True)
    messages.start(admin, [member], "Inventory", "The 2025 inventory is due.")
    html = member_client.get(base_page).get_data(as_text=True)
    assert re.search(r'pen-bell-count[^>]*>1<', html)
    assert re.search(r'href="/messages/"[^>]*>[^<]*<span class="badge[^"]*">1<', html)


def test_what_a_request_writes_counts_on_its_own_page(member_client, member, admin):
    talk = messages.start(admin, [member], "Inventory", "The 2025 inventory is due.")
    notes.mark_all_read(member)
    html = member_client.get(f"/_test/read/{talk.id}").get_data(as_text=True)
    assert "text-bg-warning" not in html  # read in this request: no badge on its page
    html = member_client.get(f"/_test/note/{talk.id}").get_data(as_text=True)
    assert re.search(r'pen-bell-count[^>]*>1<', html)
    assert 'lang="fr"' in member_client.get("/_test/french").get_data(as_text=True)


def test_unread_notifications_cost_the_layout_one_statement_more(member_client, member, admin,
                                                                 base_page):
    messages.start(admin, [member], "Inventory", "The 2025 inventory is due.")
    statements = statements_of_get(member_client, base_page)
    assert len(statements) <= BASE_STATEMENTS + 1, statements  # the visible ones counted
    assert re.search(r'pen-bell-count[^>]*>1<', member_client.get(base_page).get_data(as_text=True))
