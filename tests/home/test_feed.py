"""The activity feed: what a member sees, what they never see, filters, pages, cost."""

from datetime import timedelta

import pytest

from pen import activity
from pen.auth.models import UserStatus
from pen.extensions import db
from pen.forums import service as forums
from pen.groups.models import Activity, GroupMembership, Meeting
from pen.groups.permissions import forget_memberships
from pen.home import feed
from pen.library.models import ACCESS_ADMINS, ACCESS_GROUP
from pen.onboarding import service as onboarding
from pen.onboarding.models import Invitation
from pen.tokens import new_token
from pen.types import utcnow

from .conftest import add_document, announced_cycle, join


def titles(user, **query) -> list[str]:
    """The titles on the first page of ``user``'s feed."""
    return [f"{item.source}:{item.title}" for item in feed.page(user, feed.Query(**query)).items]


def test_member_sees_news_of_every_kind(member, make_user, category, make_group, admin):
    topic = forums.create_topic(member, category, "Inventory of transformers", "Where to start?")
    forums.reply(make_user(), topic, "With the utilities.")
    add_document("Guidance on PCB inventories")
    group = make_group("disposal")
    join(member, group)
    announced_cycle("PEN Awards 2011", announced=True)
    seen = titles(member)
    assert "topic:Inventory of transformers" in seen
    assert "reply:Inventory of transformers" in seen
    assert "document:Guidance on PCB inventories" in seen
    assert "member:Nguyen Thi Lan" in seen
    assert "group_join:" in seen
    assert "award:PEN Awards 2011" in seen


def test_newest_first(member, category):
    for title in ("First topic", "Second topic", "Third topic"):
        forums.create_topic(member, category, title, "Body text.")
    assert titles(member, kinds=("forums",)) == [
        "topic:Third topic", "topic:Second topic", "topic:First topic"]


def test_never_sees_another_groups_topic_or_document(member, make_user, category, make_group):
    theirs = make_group("maintenance")
    insider = make_user()
    join(insider, theirs)
    topic = forums.create_topic(insider, category, "Private maintenance talk", "Only us.",
                                group_id=theirs.id)
    forums.reply(insider, topic, "Indeed.")
    add_document("Group shelf paper", access=ACCESS_GROUP, group=theirs, uploader=insider)
    db.session.add_all([Meeting(group_id=theirs.id, title="Closed-door meeting",
                                starts_at=utcnow() + timedelta(days=3)),
                        Activity(group_id=theirs.id, title="Secret work item")])
    db.session.commit()
    seen = " ".join(titles(member))
    for secret in ("Private maintenance talk", "Group shelf paper", "Closed-door meeting",
                   "Secret work item"):
        assert secret not in seen
    assert all(item.group_id != theirs.id for item in feed.page(member, feed.Query()).items)
    assert "Closed-door meeting" in " ".join(titles(insider))
    assert "Private maintenance talk" in " ".join(titles(insider))


def test_never_sees_a_deleted_topic_or_its_replies(member, make_user, category):
    author = make_user()
    topic = forums.create_topic(author, category, "Soon deleted", "Oops.")
    forums.reply(member, topic, "A reply.")
    forums.delete_post(author, topic_first_post(topic))
    assert "Soon deleted" not in " ".join(titles(member))


def topic_first_post(topic):
    """The opening post of ``topic``."""
    from pen.forums.models import Post
    return db.session.query(Post).filter_by(topic_id=topic.id, number=1).one()


def test_never_sees_an_admins_only_document(member, admin):
    add_document("Board minutes", access=ACCESS_ADMINS, uploader=admin)
    assert "Board minutes" not in " ".join(titles(member))
    assert "document:Board minutes" in titles(admin)


def test_never_sees_unpublished_award_results(member, admin):
    announced_cycle("PEN Awards 2012", announced=False)
    assert "PEN Awards 2012" not in " ".join(titles(member))
    assert "PEN Awards 2012" not in " ".join(titles(admin))


def test_new_editions_and_versions(member):
    first = add_document("Technical guidelines")
    add_document("Directrices técnicas", work=first.work, language="es")
    items = feed.page(member, feed.Query(kinds=("library",))).items
    assert [(item.title, item.number) for item in items] == [
        ("Directrices técnicas", 1), ("Technical guidelines", 0)]


def test_invited_and_suspended_accounts_are_not_new_members(member, make_user):
    make_user(name="Not yet here", status=UserStatus.INVITED)
    make_user(name="Shown the door", status=UserStatus.SUSPENDED)
    seen = " ".join(titles(member, kinds=("members",)))
    assert "Not yet here" not in seen and "Shown the door" not in seen


def test_my_groups_shows_only_my_groups(member, make_user, category, make_group):
    mine, other = make_group("inventories"), make_group("disposal")
    join(member, mine)
    forums.create_topic(member, category, "In my group", "Hello.", group_id=mine.id)
    forums.create_topic(member, category, "In the open forum", "Hello.")
    add_document("Network paper")
    items = feed.page(member, feed.Query(scope="mine")).items
    assert items and all(item.group_id == mine.id for item in items)
    assert "topic:In my group" in [f"{i.source}:{i.title}" for i in items]
    assert other.id not in {item.group_id for item in items}


def test_my_groups_merges_each_groups_newest_in_order_across_pages(member, category,
                                                                   make_group):
    """Each group is sought on its own; the page still reads newest first, no gaps."""
    quiet, busy, left = make_group("quiet"), make_group("busy"), make_group("left")
    for group in (quiet, busy, left):
        join(member, group)
    old = forums.create_topic(member, category, "Quiet topic", "Hello.", group_id=quiet.id)
    for number in range(4):
        topic = forums.create_topic(member, category, f"Busy {number}", "Hi.", group_id=busy.id)
        forums.reply(member, topic, f"Reply {number}")
    forums.reply(member, old, "A late reply in the quiet group")
    forums.create_topic(member, category, "After leaving", "Hi.", group_id=left.id)
    forums.create_topic(member, category, "In the open forum", "Hello.")
    db.session.delete(GroupMembership.query.filter_by(group_id=left.id,
                                                      user_id=member.id).one())
    db.session.commit()
    forget_memberships()
    first = feed.page(member, feed.Query(scope="mine", kinds=("forums",), limit=3))
    second = feed.page(member, feed.Query(scope="mine", kinds=("forums",), limit=20,
                                          before=first.next_cursor))
    seen = [f"{i.source}:{i.title}" for i in first.items + second.items]
    assert seen[0] == "reply:Quiet topic"
    assert seen.count("reply:Busy 3") == 1 and len(seen) == len(set(seen)) == 10
    assert [i.at for i in first.items + second.items] == sorted(
        (i.at for i in first.items + second.items), reverse=True)
    assert not {"topic:After leaving", "topic:In the open forum"} & set(seen)


def test_filter_by_kind(member, category):
    forums.create_topic(member, category, "A topic", "Body.")
    add_document("A document")
    assert {item.source for item in feed.page(member, feed.Query(kinds=("library",))).items} \
        == {"document"}


def test_pages_follow_each_other_without_gaps_or_repeats(member, category):
    moment = utcnow()
    for number in range(7):
        topic = forums.create_topic(member, category, f"Topic {number}", "Body.")
        topic.created_at = moment - timedelta(minutes=number // 2)  # ties on purpose
    db.session.commit()
    seen, cursor = [], None
    while True:
        page = feed.page(member, feed.Query(kinds=("forums",), before=cursor, limit=3))
        seen += [item.title for item in page.items]
        if page.next_cursor is None:
            break
        cursor = feed.Cursor.decode(page.next_cursor.encode())
    assert sorted(seen) == sorted(f"Topic {n}" for n in range(7))
    assert len(seen) == 7


def test_one_query_per_page_whatever_the_number_of_items(app, member, category, make_group,
                                                          count_queries):
    group = make_group("inventories")
    join(member, group)
    feed.page(member, feed.Query())  # memberships are looked up once per request
    costs = []
    for batch in (2, 20):
        for number in range(batch):
            topic = forums.create_topic(member, category, f"T{batch}-{number}", "Body.",
                                        group_id=group.id)
            forums.reply(member, topic, "Reply.")
            add_document(f"D{batch}-{number}", access=ACCESS_GROUP, group=group)
        db.session.expire_all()
        assert member.status == UserStatus.ACTIVE  # loaded, as the request's user would be
        forget_memberships()  # as at the start of a request
        with app.test_request_context(), count_queries() as statements:
            page = feed.page(member, feed.Query())
            [(item.actor_name, item.group_name) for item in page.items]
        costs.append(len(statements))
        assert len(page.items) >= min(feed.PAGE_SIZE, 3 * batch)
    assert costs[0] == costs[1]
    assert costs[1] == 2  # the member's groups (once per request), then the page


@pytest.mark.parametrize("value", ["nonsense", "2026-01-01T00:00:00~topic~1", "x~topic~1~0",
                                   "2026-01-01T00:00:00~bogus~1~0",
                                   "2026-01-01T00:00:00~topic~a~0"])
def test_bad_cursors_are_refused(value):
    with pytest.raises(feed.BadCursor):
        feed.Cursor.decode(value)


def test_a_member_who_accepts_an_invitation_is_news_on_that_day(member, make_user):
    """Listed by when they joined, not when the contact list created their account."""
    invited = make_user(name="Joined Today", status=UserStatus.INVITED)
    invited.created_at = utcnow() - timedelta(days=400)
    make_user(name="Created Last Week").activated_at = utcnow() - timedelta(days=7)
    token, digest = new_token()
    now = utcnow()
    db.session.add(Invitation(user=invited, token_digest=digest, created_at=now,
                              last_sent_at=now, expires_at=now + timedelta(days=28)))
    db.session.commit()
    onboarding.accept(token, onboarding.Joining(password="a long new passphrase 2011",
                                                display_name="Joined Today"))
    seen = titles(member, kinds=("members",))
    assert seen.index("member:Joined Today") < seen.index("member:Created Last Week")


def test_every_source_selects_the_columns_the_feed_reads(member):
    """The feed reads the union's columns by name (``activity.COLUMNS``): every source's
    rows must have exactly those, in that order."""
    for source in activity.sources().values():
        branch = source.branch(member, activity.Query("all", (), None))
        assert [c.name for c in branch.select.selected_columns] == list(activity.COLUMNS)
