"""Finding members: free text, facets with counts, sorting, pages, and no leaks."""

import re

import pytest
from markupsafe import Markup

from pen.auth.models import UserStatus
from pen.extensions import db
from pen.members import cards, page_profiles
from pen.members.models import Profile
from pen.search import Hit
from tests.conftest import login, statements_of_get


@pytest.fixture
def network(make_member, indexed):
    """A small network: experts in Africa and Latin America, one invited member."""
    people = {
        "ana": make_member("Ana González", country="PA", organisation="ETESA",
                           organisation_type="utility", role="nfp", languages=["es", "en"],
                           expertise=["PCB inventories", "Transformers and capacitors"],
                           bio="Led the national inventory of transformers in Panama."),
        "moussa": make_member("Moussa Ouédraogo", country="BF", organisation_type="government",
                              organisation="Ministère de l'Environnement", role="ocp",
                              expertise=["PCB inventories", "Transformers and capacitors"],
                              languages=["fr"], bio="Inventaire national des transformateurs."),
        "awa": make_member("Awa Ndiaye", country="SN", organisation_type="ngo",
                           organisation="PAN Africa", expertise=["Awareness raising"],
                           languages=["fr", "en"]),
        "ingrid": make_member("Ingrid Larsen", country="NO", organisation_type="academia",
                              organisation="NILU", expertise=["Sampling and analysis"],
                              languages=["en"]),
        "hidden": make_member("Hidden Invitee", country="SN", organisation="Secret Utility",
                              organisation_type="utility", expertise=["PCB inventories"],
                              status=UserStatus.INVITED, password=None),
    }
    indexed()
    return people


def page_text(response) -> str:
    """The visible text of a page's main region."""
    html = response.get_data(as_text=True)
    main = html[html.index("<main"):html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def result_names(response) -> list[str]:
    """The member names listed as results, in order."""
    html = response.get_data(as_text=True)
    return re.findall(r'<h3 class="h6 mb-1"><a href="/members/\d+">([^<]+)</a>', html)


@pytest.fixture
def viewer(member_client):
    """A signed-in member."""
    return member_client


def test_accent_free_name_finds_the_accented_one(network, viewer):
    assert result_names(viewer.get("/members/?q=Ouedraogo")) == ["Moussa Ouédraogo"]
    assert result_names(viewer.get("/members/?q=gonzalez")) == ["Ana González"]


def test_who_in_west_africa_did_an_inventory_of_transformers(network, viewer):
    response = viewer.get("/members/?q=inventory+transformers&region=africa")
    assert result_names(response) == ["Moussa Ouédraogo"]


def test_facets_count_what_matches(network, viewer):
    text = page_text(viewer.get("/members/?expertise=1"))  # PCB inventories
    assert "2 members" in text
    assert "Africa (1)" in text and "Latin America and the Caribbean (1)" in text


def test_two_facets_narrow_together(network, viewer, vocabulary):
    term = vocabulary["PCB inventories"].id
    response = viewer.get(f"/members/?expertise={term}&organisation_type=government")
    assert result_names(response) == ["Moussa Ouédraogo"]


def test_values_of_one_facet_widen(network, viewer):
    assert sorted(result_names(viewer.get("/members/?country=SN&country=NO"))) == [
        "Awa Ndiaye", "Ingrid Larsen"]


def test_sorted_by_name_by_default(network, viewer):
    names = result_names(viewer.get("/members/"))
    assert names == sorted(names)


def test_sorted_by_country(network, viewer):
    names = result_names(viewer.get("/members/?sort=country"))
    assert names[0] == "Moussa Ouédraogo"  # Burkina Faso first


def test_pages(network, viewer, make_member, indexed):
    for number in range(25):
        make_member(f"Expert {number:02d}", country="KE")
    indexed()
    first = result_names(viewer.get("/members/?country=KE"))
    second = result_names(viewer.get("/members/?country=KE&page=2"))
    assert len(first) == 20 and len(second) == 5 and not set(first) & set(second)


def test_invited_members_leave_no_trace_for_members(network, viewer):
    """No hit, no count, no facet count, no snippet of an account members cannot open."""
    response = viewer.get("/members/?q=secret+utility")
    text = page_text(response)
    assert result_names(response) == [] and "Hidden Invitee" not in text
    assert "Secret Utility" not in response.get_data(as_text=True)
    everyone = page_text(viewer.get("/members/"))
    assert "4 members" in everyone and "Senegal (1)" in everyone and "Utility (1)" in everyone
    assert viewer.get(f"/members/{network['hidden'].id}").status_code == 404
    assert "Did you mean" not in page_text(viewer.get("/members/?q=Hiden"))


def test_a_member_suspended_before_this_server_applied_it_is_neither_listed_nor_counted(
        network, viewer, admin, app):
    """The change waits in the log: the search's check of the changes this server has not
    applied leaves the member out of the hits, the total and the facet counts."""
    from pen.auth import service as auth_service
    from pen.search import changelog, replicas

    ingrid = network["ingrid"]
    auth_service.set_status(admin, ingrid, UserStatus.SUSPENDED)  # not drained
    assert ingrid.id in changelog.pending_here("member", replicas.replica_id(), 100)
    app.extensions.pop("pen.members.counts", None)  # the charts, counted afresh
    response = viewer.get("/members/")
    assert "Ingrid Larsen" not in result_names(response)
    text = page_text(response)
    assert "3 members" in text and "Academia" not in text and "Norway" not in text
    assert "No member matches" in page_text(viewer.get("/members/?country=NO"))
    assert result_names(viewer.get("/members/?q=Larsen")) == []


def test_admins_see_invited_members(network, client, admin):
    login(client, admin.email)
    response = client.get("/members/?q=secret+utility")
    assert result_names(response) == ["Hidden Invitee"]
    assert "Invited (1)" in page_text(client.get("/members/"))


def test_status_filter_is_for_admins_only(network, viewer):
    assert result_names(viewer.get("/members/?status=invited")) != ["Hidden Invitee"]


@pytest.mark.parametrize("query", ['"unclosed', "AND OR", "x" * 5000, "*", "-", "name:",
                                   "((((", "ünïcödé*"])  # a NUL byte: 400, tests/security
def test_malformed_queries_get_a_page_not_an_error(network, viewer, query):
    response = viewer.get("/members/", query_string={"q": query})
    assert response.status_code == 200


def test_very_long_query_says_it_was_shortened(network, viewer):
    text = page_text(viewer.get("/members/", query_string={"q": "transformer " * 500}))
    assert "shortened" in text or "too long" in text


def test_did_you_mean_offers_a_visible_correction(network, viewer):
    text = page_text(viewer.get("/members/?q=Ndiay"))
    assert "Awa Ndiaye" in text or "Did you mean" in text


def test_directory_costs_the_same_queries_for_more_members(network, viewer, make_member,
                                                           indexed, app):
    def count_queries(url):
        app.extensions.pop("pen.members.counts", None)  # count the chart's queries too
        return statements_of_get(viewer, url)

    indexed()
    count_queries("/members/")  # warm: what an app reads once (the synonym list)
    few = count_queries("/members/")
    for number in range(15):
        make_member(f"More {number}", country="GH", expertise=["Decontamination"],
                    languages=["en"])
    indexed()
    many = count_queries("/members/")
    assert len(many) == len(few), "\n".join(
        statement.splitlines()[0] for statement in many)
    # Read once per page, not once for the snippets (or the facet labels) and again
    # for the cards (or the filter form); the cards show neither languages nor roles.
    assert sum("FROM profile_languages" in statement for statement in many) == 0
    # the snippets and the cards share one read of the page's members
    assert sum("FROM users LEFT OUTER JOIN profiles" in statement for statement in many) == 1
    assert not any("FROM profile_expertise" in statement for statement in many)
    assert sum("FROM user_roles" in statement for statement in many) == 0  # the viewer's
    # come with the session (pen.auth.loading), joined: "JOIN user_roles"
    assert sum("FROM groups" in statement for statement in many) == 1
    # the changes this server has not applied yet: one statement, its position inside
    assert sum("FROM search_log" in statement for statement in many) == 1
    assert not any(statement.startswith("SELECT search_replicas") for statement in many)
    # the hits' visibility is checked on the read the cards share (by the rule's Python form)
    assert not any(re.match(r"SELECT users\.id\s+FROM users\s+WHERE", statement)
                   for statement in many)


def test_facet_links_add_or_remove_one_value_and_keep_the_rest(network, viewer):
    html = viewer.get("/members/?region=africa&q=inventory").get_data(as_text=True)
    html = html[html.index("<aside"):html.index("</aside>")]  # the facets
    links = dict(re.findall(r'<a href="(/members/\?[^"]*)"(?: aria-current="true")?>'
                            r'(?:<strong>)?([^<]+)<', html))
    burkina = next(url for url, label in links.items() if label == "Burkina Faso")
    assert viewer.get(burkina.replace("&amp;", "&")).status_code == 200
    assert set(burkina.replace("&amp;", "&").split("?")[1].split("&")) == {
        "q=inventory", "sort=relevance", "region=africa", "country=BF"}
    africa = next(url for url, label in links.items() if label == "Africa")
    assert set(africa.replace("&amp;", "&").split("?")[1].split("&")) == {
        "q=inventory", "sort=relevance"}  # the chosen value's link removes it
    assert result_names(viewer.get(africa.replace("&amp;", "&"))) != []


def test_cards_link_to_each_profile_and_to_a_message(network, viewer, member):
    html = viewer.get("/members/").get_data(as_text=True)
    for person in ("ana", "awa", "ingrid"):
        user_id = network[person].id
        assert f'<a href="/members/{user_id}">' in html
        assert f'href="/messages/new?to={user_id}"' in html
    assert f'href="/messages/new?to={member.id}"' not in html  # not to oneself


def test_a_card_shows_what_the_search_found_in_its_own_member(network, app, make_user):
    """An account without a profile has no card: the cards after it keep their own words."""
    bare, ana = make_user(name="Aaron Bare"), network["ana"]
    db.session.delete(db.session.get(Profile, bare.id))  # an account from before profiles
    db.session.commit()
    hits = [Hit(bare.id, "member", highlights={"about": Markup("<mark>Aaron</mark>")}),
            Hit(ana.id, "member", highlights={"bio": Markup("<mark>Panama</mark>")})]
    with app.test_request_context():
        shown = [p for p in page_profiles.load([bare.id, ana.id]).values() if p.has_profile]
        [card] = cards.cards(shown, hits, reader_id=None)
    assert (card.user_id, card.found) == (ana.id, Markup("<mark>Panama</mark>"))


def test_region_chart_is_drawn_by_the_server(network, viewer):
    html = viewer.get("/members/").get_data(as_text=True)
    # drawn at the side column's width (260), so its 13-unit text reads at about 13 px
    assert '<svg viewBox="0 0 260' in html and 'role="group"' in html  # its bars are links
    assert "Africa: 2." in html  # the chart's text alternative counts only visible members


def test_the_side_column_is_drawn_in_each_reader_s_language_and_with_new_counts(
        network, viewer, make_member, app):
    def side(**headers) -> str:
        html = viewer.get("/members/", headers=headers).get_data(as_text=True)
        return html[html.index('id="chart-heading"'):]

    assert "Members by region" in side() and "Africa: 2." in side()
    french = side(**{"Accept-Language": "fr"})
    assert "Membres par région" in french and "Members by region" not in french
    assert "Members by region" in side()  # each language its own drawing
    make_member("Kwame Mensah", country="GH")
    app.extensions.pop("pen.members.counts", None)  # the minute of the counts is over
    assert "Africa: 3." in side() and "Ghana" in side()


def test_a_directory_card_names_its_member_once(network, viewer):
    html = viewer.get("/members/").get_data(as_text=True)
    cards = re.findall(r'<li class="pen-member-card.*?</li>', html, re.S)
    assert cards
    for card in cards:
        name = re.search(r'<h3[^>]*><a [^>]*>([^<]+)</a>', card).group(1)
        assert card.count(name) == 1, card


def test_export_is_for_admins_and_follows_the_filters(network, client, admin, viewer):
    assert viewer.get("/members/export.csv").status_code == 403
    viewer.post("/auth/logout")
    login(client, admin.email)
    response = client.get("/members/export.csv?region=africa")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert "Moussa Ouédraogo" in body and "Awa Ndiaye" in body and "Ana González" not in body


def test_export_defuses_spreadsheet_formulas(make_member, indexed, client, admin):
    make_member("=HYPERLINK(\"http://evil.example\")", country="FR")
    indexed()
    login(client, admin.email)
    body = client.get("/members/export.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in body


def test_while_the_index_is_rebuilt_the_directory_finds_members_by_name(network, viewer, app):
    import shutil

    from pen.search import index

    shutil.rmtree(index.index_dir("member"))
    response = viewer.get("/members/?q=ouedraogo")
    assert response.status_code == 200
    assert "Search is being rebuilt on this server" in page_text(response)
    assert result_names(viewer.get("/members/?q=Awa")) == ["Awa Ndiaye"]
    assert "Hidden Invitee" not in page_text(viewer.get("/members/?q=secret"))
