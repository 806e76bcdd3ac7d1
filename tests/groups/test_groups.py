"""Creating, editing and listing groups; who sees which group."""

import io

from PIL import Image

from pen.extensions import db
from pen.groups import permissions, service
from pen.groups.models import Group


def test_admin_creates_a_group_and_appoints_coordinators(admin_client, coordinator):
    response = admin_client.post("/groups/new", data={
        "name": "PCB Inventories", "slug": "inventories", "description": "Counting *kits*",
        "visibility": "listed", "join_policy": "open", "coordinators": coordinator.email})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/groups/inventories")
    group = service.get_by_slug("inventories")
    assert "<em>kits</em>" in group.description_html
    assert permissions.is_coordinator(coordinator, group.id)


def test_a_taken_slug_is_refused_by_the_form(admin_client, group, coordinator):
    response = admin_client.post("/groups/new", data={
        "name": "Another group", "slug": group.slug, "visibility": "listed",
        "join_policy": "open", "coordinators": coordinator.email})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This address is already taken by another group." in html
    assert 'value="Another group"' in html  # what was typed is kept
    assert db.session.query(Group).count() == 1


def test_bad_slug_and_unknown_coordinator_are_explained(admin_client):
    response = admin_client.post("/groups/new", data={
        "name": "Disposal", "slug": "Bad Slug!", "visibility": "listed",
        "join_policy": "open", "coordinators": "nobody@example.org"})
    assert response.status_code == 400
    assert "lower-case letters, digits and hyphens" in response.get_data(as_text=True)


def test_members_cannot_create_groups(member_client):
    assert member_client.get("/groups/new").status_code == 403


def test_coordinator_edits_the_group_and_a_member_cannot(group, coordinator, member,
                                                        client_as):
    data = {"name": group.name, "slug": "pcb-maintenance", "description": "New text",
            "visibility": "listed", "join_policy": "open"}
    assert client_as(member).post(f"/groups/{group.slug}/edit", data=data).status_code == 403
    assert client_as(coordinator).post(f"/groups/{group.slug}/edit",
                                       data=data).status_code == 302
    db.session.refresh(group)
    assert group.join_policy == "open" and "New text" in group.description_html


def test_picture_is_resized_and_served_to_members(group, coordinator, member, client_as):
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), "green").save(buffer, "PNG")
    data = {"name": group.name, "slug": group.slug, "visibility": "listed",
            "join_policy": "request", "picture": (io.BytesIO(buffer.getvalue()), "p.png")}
    response = client_as(coordinator).post(f"/groups/{group.slug}/edit", data=data,
                                           content_type="multipart/form-data")
    assert response.status_code == 302
    picture = client_as(member).get(f"/groups/{group.slug}/picture")
    assert picture.status_code == 200 and picture.mimetype == "image/jpeg"
    assert max(Image.open(io.BytesIO(picture.data)).size) <= 512


def test_a_non_image_picture_is_refused_beside_the_field(group, coordinator, client_as):
    data = {"name": group.name, "slug": group.slug, "visibility": "listed",
            "join_policy": "request", "picture": (io.BytesIO(b"<html>"), "p.png")}
    response = client_as(coordinator).post(f"/groups/{group.slug}/edit", data=data,
                                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "not a photo we can read" in response.get_data(as_text=True)


def test_list_shows_listed_groups_and_my_unlisted_ones(make_group, member, admin, client_as,
                                                      coordinator):
    make_group(slug="listed-one", name="Listed one")
    make_group(slug="unlisted-one", name="Unlisted one", visibility="unlisted")
    assert "Unlisted one" not in client_as(member).get("/groups/").get_data(as_text=True)
    assert "Listed one" in client_as(member).get("/groups/").get_data(as_text=True)
    assert "Unlisted one" in client_as(coordinator).get("/groups/?mine=1").get_data(
        as_text=True)
    assert "Unlisted one" in client_as(admin).get("/groups/").get_data(as_text=True)


def test_group_page_shows_members_and_join_control(group, member, client_as):
    html = client_as(member).get(f"/groups/{group.slug}").get_data(as_text=True)
    assert "Kofi Mensah" in html and "coordinator" in html
    assert "Ask to join" in html and "Panama City" in html
    assert "Work plan" not in html  # the content is for members


def test_anonymous_visitors_are_sent_to_login(client, group):
    response = client.get(f"/groups/{group.slug}")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
