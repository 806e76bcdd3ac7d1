"""A closed and erased account leaves no trace in the groups: no membership, no request,
no invitation, no work-plan ownership."""

from datetime import timedelta

from sqlalchemy import func, select

from pen.extensions import db
from pen.groups import membership
from pen.groups.models import GroupMembership, JoinRequest
from pen.privacy import closing
from pen.types import utcnow
from tests.conftest import PASSWORD


def rows_of(model, user_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(model)
                             .where(model.user_id == user_id))


def test_an_erased_member_belongs_to_no_group(make_group, member, make_user, client_as):
    open_group = make_group("open-group", join_policy="open", name="Open group")
    by_request = make_group("by-request", join_policy="request", name="By request")
    membership.join(member, open_group)
    membership.request_to_join(member, by_request, "I run the national inventory.")
    db.session.commit()
    user_id = member.id
    assert rows_of(GroupMembership, user_id) == 1 and rows_of(JoinRequest, user_id) == 1

    closing.request_closure(member, PASSWORD)
    assert closing.erase_due(utcnow() + timedelta(days=15)) == 1

    assert rows_of(GroupMembership, user_id) == 0 and rows_of(JoinRequest, user_id) == 0
    page = client_as(make_user()).get("/groups/open-group/members")
    assert "Former member" not in page.get_data(as_text=True)
