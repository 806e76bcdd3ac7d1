"""The administrators' synonym list: listed, added, changed, removed; refused input kept."""
# ruff: noqa: RUF001 - the test data is written in Cyrillic on purpose

from pen.extensions import db
from pen.search import synonyms
from pen.search.models import SearchSynonym
from tests.conftest import csrf_token_from


def _post(client, url, data):
    token = csrf_token_from(client.get("/admin/synonyms").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def test_an_administrator_adds_changes_and_removes_a_group(admin_client):
    page = admin_client.get("/admin/synonyms").get_data(as_text=True)
    assert "Search synonyms" in page and "The list is empty" in page
    response = _post(admin_client, "/admin/synonyms", {"new-terms": "PCB\nПХБ, 多氯联苯"})
    assert response.status_code == 302
    group = db.session.query(SearchSynonym).one()
    assert group.term_list == ["PCB", "ПХБ", "多氯联苯"]
    response = _post(admin_client, f"/admin/synonyms/{group.id}",
                     {f"g{group.id}-terms": "PCB\npolychlorinated biphenyls"})
    assert response.status_code == 302
    db.session.refresh(group)
    assert group.term_list == ["PCB", "polychlorinated biphenyls"]
    assert _post(admin_client, f"/admin/synonyms/{group.id}/delete", {}).status_code == 302
    assert db.session.query(SearchSynonym).count() == 0


def test_markup_is_refused_with_the_typed_text_kept(admin_client):
    typed = "PCB, <script>alert(1)</script>"
    response = _post(admin_client, "/admin/synonyms", {"new-terms": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "is not a term" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert db.session.query(SearchSynonym).count() == 0


def test_an_empty_or_single_term_group_is_refused(admin_client):
    synonyms.save(None, "PCB, ПХБ")
    group = db.session.query(SearchSynonym).one()
    for typed in ["", "PCB"]:
        response = _post(admin_client, f"/admin/synonyms/{group.id}",
                         {f"g{group.id}-terms": typed})
        assert response.status_code == 400
        assert "Give at least two different terms" in response.get_data(as_text=True)
    db.session.refresh(group)
    assert group.term_list == ["PCB", "ПХБ"]


def test_members_cannot_see_or_change_the_list(member_client):
    assert member_client.get("/admin/synonyms").status_code == 403
    assert member_client.post("/admin/synonyms", data={"new-terms": "a, b"}).status_code in (
        400, 403)
    assert db.session.query(SearchSynonym).count() == 0


def test_the_seed_fills_an_empty_list_once(app):
    assert synonyms.seed() == len(synonyms.SEED)
    assert synonyms.seed() == 0
    table = synonyms.current()
    assert synonyms.words("ПХБ") in table.alternatives[synonyms.key(synonyms.words("PCB"))]
