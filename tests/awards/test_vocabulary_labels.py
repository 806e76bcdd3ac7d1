"""Award categories in the member's language (``pen.vocabulary``): the cycle page, the
nomination form's choices, and English where no label was given."""

from pen import vocabulary
from pen.extensions import db
from pen.members import service


def test_a_russian_member_sees_the_award_categories_in_russian(cycle, nominator, client_as):
    inventories, maintenance = cycle.categories
    vocabulary.seed("award_category", {str(inventories.id): {"ru": "Инвентаризация ПХБ"}})
    service.profile_of(nominator).locale = "ru"
    db.session.commit()
    client = client_as(nominator)
    page = client.get(f"/awards/{cycle.id}").get_data(as_text=True)
    assert "Инвентаризация ПХБ" in page and "PCB inventories" not in page
    assert maintenance.name in page  # no Russian label: English
    form = client.get(f"/awards/{cycle.id}/nominate").get_data(as_text=True)
    assert f'value="{inventories.id}"' in form and "Инвентаризация ПХБ" in form
