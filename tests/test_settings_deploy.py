"""The settings as a deployment gets them: the real settings module, read from the environment in a fresh process."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_debug_off(tmp_path):
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        SECRET_KEY="k" * 20 + "-a-long-random-production-key-for-this-test-only", DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_a_secret_key_and_debug_off_it_refuses_to_start(tmp_path):
    result = _manage("check", DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    assert result.returncode != 0
    assert "Set SECRET_KEY (or DEBUG=true for local development)." in result.stderr
