"""The messages' visibility rules agree with themselves: ``can``, ``clause`` and the index.

Generated members (roles, suspended or invited accounts) and conversations, each
with some of them as participants, present or gone: for every pair, the
registered rule's Python form, its SQL form (the search adapter's and the
notification target's checks) and its index form (the document's acl against the
member's terms) give the documented answer: active members who are present
participants, and nobody else — administrators neither.
"""

from hypothesis import given
from hypothesis import strategies as st

from pen import notifications, search
from pen.auth.models import UserStatus
from pen.extensions import db
from pen.messages.models import Conversation, Message, Participant
from pen.types import utcnow
from pen.visibility import rule_for
from tests.visibility_helpers import AGREEMENT, assert_agree, make_groups, make_users, user_specs

# Each conversation: for each of up to 4 members, absent, present or gone.
conversation_specs = st.lists(st.lists(st.sampled_from(["absent", "present", "left"]),
                                       min_size=4, max_size=4), min_size=1, max_size=3)


def make_conversations(specs, users) -> tuple[list[Conversation], list[Message]]:
    """Conversations with one message each, their participants as the specs say."""
    conversations, messages = [], []
    for states in specs:
        conversation = Conversation(subject="Agreement")
        for user, state in zip(users, states, strict=False):
            if state != "absent":
                conversation.participants.append(Participant(
                    user_id=user.id, left_at=utcnow() if state == "left" else None))
        message = Message(conversation=conversation, body="x", body_html="<p>x</p>")
        db.session.add_all([conversation, message])
        conversations.append(conversation)
        messages.append(message)
    db.session.flush()
    return conversations, messages


def oracle(row, conversation) -> bool:
    """Active members who are present participants, whatever their role."""
    user, _roles, status, _groups = row
    return status == UserStatus.ACTIVE and any(
        p.user_id == user.id and p.left_at is None for p in conversation.participants)


@AGREEMENT
@given(users=user_specs, specs=conversation_specs)
def test_conversation_and_message_rules_agree(app, users, specs):
    """can == clause == index == policy, for every member and every conversation."""
    user_rows = make_users(users, make_groups())
    conversations, messages = make_conversations(specs, [row[0] for row in user_rows])
    db.session.commit()
    rule = rule_for("message_conversation")
    assert_agree(rule, user_rows, conversations, sql_ids=rule.visible_ids,
                 index_visible=rule.visible_in_index, oracle=oracle)
    adapter, target = search.get_adapter("message"), notifications.RuleTarget("message")

    def in_sql(user, ids) -> set[int]:
        by_adapter = adapter.is_visible(user, ids)
        assert by_adapter == target(user, ids)
        return by_adapter

    def in_index(user, message) -> bool:
        [document] = adapter.documents([message.id])
        return bool(set(document.acl) & set(adapter.visibility_terms(user)))

    assert_agree(rule_for("message"), user_rows, messages, sql_ids=in_sql,
                 index_visible=in_index, oracle=lambda row, m: oracle(row, m.conversation))
