"""The `tercul` command: import, export, users, errors with non-zero exits."""
import json
import subprocess
import sys

from sqlalchemy import func, select

from tercul.importers.bundle_format import bundle_to_data, write_bundle
from tercul.models import User, Work

from samples import sample_bundle


def works_count(session):
    return session.scalar(select(func.count(Work.id)))


def test_import_then_export(cli_runner, session, tmp_path):
    src = tmp_path / "in.yaml"
    write_bundle(sample_bundle(), src)
    result = cli_runner.invoke(args=["import", "tercul", str(src)])
    assert result.exit_code == 0, result.output
    assert "created: 1 authors, 1 translations, 3 works" in result.output
    again = cli_runner.invoke(args=["import", "tercul", str(src)])
    assert "unchanged: 1 authors, 1 translations, 3 works" in again.output
    out = tmp_path / "out.json"
    result = cli_runner.invoke(args=["export", str(out)])
    assert result.exit_code == 0, result.output
    assert {w["slug"] for w in json.loads(out.read_text())["works"]} == {"collected", "grey-stones", "the-road"}


def test_broken_file_imports_nothing_and_exits_non_zero(cli_runner, session, tmp_path):
    good = tmp_path / "good.json"
    write_bundle(sample_bundle(), good)
    data = bundle_to_data(sample_bundle())
    del data["works"][2]["text"]["divisions"][0]["kind"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    result = cli_runner.invoke(args=["import", "tercul", str(good), str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: works[2].text.divisions[0].kind: missing" in result.output
    assert "nothing was imported" in result.output
    assert works_count(session) == 0


def test_unknown_format_and_missing_file(cli_runner, session, tmp_path):
    assert cli_runner.invoke(args=["import", "pdf", "x"]).exit_code == 2
    result = cli_runner.invoke(args=["import", "tercul", str(tmp_path / "nope.json")])
    assert result.exit_code == 1 and "no such file" in result.output


def test_users_create_and_grant(cli_runner, session):
    result = cli_runner.invoke(args=["users", "create", "--email", "Ada@Example.org", "--password",
                                     "correct horse battery", "--name", "Ada L", "--role", "admin"])
    assert result.exit_code == 0, result.output
    user = session.scalar(select(User).where(User.email == "ada@example.org"))
    assert user.role == "admin" and user.password_hash.startswith("$argon2id$") and user.is_verified
    assert cli_runner.invoke(args=["users", "grant", "ada@example.org", "reviewer"]).exit_code == 0
    assert session.scalar(select(User.role).where(User.id == user.id)) == "reviewer"
    dup = cli_runner.invoke(args=["users", "create", "--email", "ada@example.org", "--password",
                                  "another password", "--name", "Ada 2"])
    assert dup.exit_code == 1 and "already exists" in dup.output
    short = cli_runner.invoke(args=["users", "create", "--email", "b@example.org", "--password", "short",
                                    "--name", "B"])
    assert short.exit_code == 1 and "at least 8" in short.output
    missing = cli_runner.invoke(args=["users", "grant", "nobody@example.org", "admin"])
    assert missing.exit_code == 1 and "no user" in missing.output


def test_console_script_reports_bad_configuration(tmp_path):
    """`tercul` exits non-zero and names the variable when the environment is wrong."""
    env = {"PATH": "", "TERCUL_INSTANCE": str(tmp_path), "SEARCH_BACKEND": "lucene"}
    result = subprocess.run([sys.executable, "-c", "from tercul.cli import main; main()", "routes"],
                            env=env, capture_output=True, text=True)
    assert result.returncode == 2
    assert "SEARCH_BACKEND" in result.stderr and "lucene" in result.stderr


def test_console_script_explains_an_unmigrated_or_unreachable_database(tmp_path):
    """A command on a database without Tercul's tables, or one that does not answer,
    says what to do and exits 2 (no traceback)."""
    base = {"PATH": "", "TERCUL_INSTANCE": str(tmp_path)}
    empty = subprocess.run([sys.executable, "-c", "from tercul.cli import main; main()", "users", "list"],
                           env=base, capture_output=True, text=True)
    assert empty.returncode == 2, empty.stderr
    assert "tercul db upgrade" in empty.stderr and "Traceback" not in empty.stderr
    gone = subprocess.run([sys.executable, "-c", "from tercul.cli import main; main()", "users", "list"],
                          env={**base, "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:1/none"},
                          capture_output=True, text=True)
    assert gone.returncode == 2, gone.stderr
    assert "cannot reach the database" in gone.stderr and "Traceback" not in gone.stderr
