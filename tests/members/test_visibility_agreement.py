"""The profile rule agrees with itself: ``can``, ``clause`` (the search adapter's check,
the directory's filter) and the index (the member documents' acl).

Property test over generated accounts (member, moderator or administrator;
active, suspended or invited): for every pair of viewer and profile, the
registered rule's Python form (the profile page's ``can_view_profile``), its SQL
form and its index form give the documented answer: active members' profiles are
open to every active member, every account's to administrators.
"""

from hypothesis import given
from sqlalchemy import select

from pen import search
from pen.auth.models import User, UserStatus
from pen.extensions import db
from pen.members import indexing, permissions, service
from pen.visibility import rule_for
from tests.visibility_helpers import AGREEMENT, assert_agree, make_groups, make_users, user_specs


def profile_oracle(row, account) -> bool:
    """The documented policy."""
    _viewer, roles, status, _groups = row
    if status != UserStatus.ACTIVE:
        return False
    return account.status == UserStatus.ACTIVE or "admin" in roles


@AGREEMENT
@given(viewers=user_specs, profiles=user_specs)
def test_profile_rule_agrees(app, viewers, profiles):
    """can == clause == index == policy, for every viewer and account."""
    group_ids = make_groups()
    viewer_rows = make_users(viewers, group_ids)
    accounts = [row[0] for row in make_users(profiles, group_ids)]
    db.session.commit()
    adapter = search.get_adapter(indexing.KIND)

    def in_sql(user, ids) -> set[int]:
        """The adapter's check, which must be the directory's filter."""
        by_adapter = adapter.is_visible(user, ids)
        by_directory = set(db.session.scalars(select(User.id).where(
            User.id.in_(ids), permissions.visible_profile_clause(user))))
        assert by_adapter == by_directory
        return by_adapter

    def in_index(user, account) -> bool:
        """The member document's acl against the adapter's terms."""
        document = next(iter(adapter.documents([account.id])))
        return bool(set(document.acl) & set(adapter.visibility_terms(user)))

    assert_agree(rule_for(permissions.PROFILE_KIND), viewer_rows, accounts, sql_ids=in_sql,
                 index_visible=in_index, oracle=profile_oracle)
    for row in viewer_rows:  # the profile page's predicate says the same
        for account in accounts:
            assert permissions.can_view_profile(row[0], service.profile_of(account)) == \
                profile_oracle(row, account)
