"""What groups add to lower layers: profiles, the directory, contact fields, the checklist."""

import re

from pen.extensions import db
from pen.groups import membership
from pen.members import service as members
from pen.onboarding import checklist


def test_profile_lists_the_groups_the_viewer_may_see(make_group, member, coordinator,
                                                     make_user, client_as):
    listed = make_group(slug="listed", name="Inventories group", join_policy="open")
    hidden = make_group(slug="hidden", name="Quiet group", visibility="unlisted")
    membership.join(member, listed)
    membership.answer_invitation(member, membership.invite(coordinator, hidden, member), True)
    html = client_as(make_user()).get(f"/members/{member.id}").get_data(as_text=True)
    assert "Thematic groups" in html and "Inventories group" in html
    assert "Quiet group" not in html
    assert "Quiet group" in client_as(coordinator).get(f"/members/{member.id}").get_data(
        as_text=True)


def test_directory_filters_by_group(make_group, member, coordinator, make_user, client_as):
    group = make_group(slug="listed", name="Inventories group", join_policy="open")
    membership.join(member, group)
    make_user(name="Outside Person")
    client = client_as(make_user(name="Viewer Person"))
    html = client.get(f"/members/?group={group.id}").get_data(as_text=True)
    assert "Nguyen Thi Lan" in html and "Kofi Mensah" in html
    assert "Outside Person" not in html and "2 members" in html
    assert "Thematic group: Inventories group" in html  # the active filter, named
    assert "Nguyen" in client.get(f"/members/?group={group.id}&q=nguyen").get_data(
        as_text=True)


def test_directory_filter_on_an_unseen_group_finds_nobody(make_group, member, coordinator,
                                                          make_user, client_as):
    hidden = make_group(slug="hidden", name="Quiet group", visibility="unlisted")
    html = client_as(make_user()).get(f"/members/?group={hidden.id}").get_data(as_text=True)
    assert "Kofi Mensah" not in html and "Quiet group" not in html


def test_directory_filter_offers_only_the_groups_the_viewer_sees(make_group, member,
                                                                coordinator, make_user,
                                                                client_as, admin):
    listed = make_group(slug="listed", name="Inventories group", join_policy="open")
    mine = make_group(slug="mine", name="Quiet group", visibility="unlisted")
    other = make_group(slug="other", name="Closed circle", visibility="unlisted")
    membership.answer_invitation(member, membership.invite(coordinator, mine, member), True)

    def options(user) -> set[str]:
        html = client_as(user).get("/members/").get_data(as_text=True)
        select = html[html.index('<select id="filter-group"'):]
        return set(re.findall(r'<option value="(\d+)"', select[:select.index("</select>")]))

    assert options(member) == {str(listed.id), str(mine.id)}
    assert options(make_user()) == {str(listed.id)}
    assert options(admin) == {str(listed.id), str(mine.id), str(other.id)}


def test_contact_shown_to_those_sharing_a_group(make_group, member, coordinator, make_user,
                                                client_as):
    profile = members.profile_of(member)
    profile.email_visibility = "groups"
    db.session.commit()
    group = make_group(slug="listed", join_policy="open")
    assert member.email not in client_as(coordinator).get(
        f"/members/{member.id}").get_data(as_text=True)
    membership.join(member, group)
    assert member.email in client_as(coordinator).get(f"/members/{member.id}").get_data(
        as_text=True)
    assert member.email not in client_as(make_user()).get(f"/members/{member.id}").get_data(
        as_text=True)


def test_checklist_links_and_ticks_the_group_step(app, make_group, member):
    with app.test_request_context():
        step = next(s for s in checklist.steps_for(member) if s.key == "group")
        assert step.url == "/groups/" and not step.done
        membership.join(member, make_group(slug="listed", join_policy="open"))
        assert next(s for s in checklist.steps_for(member) if s.key == "group").done
