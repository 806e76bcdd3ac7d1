"""A group's library shelf: documents for its members only, up to the download."""

import io

from pen.groups import membership, registry
from pen.library import service as library


def share_with(group, actor, title="Minutes of the Panama City meeting"):
    """Upload a text document shared with ``group``."""
    meta = library.Metadata(title=title, doc_type="guideline", language="en", year=2011,
                            authors="Thematic Group", access="group", group_id=group.id)
    return library.upload(actor, meta, "minutes.txt", io.BytesIO(b"Minutes of the meeting"))


def test_downloading_a_group_document_after_leaving_is_refused(make_group, member,
                                                              coordinator, client_as):
    group = make_group(slug="shelf", join_policy="open")
    membership.join(member, group)
    document = share_with(group, coordinator)
    client = client_as(member)
    assert client.get(f"/library/{document.id}/download").status_code == 200
    assert "Minutes of the Panama City meeting" in client.get("/groups/shelf").get_data(
        as_text=True)
    membership.leave(member, group)
    assert client.get(f"/library/{document.id}/download").status_code == 404  # unseen: 404
    assert client.get(f"/library/{document.id}").status_code == 404
    assert "Minutes of the Panama City" not in client.get("/groups/shelf").get_data(
        as_text=True)


def test_minutes_link_resolves_to_the_group_document(make_group, member, coordinator):
    group = make_group(slug="shelf", join_policy="open")
    document = share_with(group, coordinator)
    target = registry.resolve(coordinator, "document", [document.id])[document.id]
    assert target.visible and target.group_id == group.id
    assert not registry.resolve(member, "document", [document.id])[document.id].visible
