"""Safe production defaults: the deployment check, the refused development key, the CSP
without inline script, idle and absolute session limits, expiring and revocable API tokens,
and the login lockout per address (django-axes) answering 429 on the API."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

BASE_DIR = Path(settings.BASE_DIR)
TOKEN_URL = "/api/v1/auth/token/"
PRODUCTION = {
    "DEBUG": "0", "SECRET_KEY": "k3Yq9-vT7wZp2Lr8Nc5Hs1Jd6Fg4Bm0XeUaQiWoRyTtPlKjMn-4fA8sD", "ALLOWED_HOSTS": "mediation.example.cn",
    "SECURE_SSL_REDIRECT": "1", "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1", "SECURE_HSTS_PRELOAD": "1",
    "SESSION_COOKIE_SECURE": "1", "CSRF_COOKIE_SECURE": "1", "SECURE_PROXY_SSL_HEADER": "1",
    "FIELD_ENCRYPTION_KEYS": "cHJvZHVjdGlvbi10ZXN0LWZlcm5ldC1rZXktMzJieSE=",
    "PERSONAL_DATA_HASH_KEY": "production-test-hash-key",
}


SECRETS = {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG", "FIELD_ENCRYPTION_KEYS",
           "PERSONAL_DATA_HASH_KEY"}


def _manage(args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in SECRETS}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.base", **env)
    return subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), *args], cwd=BASE_DIR,
                          env=environment, text=True, capture_output=True, timeout=120)


# --- Settings --------------------------------------------------------------------------------

def test_check_deploy_is_clean_with_the_documented_production_variables():
    result = _manage(["check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("key", [None, "dev-only-insecure-key-change-me-in-production"])
def test_without_debug_the_app_refuses_to_start_on_the_development_key(key):
    env = dict(PRODUCTION)
    env.pop("SECRET_KEY")
    if key:
        env["SECRET_KEY"] = key
    result = _manage(["migrate", "--plan"], **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_without_debug_the_app_refuses_to_start_without_the_personal_data_keys():
    env = {k: v for k, v in PRODUCTION.items() if k != "PERSONAL_DATA_HASH_KEY"}
    result = _manage(["migrate", "--plan"], **env)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS and PERSONAL_DATA_HASH_KEY must be set" in result.stderr


def test_commands_that_only_read_the_code_run_without_the_keys():
    """A fresh checkout lints, checks its migrations and builds its schema without secrets;
    the deployment check still asks for them."""
    env = {k: v for k, v in PRODUCTION.items()
           if k not in ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "PERSONAL_DATA_HASH_KEY")}
    result = _manage(["makemigrations", "--check", "--dry-run"], **env)
    assert result.returncode == 0, result.stderr
    deploy = _manage(["check", "--deploy"], **env)
    assert deploy.returncode != 0
    assert "SECRET_KEY must be set" in deploy.stderr


def test_with_debug_the_development_key_serves():
    result = _manage(["check"], DEBUG="1")
    assert result.returncode == 0, result.stderr


# --- Content Security Policy -----------------------------------------------------------------

@pytest.mark.django_db
def test_pages_carry_a_csp_that_allows_no_inline_script(client_as):
    response = client_as("leader").get("/")
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert script_src.strip() == "'self'"
    assert "frame-ancestors 'none'" in policy


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for path in (BASE_DIR / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(
                r"\son[a-z]+\s*=\s*[\"']", text) or "javascript:" in text:
            offenders.append(str(path.relative_to(BASE_DIR)))
    assert offenders == []


# --- Sessions --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_an_idle_session_is_logged_out(leader):
    client = Client()
    client.force_login(leader)
    assert client.get("/").status_code == 200
    session = client.session
    session["_last_seen"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_an_active_session_stays_and_ends_at_its_absolute_lifetime(leader):
    client = Client()
    before = timezone.now()
    client.force_login(leader)
    session = client.session
    session["_last_seen"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT + 120
    session.save()
    assert client.get("/").status_code == 200
    expiry = client.session.get_expiry_date()
    lifetime = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert before + lifetime - timedelta(seconds=5) <= expiry <= timezone.now() + lifetime


# --- API tokens ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_an_expired_token_is_refused_and_deleted(gm01):
    token = Token.objects.create(user=gm01)
    Token.objects.filter(pk=token.pk).update(
        created=timezone.now() - timedelta(seconds=settings.API_TOKEN_TTL + 1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/v1/towns/")
    assert response.status_code == 401
    assert response.json() == {"detail": "令牌已过期，请重新登录。"}
    assert not Token.objects.filter(pk=token.pk).exists()


@pytest.mark.django_db
def test_logging_in_again_after_expiry_issues_a_new_token(gm01):
    old = Token.objects.create(user=gm01)
    Token.objects.filter(pk=old.pk).update(
        created=timezone.now() - timedelta(seconds=settings.API_TOKEN_TTL + 1))
    response = APIClient().post(TOKEN_URL, {"username": "gm01", "password": "demo12345"})
    assert response.status_code == 200
    assert response.json()["token"] != old.key


@pytest.mark.django_db
def test_a_token_is_revoked_by_delete(gm01):
    key = APIClient().post(TOKEN_URL, {"username": "gm01", "password": "demo12345"}).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.delete(TOKEN_URL).status_code == 204
    assert not Token.objects.filter(key=key).exists()
    assert client.get("/api/v1/towns/").status_code == 401
    assert APIClient().delete(TOKEN_URL).status_code == 401


# --- Lockout ---------------------------------------------------------------------------------

@pytest.mark.django_db
def test_many_usernames_from_one_address_lock_the_address_and_the_api_answers_429(gm01):
    client = APIClient()
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(TOKEN_URL, {"username": f"nobody{n}", "password": "x"})
        assert response.status_code in (401, 429)
    # Now even the right password of another account is refused from that address.
    response = client.post(TOKEN_URL, {"username": "gm01", "password": "demo12345"})
    assert response.status_code == 429
    assert "锁定" in response.json()["detail"]
    assert not Token.objects.filter(user=gm01).exists()
    # Another address is not affected.
    other = APIClient(REMOTE_ADDR="10.0.0.9")
    assert other.post(TOKEN_URL, {"username": "gm01", "password": "demo12345"}).status_code == 200


def test_the_favicon_is_the_app_s_own_shipped_icon(client):
    """Browsers ask for /favicon.ico on a page without an icon link: it leads to the icon in
    the app's static files (nothing from a CDN), signed in or not."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == settings.STATIC_URL + "img/favicon.svg"
    assert (BASE_DIR / "static" / "img" / "favicon.svg").read_text().startswith("<svg")
