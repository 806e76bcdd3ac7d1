"""``pen.visibility``: registry, the index form's shape, and what a rule change does."""

import pytest

from pen import search, visibility
from pen.forums.models import Topic
from pen.search import index
from pen.search.schema import build_schema
from pen.visibility import AnyOf, In, Is, Rule, UserIs


def _rule(extra=()) -> Rule:
    """A small rule over topics: members; open topics or those of the user's groups."""
    return Rule("demo", Topic, UserIs("member", lambda u: u is not None),
                AnyOf(Is("open", Topic.group_id, None),
                      In("group", Topic.group_id, lambda u: u.groups), *extra))


class Viewer:
    """A user as the rule sees one: an id and groups."""

    def __init__(self, groups=()):
        """A viewer in ``groups``."""
        self.id, self.groups = 1, set(groups)


def test_a_public_object_carries_one_term_and_a_group_object_its_group():
    """Marks of an alternative that holds for everyone are the only ones kept."""
    rule = _rule()
    assert rule.acl(Topic(group_id=None)) == {"member&open"}
    assert rule.acl(Topic(group_id=4)) == {"member&group:4"}
    assert rule.terms(Viewer({4})) == {"member&open", "member&group:4"}
    assert rule.terms(None) == set()


def test_can_and_the_index_form_agree_on_plain_objects():
    """``can`` and ``visible_in_index`` answer alike without a database."""
    rule = _rule()
    for topic in (Topic(group_id=None), Topic(group_id=4), Topic(group_id=5)):
        for viewer in (Viewer(), Viewer({4}), None):
            assert rule.can(viewer, topic) == rule.visible_in_index(viewer, topic)


def test_rules_are_registered_per_app_once(app):
    """One rule per kind and app; asking for an unknown kind is an error."""
    rule = _rule()
    visibility.register_rule(app, "demo", rule)
    visibility.register_rule(app, "demo", rule)  # the same one again is harmless
    assert visibility.rule_for("demo") is rule
    with pytest.raises(ValueError):
        visibility.register_rule(app, "demo", _rule())
    with pytest.raises(KeyError):
        visibility.rule_for("no-such-kind")


def test_changing_a_rule_changes_its_signature_and_the_index_schema():
    """A new rule shape gives the adapter a new acl scheme, so indexes are rebuilt."""
    before, after = _rule(), _rule((UserIs("admin", lambda u: False),))
    assert before.signature() != after.signature()

    class Demo(search.Adapter):
        kind = "demo"
        text_fields = {"body": 1.0}

    old, new = Demo(), Demo()
    old.acl_scheme, new.acl_scheme = before.signature(), after.signature()
    assert index.signature(build_schema(old)) != index.signature(build_schema(new))


def test_a_nested_alternative_is_the_same_rule():
    """``AnyOf(a, AnyOf(b, c))`` has the terms and the signature of ``AnyOf(a, b, c)``:
    sharing a part between rules (``groups.permissions.in_group``) rebuilds no index."""
    member = UserIs("member", lambda u: u is not None)
    flat = Rule("demo", Topic, member, AnyOf(Is("open", Topic.group_id, None),
                                             UserIs("all", lambda u: False),
                                             In("group", Topic.group_id, lambda u: u.groups)))
    nested = Rule("demo", Topic, member, AnyOf(Is("open", Topic.group_id, None),
                                               AnyOf(UserIs("all", lambda u: False),
                                                     In("group", Topic.group_id,
                                                        lambda u: u.groups))))
    assert nested.signature() == flat.signature()
    assert nested.acl(Topic(group_id=4)) == flat.acl(Topic(group_id=4))
    assert nested.terms(Viewer({4})) == flat.terms(Viewer({4}))


def test_sql_stops_asking_once_the_answer_is_known():
    """An alternative that holds for the user (an administrator) makes the others'
    values unasked; a condition that fails (not a member) likewise: each may cost a query."""
    asked = []

    def groups_of(user):
        """The user's groups, noting that they were asked."""
        asked.append(user)
        return {4}

    def rule(is_admin):
        """Members; administrators, or the user's groups."""
        return Rule("demo", Topic, UserIs("member", lambda u: u is not None),
                    AnyOf(UserIs("admin", lambda u: is_admin),
                          In("group", Topic.group_id, groups_of)))

    rule(True).clause(Viewer())
    rule(False).clause(None)
    assert asked == []
    rule(False).clause(Viewer())
    assert len(asked) == 1
