"""The document picker of meeting minutes and event materials: searching the library by
title (or number) finds only what the organiser may open; without JavaScript the search
posts the form, which comes back as typed with the matches to choose; a hidden or unknown
document is refused with the reason, and the form keeps its input."""

import pytest

from pen.events.models import Event
from pen.extensions import db
from pen.groups import meetings, workplan
from pen.groups import service as groups
from pen.groups.service import GroupFields
from pen.library import samples

SECRET = "zanthoxylum"


@pytest.fixture
def documents(admin, coordinator, group, share, make_user):
    """The network's inventory guide, the group's minutes, another group's and the
    administrators' documents holding the secret word."""
    outsider = make_user()
    other = groups.create_group(admin, GroupFields("Disposal", "disposal", ""), [outsider])
    def add(actor, title, **access):
        return share(actor, f"{title}.pdf", samples.make_pdf([title]), title=title, **access)

    return {
        "guide": add(coordinator, "Inventory guide"),
        "minutes": add(coordinator, "Minutes of the Panama meeting", access="group",
                       group_id=group.id, language="es"),
        "theirs": add(outsider, f"Disposal {SECRET} minutes", access="group",
                      group_id=other.id),
        "admins": add(admin, f"Secretariat {SECRET} minutes", access="admins"),
    }


def pick(client, q, **args):
    return client.get("/library/pick.json", query_string={"q": q, **args}).get_json()


def test_suggestions_give_title_language_and_date(client_as, coordinator, documents):
    found = pick(client_as(coordinator), "panama minutes")["documents"]
    minutes = documents["minutes"]
    assert found == [{"id": minutes.id, "title": "Minutes of the Panama meeting",
                      "language": "Spanish", "date": minutes.created_at.date().isoformat()}]
    by_number = pick(client_as(coordinator), f"#{documents['guide'].id}")["documents"]
    assert [d["title"] for d in by_number] == ["Inventory guide"]


def test_an_attacker_probing_the_suggestions_never_reads_a_hidden_title(
        client_as, coordinator, documents, group):
    client = client_as(coordinator)
    probes = [SECRET, "minutes", "Disposal", "Secretariat", str(documents["theirs"].id),
              f"#{documents['admins'].id}", "%", "_", "' OR 1=1 --"]
    for probe in probes:
        for args in ({}, {"group": group.id}, {"group": documents["theirs"].work.group_id}):
            response = client.get("/library/pick.json", query_string={"q": probe, **args})
            assert response.status_code == 200
            body = response.get_data(as_text=True)
            assert SECRET not in body and "Disposal" not in body, (probe, args)
    titles = [d["title"] for d in pick(client, "minutes")["documents"]]
    assert titles == ["Minutes of the Panama meeting"]


def test_an_administrator_finds_every_document(admin_client, documents):
    titles = {d["title"] for d in pick(admin_client, SECRET)["documents"]}
    assert titles == {f"Disposal {SECRET} minutes", f"Secretariat {SECRET} minutes"}


def meeting_form(**changes):
    data = {"title": "Second meeting", "starts_local": "2031-03-04T09:30",
            "timezone": "America/Panama", "place": "Panama City", "agenda": "1. Inventories"}
    return data | changes


def test_without_javascript_a_search_lists_matches_and_keeps_what_was_typed(
        client_as, coordinator, group, documents):
    client = client_as(coordinator)
    response = client.post(f"/groups/{group.slug}/meetings/new", data=meeting_form(**{
        "minutes_document_id-q": "panama", "minutes_document_id-search": "1"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and meetings.upcoming(group) == []
    assert 'value="Second meeting"' in page and 'value="Panama City"' in page
    assert 'name="minutes_document_id-q" value="panama"' in page
    minutes = documents["minutes"]
    assert f'type="radio" name="minutes_document_id" id="minutes_document_id-{minutes.id}" ' \
           f'value="{minutes.id}">' in page
    assert "Minutes of the Panama meeting" in page and "Inventory guide" not in page
    saved = client.post(f"/groups/{group.slug}/meetings/new",
                        data=meeting_form(minutes_document_id=str(minutes.id)))
    assert saved.status_code == 302
    assert meetings.upcoming(group)[0].minutes_document_id == minutes.id


def test_a_search_finding_nothing_says_so(client_as, coordinator, group, documents):
    page = client_as(coordinator).post(f"/groups/{group.slug}/meetings/new", data=meeting_form(
        **{"minutes_document_id-q": SECRET, "minutes_document_id-search": "1"}))
    text = page.get_data(as_text=True)
    assert "No document you can open matches these words." in text and "Disposal" not in text


@pytest.mark.parametrize("which", ["theirs", "admins", "unknown"])
def test_hidden_or_unknown_minutes_are_refused_and_the_form_is_kept(
        client_as, coordinator, group, documents, which):
    document_id = documents[which].id if which in documents else 999_999
    response = client_as(coordinator).post(
        f"/groups/{group.slug}/meetings/new",
        data=meeting_form(minutes_document_id=str(document_id)))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and meetings.upcoming(group) == []
    assert f"No library document #{document_id} that you can open" in page
    assert 'value="Second meeting"' in page and f'value="{document_id}" checked' in page
    assert SECRET not in page


def test_an_edited_meeting_shows_its_minutes_chosen(client_as, coordinator, group, documents):
    client = client_as(coordinator)
    minutes = documents["minutes"]
    client.post(f"/groups/{group.slug}/meetings/new",
                data=meeting_form(minutes_document_id=str(minutes.id)))
    meeting = meetings.upcoming(group)[0]
    page = client.get(f"/groups/{group.slug}/meetings/{meeting.id}/edit").get_data(as_text=True)
    assert f'value="{minutes.id}" checked' in page and "Minutes of the Panama meeting" in page
    assert 'data-picker-url="/library/pick.json?group=' in page


def event_form(group, **changes):
    data = {"title": "Panama follow-up", "kind": "meeting", "timezone": "America/Panama",
            "sessions": "2031-02-16 14:00 15:00", "registration": "none",
            "group_id": str(group.id)}
    return data | changes


def test_event_materials_are_searched_chosen_and_checked(client_as, coordinator, group,
                                                         documents):
    client = client_as(coordinator)
    listed = client.post("/events/new", data=event_form(
        group, materials=str(documents["guide"].id),
        **{"materials-q": "minutes", "materials-search": "1"})).get_data(as_text=True)
    assert db.session.query(Event).count() == 0
    guide, minutes = documents["guide"], documents["minutes"]
    assert f'type="checkbox" name="materials" id="materials-{guide.id}" ' \
           f'value="{guide.id}" checked' in listed
    assert f'value="{minutes.id}">' in listed and SECRET not in listed
    hidden = documents["theirs"].id
    refused = client.post("/events/new", data=event_form(group, materials=[
        str(guide.id), str(hidden)]))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and f"No library document #{hidden} that you can open" \
        in page
    assert 'value="Panama follow-up"' in page and f'value="{hidden}" checked' in page
    assert SECRET not in page and db.session.query(Event).count() == 0
    saved = client.post("/events/new", data=event_form(group, materials=[
        str(guide.id), str(minutes.id)]))
    assert saved.status_code == 302
    event = db.session.query(Event).one()
    assert sorted(m.document_id for m in event.materials) == sorted([guide.id, minutes.id])


def activity_form(**changes):
    data = {"title": "Publish the inventory guide", "status": "planned",
            "description": "Translate, then publish."}
    return data | changes


def test_work_plan_documents_are_searched_chosen_and_shown(client_as, coordinator, group,
                                                           documents):
    client = client_as(coordinator)
    form = client.get(f"/groups/{group.slug}/plan/new").get_data(as_text=True)
    assert 'data-picker-name="documents"' in form and 'name="documents-q"' in form
    listed = client.post(f"/groups/{group.slug}/plan/new", data=activity_form(**{
        "documents-q": "panama", "documents-search": "1"}))
    page = listed.get_data(as_text=True)
    assert listed.status_code == 200 and workplan.activities(group) == []
    minutes = documents["minutes"]
    assert 'value="Publish the inventory guide"' in page and "Translate, then publish." in page
    assert 'name="documents-q" value="panama"' in page
    assert f'type="checkbox" name="documents" id="documents-{minutes.id}" ' \
           f'value="{minutes.id}">' in page and "Inventory guide" not in page
    guide = documents["guide"]
    saved = client.post(f"/groups/{group.slug}/plan/new", data=activity_form(
        documents=[str(minutes.id), str(guide.id)]))
    assert saved.status_code == 302
    [activity] = workplan.activities(group)
    assert sorted(lk.target_id for lk in activity.links) == sorted([minutes.id, guide.id])
    plan = client.get(f"/groups/{group.slug}/plan").get_data(as_text=True)
    assert "Minutes of the Panama meeting" in plan and "Inventory guide" in plan
    edit = client.get(f"/groups/{group.slug}/plan/{activity.id}/edit").get_data(as_text=True)
    assert f'value="{minutes.id}" checked' in edit and f'value="{guide.id}" checked' in edit
    assert f"document {guide.id}" not in edit


@pytest.mark.parametrize("which", ["theirs", "admins", "unknown"])
def test_hidden_or_unknown_work_plan_documents_are_refused_and_the_form_is_kept(
        client_as, coordinator, group, documents, which):
    document_id = documents[which].id if which in documents else 999_999
    guide = documents["guide"]
    response = client_as(coordinator).post(
        f"/groups/{group.slug}/plan/new",
        data=activity_form(documents=[str(guide.id), str(document_id)], **{
            "documents-q": "typed words"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and workplan.activities(group) == []
    assert f"No library document #{document_id} that you can open" in page
    assert 'value="Publish the inventory guide"' in page
    assert f'value="{document_id}" checked' in page and f'value="{guide.id}" checked' in page
    assert 'name="documents-q" value="typed words"' in page
    assert SECRET not in page and "Disposal" not in page and "Secretariat" not in page
