"""Profiles: what others see, editing with errors beside fields, photos, vCards, vocabulary."""

import io
import re

import pytest
from PIL import Image

from pen.auth.system import SYSTEM
from pen.extensions import db
from pen.members import permissions, service
from tests.conftest import login


def jpeg_with_exif(size=(1200, 900)) -> bytes:
    """A real JPEG carrying EXIF (camera model and GPS-like data)."""
    image = Image.new("RGB", size, (30, 120, 60))
    exif = Image.Exif()
    exif[0x0110] = "Secret Camera 3000"  # Model
    exif[0x010E] = "taken at home, 12 Rue Example"  # ImageDescription
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def ana(make_member):
    """A member with a phone number shown to her groups only."""
    return make_member("Ana González", email="ana@etesa.example", country="PA",
                       organisation="ETESA", bio="Hello **PEN**! <script>alert(1)</script>",
                       phone="+507 501 3800", phone_visibility="groups",
                       email_visibility="members")


def edit_data(**changes):
    """A complete, valid profile form, with some fields changed."""
    data = {"display_name": "Nguyen Thi Lan", "title": "Engineer", "organisation": "VEA",
            "organisation_type": "government", "country": "VN",
            "bio": "", "phone": "", "email_visibility": "members", "phone_visibility": "members"}
    data.update(changes)
    return data


def test_profile_shows_what_members_may_see(ana, member_client):
    page = member_client.get(f"/members/{ana.id}").get_data(as_text=True)
    assert "Ana González" in page and "ETESA" in page and "Panama" in page
    assert "ana@etesa.example" in page  # email open to members
    assert "501 3800" not in page  # phone only for her groups
    assert "<strong>PEN</strong>" in page and "<script>alert" not in page


def test_contact_visibility_rules(ana, member, admin, app):
    profile = service.profile_of(ana)
    assert permissions.can_see_contact(member, profile, "email")
    assert not permissions.can_see_contact(member, profile, "phone")
    assert permissions.can_see_contact(admin, profile, "phone")
    assert permissions.can_see_contact(ana, profile, "phone")
    permissions.register_shared_group_check(app, lambda a, b: {a, b} == {member.id, ana.id})
    assert permissions.can_see_contact(member, profile, "phone")
    profile.email_visibility = "admins"
    assert not permissions.can_see_contact(member, profile, "email")


def test_vcard_has_only_visible_contact_fields(ana, member_client):
    response = member_client.get(f"/members/{ana.id}.vcf")
    assert response.mimetype == "text/vcard"
    card = response.get_data(as_text=True)
    assert "FN:Ana González" in card and "ORG:ETESA" in card and "ana@etesa.example" in card
    assert "TEL" not in card


def test_member_edits_own_profile(member_client, member, vocabulary, indexed):
    terms = [vocabulary["PCB inventories"].id, vocabulary["Decontamination"].id]
    response = member_client.post("/members/me/edit", data=edit_data(
        expertise=terms, languages=["vi", "en"], bio="I work on **inventories**."))
    assert response.status_code == 302
    db.session.expire_all()
    profile = service.profile_of(member)
    assert (profile.country, profile.region) == ("VN", "Asia-Pacific")
    assert {t.name for t in profile.expertise} == {"PCB inventories", "Decontamination"}
    assert profile.bio_html == "<p>I work on <strong>inventories</strong>.</p>"
    indexed()
    page = member_client.get("/members/?q=decontamination").get_data(as_text=True)
    assert "Nguyen Thi Lan" in page


@pytest.mark.parametrize(("field", "value", "message"), [
    ("display_name", "", "This field is required."),
    ("country", "XX", "Not a valid choice"),
    ("organisation_type", "cartel", "Not a valid choice"),
    ("phone", "call me <maybe>", "Use digits, spaces and + ( ) - . / only."),
    ("email_visibility", "everyone", "Not a valid choice"),
])
def test_bad_field_is_explained_beside_it_and_input_kept(member_client, field, value, message):
    response = member_client.post("/members/me/edit",
                                  data=edit_data(title="Chief engineer", **{field: value}))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = re.search(rf'id="{field}-error"[^>]*>([^<]*)<', page)
    assert error and message in error.group(1)
    assert 'value="Chief engineer"' in page  # what was typed is kept


def test_member_cannot_edit_someone_else(ana, member_client):
    assert member_client.get(f"/members/{ana.id}/edit").status_code == 403
    assert member_client.post(f"/members/{ana.id}/edit",
                              data=edit_data(display_name="Hacked")).status_code == 403
    db.session.expire_all()
    assert ana.display_name == "Ana González"


def test_admin_edits_anyone(ana, admin_client):
    response = admin_client.post(f"/members/{ana.id}/edit",
                                 data=edit_data(display_name="Ana María González"))
    assert response.status_code == 302
    db.session.expire_all()
    assert ana.display_name == "Ana María González"


def test_photo_is_resized_and_stripped_of_exif(member_client, member, app):
    response = member_client.post("/members/me/edit", data=edit_data(
        photo=(io.BytesIO(jpeg_with_exif()), "holiday.jpg")),
        content_type="multipart/form-data")
    assert response.status_code == 302
    served = member_client.get(f"/members/{member.id}/photo")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    image = Image.open(io.BytesIO(served.get_data()))
    assert max(image.size) == 512
    assert not image.getexif()
    assert b"Secret Camera" not in served.get_data() and b"12 Rue" not in served.get_data()


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"%PDF-1.4 not an image", "cv.pdf", "not a photo we can read"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "broken.png", "not a photo we can read"),
    (b"GIF89a<script>alert(1)</script>", "x.gif", "not a photo we can read"),
])
def test_file_that_is_not_an_image_is_refused_with_the_reason(member_client, member, content,
                                                               name, message):
    response = member_client.post("/members/me/edit", data=edit_data(
        title="Kept title", photo=(io.BytesIO(content), name)),
        content_type="multipart/form-data")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and 'value="Kept title"' in page
    db.session.expire_all()
    assert service.profile_of(member).photo is None


def test_photo_over_the_limit_is_refused(app_factory):
    app = app_factory(PHOTO_MAX_MB=1)
    client = app.test_client()
    with app.app_context():
        from pen.auth import service as accounts
        from tests.conftest import PASSWORD

        accounts.create_user("big@example.org", "Big Photo", PASSWORD)
        db.session.commit()
    login(client, "big@example.org")
    big = jpeg_with_exif(size=(3000, 3000))
    big += b"\x00" * (1024 * 1024)  # pad past the limit
    response = client.post("/members/me/edit", data=edit_data(
        display_name="Big Photo", photo=(io.BytesIO(big), "big.jpg")),
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert "larger than 1 MB" in response.get_data(as_text=True)


def test_photos_of_invisible_members_are_not_served(make_member, member_client, app):
    from pen.auth.models import UserStatus

    hidden = make_member("Not Yet", status=UserStatus.INVITED, password=None)
    profile = service.profile_of(hidden)
    service.set_photo(SYSTEM, profile, jpeg_with_exif((50, 50)))
    assert member_client.get(f"/members/{hidden.id}/photo").status_code == 404
    assert member_client.get(f"/members/{hidden.id}").status_code == 404
    assert member_client.get(f"/members/{hidden.id}.vcf").status_code == 404



def test_admin_keeps_the_vocabulary(admin_client, vocabulary, ana, indexed):
    term = vocabulary["PCB inventories"]
    service_profile = service.profile_of(ana)
    service_profile.expertise = [term]
    db.session.commit()
    assert admin_client.post("/members/expertise", data={"name": "Oil testing kits"}
                             ).status_code == 302
    duplicate = admin_client.post("/members/expertise", data={"name": "oil TESTING kits"})
    assert "already in the vocabulary" in duplicate.get_data(as_text=True)
    admin_client.post(f"/members/expertise/{term.id}",
                      data={"action": "rename", "name": "National PCB inventories"})
    indexed()
    page = admin_client.get("/members/?q=national+inventories").get_data(as_text=True)
    assert "Ana González" in page
    admin_client.post(f"/members/expertise/{term.id}", data={"action": "delete"})
    db.session.expire_all()
    assert service.profile_of(ana).expertise == []


def test_member_cannot_touch_the_vocabulary(member_client, vocabulary):
    term = vocabulary["PCB inventories"]
    assert member_client.get("/members/expertise").status_code == 403
    assert member_client.post(f"/members/expertise/{term.id}",
                              data={"action": "delete"}).status_code == 403
