"""The library's visibility rules agree with themselves: ``can``, ``clause`` and the index.

Property tests over generated members (roles, group memberships, suspended or
invited accounts) and works with their editions (open to the network, to a group
— one the member is in or not, or none left — or to administrators): for every
pair, the registered rule's Python form, its SQL form (the search adapter's and
the notification target's database checks) and its index form (the search
document's acl against the member's terms) give the documented answer.
"""

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from pen import notifications, search
from pen.auth.models import UserStatus
from pen.extensions import db
from pen.library import indexing
from pen.library.models import ACCESS_ADMINS, ACCESS_GROUP, ACCESS_NETWORK, Document, Work
from pen.visibility import rule_for
from tests.visibility_helpers import (
    AGREEMENT,
    assert_agree,
    group_choice,
    make_groups,
    make_users,
    user_specs,
)

accesses = st.sampled_from([ACCESS_NETWORK, ACCESS_GROUP, ACCESS_ADMINS])
work_specs = st.lists(st.tuples(accesses, group_choice, st.integers(1, 2)),
                      min_size=1, max_size=4)  # (access, group, editions)


def make_works(specs, group_ids) -> tuple[list[Work], list[Document]]:
    """Works and their editions as the specs say, written straight to the tables."""
    works, documents = [], []
    for access, group, editions in specs:
        work = Work(doc_type="report", access=access,
                    group_id=group_ids[group - 1] if group else None)
        db.session.add(work)
        db.session.flush()
        for language in ("en", "fr")[:editions]:
            document = Document(work=work, language=language, title="A document")
            db.session.add(document)
            documents.append(document)
        works.append(work)
    db.session.flush()
    return works, documents


def work_oracle(row, work) -> bool:
    """The documented policy: active members; network works for all of them; a
    group's works for its members; administrators open every work."""
    _user, roles, status, groups = row
    if status != UserStatus.ACTIVE:
        return False
    if work.access == ACCESS_NETWORK or "admin" in roles:
        return True
    return work.access == ACCESS_GROUP and work.group_id in groups


def _work_ids(user, ids) -> set[int]:
    """The works a query filtered with the registered rule's clause returns."""
    query = select(Work.id).where(Work.id.in_(ids), rule_for("library_work").clause(user))
    return set(db.session.scalars(query))


@AGREEMENT
@given(users=user_specs, works=work_specs)
def test_work_and_document_rules_agree(app, users, works):
    """can == clause == index == policy, for every member and every work and edition."""
    group_ids = make_groups()
    user_rows = make_users(users, group_ids)
    made_works, made_documents = make_works(works, group_ids)
    db.session.commit()

    work_rule = rule_for("library_work")
    assert_agree(work_rule, user_rows, made_works, sql_ids=_work_ids,
                 index_visible=lambda u, w: work_rule.visible_in_index(u, w),
                 oracle=work_oracle)

    adapter = search.get_adapter("library_document")
    target = notifications.RuleTarget("library_document")

    def in_index(user, document) -> bool:
        """The adapter's document acl against the adapter's terms."""
        found = indexing.to_document(document, "")
        return bool(set(found.acl) & set(adapter.visibility_terms(user)))

    def in_sql(user, ids) -> set[int]:
        """The adapter's database check, which must equal the notification target's."""
        by_adapter = adapter.is_visible(user, ids)
        assert by_adapter == target(user, ids)  # the search check and the bell's agree
        return by_adapter

    assert_agree(rule_for("library_document"), user_rows, made_documents, sql_ids=in_sql,
                 index_visible=in_index, oracle=lambda row, d: work_oracle(row, d.work))


def test_the_real_index_filters_as_the_rule_says(app, indexed, monkeypatch):
    """Through Whoosh itself: with the database re-check switched off, what a search
    lists for each member is exactly the editions ``can`` lets them open."""
    group_ids = make_groups()
    specs = [("member", UserStatus.ACTIVE, {1}), ("member", UserStatus.ACTIVE, set()),
             ("moderator", UserStatus.ACTIVE, {2}), ("admin", UserStatus.ACTIVE, set()),
             ("member", UserStatus.SUSPENDED, {1})]
    user_rows = make_users(specs, group_ids)
    works = [(access, group, 2) for access in (ACCESS_NETWORK, ACCESS_GROUP, ACCESS_ADMINS)
             for group in (None, 1, 2)]
    _, documents = make_works(works, group_ids)
    for document in documents:
        search.enqueue("library_document", document.id)
    db.session.commit()
    indexed()

    adapter = search.get_adapter("library_document")
    monkeypatch.setattr(adapter, "is_visible", lambda user, ids: set(ids))
    rule = rule_for("library_document")
    sizes = []
    for user, *_ in user_rows:
        found = {hit.id for hit in
                 search.search("library_document", user, "", per_page=100).hits}
        assert found == {d.id for d in documents if rule.can(user, d)}, user
        sizes.append(len(found))
    assert 0 < sizes[1] < sizes[0] < sizes[3] and sizes[4] == 0  # the world has contrasts
