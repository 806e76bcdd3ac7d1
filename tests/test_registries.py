"""Extension points live on the app: two apps in one process share none of them."""

from flask import Flask

from pen.auth import permissions
from pen.i18n import MemberPreferences, recipients, register_member_preferences
from pen.members import permissions as member_permissions


def test_template_predicates_belong_to_their_app(app):
    """An area's predicate is found in the app that registered it, not in another."""
    assert permissions.predicate("view_event") is not None  # the events area's
    assert permissions.predicate("member") is permissions.is_member  # auth's own
    other = Flask("other")
    permissions.register_predicate(other, "only_here", lambda user: True)
    with other.app_context():
        assert permissions.predicate("view_event") is None
        assert permissions.predicate("only_here") is not None
    assert permissions.predicate("only_here") is None


def test_member_preferences_and_group_check_belong_to_their_app(app, member):
    """Another app's registrations change nothing in this one."""
    other = Flask("other")
    register_member_preferences(other, MemberPreferences(recipients=lambda ids: {}))
    member_permissions.register_shared_group_check(other, lambda a, b: True)
    assert not member_permissions.shares_group(member, member.id + 1)
    with other.app_context():
        assert member_permissions.shares_group(member, member.id + 1)
        assert recipients([member.id])[member.id].locale == "en"
