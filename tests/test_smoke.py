"""The app starts, serves the login page and lets a member in."""

from tests.conftest import login


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/login?next=/")


def test_member_signs_in_and_sees_home(client, member):
    response = login(client, member.email)
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Welcome, Nguyen Thi Lan" in page
