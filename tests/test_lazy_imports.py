"""Creating the app imports no heavy library a page does not need: each comes with the
first request that uses it (memory per web worker; see README "Benchmarks")."""

import json
import subprocess
import sys

HEAVY = ("numpy", "pypdf", "docx", "PIL", "alembic", "flask_migrate", "icalendar", "vobject",
         "segno", "aiosmtpd", "redis", "openpyxl")

SCRIPT = """
import json, sys
import pen
pen.create_app({"SECRET_KEY": "x", "DATABASE_URL": sys.argv[1],
                "CHECK_DATABASE_AT_START": False, "INSTANCE_PATH": sys.argv[2]})
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_creating_the_app_imports_no_heavy_library(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, f"sqlite:///{tmp_path / 'pen.sqlite3'}",
         str(tmp_path / "instance")],
        capture_output=True, text=True, check=True, timeout=120)
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert not loaded.intersection(HEAVY), sorted(loaded.intersection(HEAVY))


HEADS = """
import sys
import pen
app = pen.create_app({"SECRET_KEY": "x", "DATABASE_URL": sys.argv[1],
                      "CHECK_DATABASE_AT_START": False, "INSTANCE_PATH": sys.argv[2]})
assert "alembic" not in sys.modules
result = app.test_cli_runner().invoke(args=["db", "heads"])
print(result.exit_code, result.output)
"""


def test_the_migration_commands_are_there_without_being_imported(tmp_path):
    # In a process of its own: Alembic binds its output stream when it is first imported,
    # so in a test process that imported it earlier the runner would not see the output.
    done = subprocess.run(
        [sys.executable, "-c", HEADS, f"sqlite:///{tmp_path / 'pen.sqlite3'}",
         str(tmp_path / "instance")],
        capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.startswith("0 ") and "(head)" in done.stdout, done.stdout + done.stderr
