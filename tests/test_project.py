import ast
import configparser
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_migrations_are_complete():
    """Every model change has its migration."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _settings_in_subprocess(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_a_missing_secret_key():
    """With DEBUG off and no secret key, settings refuse to load and say why."""
    result = _settings_in_subprocess(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_key():
    """The well-known development key is not accepted in production."""
    from newsroom.settings import DEV_SECRET_KEY

    result = _settings_in_subprocess(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=DEV_SECRET_KEY)
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_real_key():
    """A long random key and DEBUG off load fine."""
    result = _settings_in_subprocess(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 20 + "a-long-random-production-key")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_development_runs_with_nothing_set():
    """With no environment at all the site runs in development mode."""
    result = _settings_in_subprocess()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


@pytest.mark.django_db
def test_demo_editor_prints_a_login_that_works(client, settings, tmp_path):
    """`make run` prints an admin login for the address it serves; signing in with it reaches the admin."""
    import io
    import re

    from django.core.management import CommandError

    with pytest.raises(CommandError, match="only runs with DJANGO_DEBUG on"):
        call_command("demo_editor")
    settings.DEBUG, settings.VAR_DIR = True, tmp_path
    out = io.StringIO()
    call_command("demo_editor", "--site", "http://127.0.0.1:8123", stdout=out)
    match = re.search(r"Admin login: http://127\.0\.0\.1:8123/admin/  user: (\S+)  password: (\S+)", out.getvalue())
    assert match, out.getvalue()
    response = client.post("/admin/login/?next=/admin/", {"username": match[1], "password": match[2]})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    writer = re.search(r"Writer login: http://127\.0\.0\.1:8123/admin/  user: (\S+)  password: (\S+)", out.getvalue())
    assert writer, out.getvalue()
    client.logout()
    response = client.post("/admin/login/?next=/admin/", {"username": writer[1], "password": writer[2]})
    assert response.status_code == 302
    desk = client.get("/admin/").content.decode()
    assert "My drafts" in desk and "Waiting for review" not in desk  # a writer's desk


def test_every_test_is_collected_once():
    """No test is collected under a second module: pytest collects every Test* class and test function a module
    imports, so a test module that borrows from another runs the other's tests again."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    modules_by_test = defaultdict(list)
    for node_id in result.stdout.splitlines():
        module, separator, test = node_id.partition("::")
        if separator:
            modules_by_test[test].append(module)
    repeated = {test: modules for test, modules in modules_by_test.items() if len(modules) > 1}
    assert len(modules_by_test) > 500 and not repeated, repeated


def test_no_test_module_imports_from_another():
    """Helpers shared by tests live in factories and fixtures; a test module imports from no other test module,
    even inside a function, so that nothing it borrows can bring tests along."""
    borrowed = []
    for path in sorted([*ROOT.glob("articles/tests/**/test_*.py"), *ROOT.glob("tests/**/test_*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            modules += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            borrowed += [f"{path.relative_to(ROOT)}:{node.lineno} {m}" for m in modules if "test_" in m]
    assert not borrowed


class UpwardImport(NamedTuple):
    """Code added to a copy of the tree (``path``: text appended, the file made if missing) and the line of
    lint-imports' report that must name it."""

    code: dict[str, str]
    reported: str


UPWARD_IMPORTS = [
    pytest.param(
        UpwardImport({"pagecache/upward.py": "from articles.models import Article\n"},
                     "pagecache.upward -> articles.models (l.1)"),
        id="the page cache importing the content's models",
    ),
    pytest.param(
        UpwardImport({"articles/workflow/upward.py": "import articles.desk\n"},
                     "articles.workflow.upward -> articles.desk (l.1)"),
        id="the workflow importing the desk",
    ),
    pytest.param(
        UpwardImport({"newsroom/health.py": "\n\ndef upward():\n    import articles.models\n"},
                     "newsroom.health -> articles.models (l."),
        id="a project helper importing an app, inside a function",
    ),
    pytest.param(
        UpwardImport({"interchange/frontmatter.py": "\n\ndef upward():\n    import pagecache.generation\n"},
                     "interchange.frontmatter -> pagecache.generation (l."),
        id="Hugo front matter importing the page cache",
    ),
    pytest.param(
        UpwardImport({"pagecache/loop_a.py": "def first():\n    from pagecache import loop_b\n",
                      "pagecache/loop_b.py": "from pagecache import loop_a\n"},
                     "- .loop_b -> .loop_a (1 import)"),
        id="two sibling modules importing each other",
    ),
]  # fmt: skip


@pytest.fixture
def tree_copy(tmp_path):
    """A copy of the packages that .importlinter names, with the contracts, for lint-imports to read."""
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    shutil.copy(ROOT / ".importlinter", tmp_path)
    for package in config["importlinter"]["root_packages"].split():
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


@pytest.mark.parametrize("upward", UPWARD_IMPORTS)
def test_the_import_contracts_refuse_an_upward_import(tree_copy, upward):
    """lint-imports fails on a tree with one import against the layers, and names that import."""
    for path, code in upward.code.items():
        with (tree_copy / path).open("a", encoding="utf-8") as module:
            module.write(code)
    env = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    result = subprocess.run(
        [Path(sys.executable).with_name("lint-imports"), "--no-cache"],
        cwd=tree_copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert upward.reported in result.stdout, result.stdout


MODULE_LINES = 400
NOT_MODULES = {"migrations", "tests", "var", "node_modules", "__pycache__"}  # and folders starting with a dot
# Each module over the limit, with the reason it is; the test fails when one of them shrinks under the limit too.
LONG_MODULES = {}  # module: why it is longer than MODULE_LINES


def test_no_module_is_over_400_lines_but_the_listed_ones():
    """Outside migrations and tests no module is over 400 lines, except those listed with their reason; a listed
    module that shrinks below leaves the list."""
    over = {}
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in NOT_MODULES and not name.startswith(".")]
        for name in files:
            if name.endswith(".py") and name != "conftest.py":
                path = Path(folder, name)
                lines = len(path.read_text(encoding="utf-8").splitlines())
                if lines > MODULE_LINES:
                    over[path.relative_to(ROOT).as_posix()] = lines
    assert sorted(over) == sorted(LONG_MODULES), f"over {MODULE_LINES} lines: {over}"
