"""Settings, the generated secret key, and the command line."""

import stat

from pen import create_app
from pen.admin import demo
from pen.auth import service
from pen.auth.models import UserStatus
from pen.extensions import db
from tests.conftest import PASSWORD, login


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path):
    settings = {"INSTANCE_PATH": str(tmp_path / "inst"), "DATABASE_URL": "sqlite://"}
    first = create_app(settings).config["SECRET_KEY"]
    second = create_app(settings).config["SECRET_KEY"]
    key_file = tmp_path / "inst" / "secret_key"
    assert first == second == key_file.read_text().strip()
    assert len(first) >= 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_settings_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PEN_SESSION_IDLE_MINUTES", "15")
    monkeypatch.setenv("PEN_MAIL_FROM", "PEN <pen@example.org>")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k"})
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() == 15 * 60
    assert app.config["MAIL_FROM"] == "PEN <pen@example.org>"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'pen.sqlite3'}"


def test_instance_config_file_is_read(tmp_path):
    (tmp_path / "config.py").write_text("SITE_NAME = 'PEN staging'\nMAX_CONTENT_MB = 3\n")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k"})
    assert app.config["SITE_NAME"] == "PEN staging"
    assert app.config["MAX_CONTENT_LENGTH"] == 3 * 1024 * 1024


def test_debug_is_only_on_in_development(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert not create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k"}).debug
    assert create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k",
                       "ENV": "development"}).debug


def test_users_create_command(app):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "--email", "New.Expert@Example.org", "--name", "Ana González",
        "--password", PASSWORD, "--role", "moderator"])
    assert result.exit_code == 0, result.output
    user = service.find_by_email("new.expert@example.org")
    assert user.display_name == "Ana González"
    assert user.role_names == {"member", "moderator"} and user.status == UserStatus.ACTIVE


def test_users_create_refuses_a_bad_email_and_a_duplicate(app, member):
    runner = app.test_cli_runner()
    bad = runner.invoke(args=["users", "create", "--email", "two@@example.org", "--name", "X",
                              "--password", PASSWORD])
    assert bad.exit_code != 0 and "not a valid email" in bad.output
    dup = runner.invoke(args=["users", "create", "--email", member.email.upper(), "--name", "X",
                              "--password", PASSWORD])
    assert dup.exit_code != 0 and "already exists" in dup.output


def test_users_set_status_command(app, member):
    result = app.test_cli_runner().invoke(args=["users", "set-status", "--email", member.email,
                                                "suspended"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert member.status == UserStatus.SUSPENDED


def test_seed_demo_is_idempotent_and_keeps_changes(app, client):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"]).output
    assert "7 account(s) and 37 member profile(s) created" in first
    admin = service.find_by_email("admin@pen.example")
    service.change_password(admin, demo.DEMO_PASSWORD, "changed by the admin")
    again = runner.invoke(args=["seed-demo"]).output
    assert "0 account(s) and 0 member profile(s) created" in again
    assert login(client, "admin@pen.example", "changed by the admin").status_code == 302


def test_seed_demo_has_an_account_for_every_role(app, client):
    app.test_cli_runner().invoke(args=["seed-demo"])
    for email, role in [("admin@pen.example", "admin"), ("moderator@pen.example", "moderator"),
                        ("committee@pen.example", "committee"), ("member@pen.example", "member")]:
        assert role in service.find_by_email(email).role_names
        assert login(client, email, demo.DEMO_PASSWORD).status_code == 302
        client.post("/auth/logout")
