"""Vocabulary in six languages: labels per language, edited by administrators, falling
back to English, shown and searched in the member's language (``pen.vocabulary``)."""

import re

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from pen import vocabulary as pen_vocabulary  # the fixture ``vocabulary`` is the terms
from pen.admin.vocabulary import save_labels
from pen.audit import AuditEntry
from pen.auth.system import SYSTEM
from pen.errors import Forbidden
from pen.extensions import db
from pen.forums import service as forums
from pen.members import service
from pen.members.models import ExpertiseArea
from tests.conftest import csrf_token_from, statements_of_get

RUSSIAN = {"Decontamination": "Обеззараживание", "PCB inventories": "Инвентаризация ПХБ"}


def in_russian(user) -> None:
    """The member reads the site in Russian (their profile's choice)."""
    service.profile_of(user).locale = "ru"
    db.session.commit()


def text_of(response) -> str:
    """The visible text of a page's main region."""
    html = response.get_data(as_text=True)
    main = html[html.index("<main"):html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.fixture
def labelled(vocabulary):
    """Russian labels for two expertise terms (and none in French)."""
    pen_vocabulary.seed("expertise", {str(vocabulary[name].id): {"ru": text}
                                      for name, text in RUSSIAN.items()})
    db.session.commit()
    return vocabulary


def test_a_label_falls_back_to_english_and_fixed_lists_to_the_catalogue(app, labelled):
    key = labelled["Decontamination"].id
    with app.test_request_context(), force_locale("ru"):
        assert pen_vocabulary.label("expertise", key, "Decontamination") == "Обеззараживание"
    with app.test_request_context(), force_locale("fr"):
        assert pen_vocabulary.label("expertise", key, "Decontamination") == "Decontamination"
        utility = pen_vocabulary.label("organisation_type", "utility")
        assert utility == "Entreprise de service public"
    with app.test_request_context(), force_locale("en"):
        assert pen_vocabulary.label("expertise", key, "Decontamination") == "Decontamination"


def test_a_russian_member_sees_russian_labels_in_the_directory_and_profile(
        make_member, labelled, member, member_client, indexed):
    holder = make_member("Ana González", country="PA", organisation_type="utility",
                         expertise=["Decontamination", "Awareness raising"])
    indexed()
    in_russian(member)
    directory = text_of(member_client.get("/members/"))
    assert "Обеззараживание" in directory  # the facet and the card
    assert "Decontamination" not in directory
    assert "Awareness raising" in directory  # no Russian label: English
    profile = text_of(member_client.get(f"/members/{holder.id}"))
    assert "Обеззараживание" in profile and "Decontamination" not in profile


def test_a_russian_member_sees_the_forum_category_in_russian(app, member, member_client):
    category = forums.create_category(SYSTEM, "Laboratories")
    pen_vocabulary.seed("forum_category", {str(category.id): {"ru": "Лаборатории"}})
    db.session.commit()
    in_russian(member)
    assert "Лаборатории" in text_of(member_client.get("/forums/"))
    assert "Лаборатории" in text_of(member_client.get(f"/forums/c/{category.slug}"))


def test_searching_a_translated_label_finds_the_members_with_that_expertise(
        make_member, labelled, member, member_client, indexed):
    holder = make_member("Kofi Mensah", country="GH", expertise=["Decontamination"])
    make_member("Awa Ndiaye", country="SN", expertise=["Awareness raising"])
    indexed()
    in_russian(member)
    found = text_of(member_client.get("/members/?q=Обеззараживание"))
    assert holder.display_name in found and "Awa Ndiaye" not in found


def _grid_post(client, kind: str, cells: dict) -> object:
    """Post the administration grid of ``kind`` with ``cells`` {(key, locale): text}."""
    token = csrf_token_from(client.get(f"/admin/vocabulary/{kind}").get_data(as_text=True))
    data = {f"label-{key}-{locale}": text for (key, locale), text in cells.items()}
    return client.post(f"/admin/vocabulary/{kind}", data={"csrf_token": token, **data})


def test_an_administrator_edits_a_label_and_the_next_page_shows_it(
        app, make_member, vocabulary, admin, admin_client, indexed):
    make_member("Kofi Mensah", country="GH", expertise=["Decontamination"])
    indexed()
    key = str(vocabulary["Decontamination"].id)
    page = admin_client.get("/admin/vocabulary/expertise").get_data(as_text=True)
    assert f'name="label-{key}-zh"' in page
    response = _grid_post(admin_client, "expertise", {(key, "zh"): "  去污  "})
    assert response.status_code == 302
    service.profile_of(admin).locale = "zh"
    db.session.commit()
    assert "去污" in text_of(admin_client.get("/members/"))
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "vocabulary.labels"))
    assert entry.actor_id == admin.id and entry.detail["labels"] == {f"{key}:zh": "去污"}
    _grid_post(admin_client, "expertise", {(key, "zh"): ""})  # emptied: English again
    assert pen_vocabulary.stored("expertise") == {}


@pytest.mark.parametrize("typed, reason", [
    ("<b>Обеззараживание</b>", "no markup"),
    ("Обеззараживание &amp; очистка", "no markup"),
    ("Ж" * 121, "At most 120 characters"),
])
def test_a_refused_label_keeps_what_was_typed_and_saves_nothing(
        vocabulary, admin_client, typed, reason):
    key = str(vocabulary["Decontamination"].id)
    other = str(vocabulary["PCB inventories"].id)
    response = _grid_post(admin_client, "expertise",
                          {(key, "ru"): typed, (other, "ru"): "Инвентаризация ПХБ"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert reason in html
    field = re.search(rf'<input[^>]*name="label-{key}-ru"[^>]*>', html).group(0)
    assert "is-invalid" in field
    assert 'value="Инвентаризация ПХБ"' in html  # the good cell is kept too
    if "<" in typed:
        assert "&lt;b&gt;" in field and "<b>" not in html
    assert pen_vocabulary.stored("expertise") == {}


def test_members_may_not_see_or_edit_the_labels(vocabulary, client_as, make_user, admin_client):
    member = client_as(make_user())
    key = str(vocabulary["Decontamination"].id)
    assert member.get("/admin/vocabulary").status_code == 403
    assert member.get("/admin/vocabulary/expertise").status_code == 403
    response = member.post("/admin/vocabulary/expertise", data={f"label-{key}-ru": "X"})
    assert response.status_code in (400, 403)  # refused: CSRF or role, either way unsaved
    assert pen_vocabulary.stored("expertise") == {}
    assert admin_client.get("/admin/vocabulary/nothing").status_code == 404


def test_the_service_refuses_a_member(app, vocabulary, make_user):
    kind = pen_vocabulary.kind_for("expertise")
    with pytest.raises(Forbidden):
        save_labels(make_user(), kind, {(str(vocabulary["Decontamination"].id), "ru"): "X"})


def test_deleting_a_term_deletes_its_labels(app, labelled, admin):
    term = labelled["Decontamination"]
    service.delete_expertise(admin, term)
    assert all(key != str(term.id) for key, _ in pen_vocabulary.stored("expertise"))


def test_the_directory_costs_the_same_statements_with_more_labelled_terms(
        app, make_member, labelled, member, member_client, indexed):
    in_russian(member)
    make_member("Kofi Mensah", country="GH", expertise=["Decontamination"])
    indexed()

    def count():
        app.extensions.pop("pen.members.counts", None)
        return statements_of_get(member_client, "/members/")

    count()  # warm: what a process reads once
    few = count()
    for number in range(15):
        term = ExpertiseArea(name=f"Term {number}")
        db.session.add(term)
        db.session.flush()
        labelled[term.name] = term  # make_member finds terms in this dict
        pen_vocabulary.seed("expertise", {str(term.id): {"ru": f"Термин {number}"}})
        db.session.commit()
        make_member(f"More {number}", country="GH", expertise=[term.name])
    indexed()
    count()  # warm again: the changed labels rebuild the process's synonym table once
    many = count()
    assert len(many) == len(few), "\n".join(s.splitlines()[0] for s in many)
    assert "Термин 14" in text_of(member_client.get("/members/"))
    assert sum("FROM vocabulary_labels" in s for s in many) == 1  # every kind at once


def test_an_administrators_label_overrides_the_catalogue_for_a_fixed_list(
        make_member, vocabulary, member, member_client):
    holder = make_member("Kofi Mensah", country="GH", organisation_type="utility")
    pen_vocabulary.seed("organisation_type", {"utility": {"ru": "Энергокомпания"}})
    db.session.commit()
    in_russian(member)
    assert "Энергокомпания" in text_of(member_client.get(f"/members/{holder.id}"))
    edit = member_client.get("/members/me/edit").get_data(as_text=True)
    assert '<option value="utility">Энергокомпания</option>' in edit
    assert ">Правительство<" in edit  # the others: the catalogue's
