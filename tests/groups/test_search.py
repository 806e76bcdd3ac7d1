"""Groups and their work plans in the site search, each through its registered rule."""

from pen.groups import membership, workplan
from pen.groups.workplan import ActivityFields


def _page(client, q):
    """The unified search page for ``q``, without the echo of the query in the form."""
    return client.get("/search", query_string={"q": q}).get_data(as_text=True).replace(
        f'value="{q}"', "")


def test_a_listed_group_is_found_by_name_and_description_and_links_to_its_page(
        make_group, indexed, member_client):
    make_group(slug="askarel", name="Askarel inventories",
               visibility="listed")
    indexed()
    page = _page(member_client, "askarel")
    assert "Groups" in page and 'href="/groups/askarel"' in page
    assert 'href="/groups/askarel"' in _page(member_client, "panama")  # the description


def test_an_unlisted_group_is_found_by_its_members_and_admins_only(
        make_group, indexed, member_client, client_as, coordinator, admin):
    make_group(slug="secret-cell", name="Secret cell on Sovol", visibility="unlisted")
    indexed()
    assert "secret-cell" not in _page(member_client, "sovol")
    assert 'href="/groups/secret-cell"' in _page(client_as(coordinator), "sovol")
    assert 'href="/groups/secret-cell"' in _page(client_as(admin), "sovol")


def test_the_work_plan_of_a_listed_group_stays_inside_it(
        make_group, indexed, member_client, client_as, coordinator):
    group = make_group(slug="plan-group", visibility="listed")
    activity = workplan.create_activity(coordinator, group, ActivityFields(
        "Pyralène drum survey", "Count the drums of Pyralène in the warehouses."))
    indexed()
    assert "drum survey" not in _page(member_client, "pyralene")  # not a member yet
    inside = _page(client_as(coordinator), "pyralene")
    assert f'href="/groups/plan-group/plan#activity-{activity.id}"' in inside
    assert "Work plans" in inside


def test_a_new_member_finds_the_plan_without_reindexing(
        make_group, indexed, member, client_as, coordinator):
    group = make_group(slug="open-group", join_policy="open", visibility="listed")
    workplan.create_activity(coordinator, group, ActivityFields("Aroclor sampling"))
    indexed()
    membership.join(member, group)
    assert 'href="/groups/open-group/plan#activity-' in _page(client_as(member), "aroclor")


def test_a_removed_activity_leaves_the_search(make_group, indexed, client_as, coordinator):
    group = make_group(slug="gone-group")
    activity = workplan.create_activity(coordinator, group, ActivityFields("Askarel audit"))
    indexed()
    workplan.delete_activity(coordinator, activity)
    indexed()
    assert "activity-" not in _page(client_as(coordinator), "askarel")
