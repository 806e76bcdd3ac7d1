"""Events in the site search, through the registered "event" rule."""

from pen.events import service
from tests.events.conftest import fields


def _page(client, q):
    """The unified search page for ``q``, without the echo of the query in the form."""
    return client.get("/search", query_string={"q": q}).get_data(as_text=True).replace(
        f'value="{q}"', "")


def test_a_network_event_is_found_by_every_member_and_links_to_its_page(
        make_event, indexed, member_client):
    event = make_event(fields("Webinar on askarel disposal", venue="Dakar"))
    indexed()
    page = _page(member_client, "askarel")
    assert "Events" in page and f'href="/events/{event.id}"' in page
    assert f'href="/events/{event.id}"' in _page(member_client, "dakar")


def test_a_group_event_is_found_by_its_members_only(
        make_event, group, indexed, member_client, client_as, coordinator, admin):
    event = make_event(fields("Members-only Sovol clinic", group_id=group.id))
    indexed()
    assert f"/events/{event.id}" not in _page(member_client, "sovol")
    assert f'href="/events/{event.id}"' in _page(client_as(coordinator), "sovol")
    assert f'href="/events/{event.id}"' in _page(client_as(admin), "sovol")


def test_moving_an_event_into_a_group_hides_it_from_other_members(
        make_event, admin, group, indexed, member_client):
    event = make_event(fields("Pyralène retrofilling"))
    indexed()
    assert f'href="/events/{event.id}"' in _page(member_client, "pyralene")
    service.update_event(admin, event, fields("Pyralène retrofilling", group_id=group.id))
    indexed()
    assert f"/events/{event.id}" not in _page(member_client, "pyralene")


def test_a_deleted_event_leaves_the_search(make_event, admin, indexed, member_client):
    event = make_event(fields("Aroclor webinar"))
    indexed()
    service.delete_event(admin, event)
    indexed()
    assert f"/events/{event.id}" not in _page(member_client, "aroclor")
