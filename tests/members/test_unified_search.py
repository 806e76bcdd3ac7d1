"""The unified search page: every area's hits, grouped, and only what the reader may open."""

from pen.auth.models import UserStatus
from tests.conftest import statements_of_get


def test_unified_search_groups_hits_and_links_to_the_area(make_member, indexed, member_client):
    make_member("Ana González", country="PA", organisation="ETESA")
    indexed()
    page = member_client.get("/search?q=gonzalez").get_data(as_text=True)
    assert "Members" in page and "Ana González" in page and "ETESA, Panama" in page
    assert 'href="/members/?q=gonzalez"' in page


def test_unified_search_hides_what_the_reader_cannot_open(make_member, indexed, member_client):
    make_member("Quentin Quietus", status=UserStatus.INVITED, password=None)
    indexed()
    page = member_client.get("/search?q=quietus").get_data(as_text=True)
    assert "Quietus" not in page.replace('value="quietus"', "")
    assert "Members <span class=\"text-muted\">(0)</span>" in page


def test_unified_search_survives_bad_queries(member_client):
    for query in ['"unclosed', "AND OR", "*", "q" * 5000]:
        assert member_client.get("/search", query_string={"q": query}).status_code == 200


def test_unified_search_without_a_query_shows_the_form(member_client):
    page = member_client.get("/search").get_data(as_text=True)
    assert 'role="search"' in page and "Nothing found" not in page


def test_member_hits_are_read_once_for_their_snippets_and_summaries(make_member, indexed,
                                                                     member_client):
    for number in range(3):
        make_member(f"Ana Lectora {number}", country="PA", organisation="ETESA",
                    expertise=["Decontamination"])
    indexed()
    seen = statements_of_get(member_client, "/search?q=lectora")
    members = [s for s in seen if "profiles.organisation" in s]
    assert len(members) == 1, "\n---\n".join(members)
    page = member_client.get("/search?q=lectora").get_data(as_text=True)
    assert page.count("ETESA, Panama") == 3
