"""Production settings: refuse to start without secrets, and `check --deploy` reports nothing."""

import os
import subprocess
import sys

PROD_ENV = {
    "SECRET_KEY": "x" * 60 + "-production-like-secret-for-the-check",
    "ALLOWED_HOSTS": "samenspel.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/samenspel",
    "CACHE_URL": "rediscache://127.0.0.1:6379/1",
}


def manage(*args, **env):
    unset = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args], env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


def test_check_deploy_is_silent_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_with_a_cache_per_process():
    """Rate limits count in the cache: one per web worker would multiply the allowed login attempts."""
    for cache_url in ["locmemcache://", "dummycache://"]:
        result = manage("check", "--deploy", **{**PROD_ENV, "CACHE_URL": cache_url})
        assert result.returncode != 0, cache_url
        assert "common.E001" in result.stdout + result.stderr
    without = {k: v for k, v in PROD_ENV.items() if k != "CACHE_URL"}
    result = manage("check", "--deploy", **without)
    assert result.returncode != 0 and "common.E001" in result.stdout + result.stderr


def test_a_cache_per_process_is_fine_in_development():
    result = manage("check", "--deploy", **{**PROD_ENV, "CACHE_URL": "locmemcache://", "DEBUG": "1"})
    assert "common.E001" not in result.stdout + result.stderr


def test_refuses_to_start_without_secret_key():
    env = {k: v for k, v in PROD_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", **env)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PROD_ENV.items() if k != "ALLOWED_HOSTS"}
    result = manage("check", **env)
    assert result.returncode != 0 and "ALLOWED_HOSTS" in result.stderr


def test_refuses_to_start_without_database():
    env = {k: v for k, v in PROD_ENV.items() if k != "DATABASE_URL"}
    result = manage("check", **env)
    assert result.returncode != 0 and "DATABASE_URL" in result.stderr
