"""Test settings: the base settings, only made faster."""

import os

# A key of the test run's own: without DEBUG the settings refuse to start on the default one.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
# Fixed keys of the test run (Fernet keys are 32 url-safe base64 bytes).
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "dGVzdC1vbmx5LWZlcm5ldC1rZXktMzItYnl0ZXMtISE=")
os.environ.setdefault("PERSONAL_DATA_HASH_KEY", "test-only-hash-key")

from .base import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run eagerly unless a test starts a real worker (tests/conftest.py, celery_worker).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Tests collect no static files, so WhiteNoise has no folder to scan (the live server of the
# browser tests serves static files from the apps).
STATIC_ROOT = None
# Query counts pinned in tests count the scope rule's queries whatever ran before (the tests
# of the process's scope cache turn it on).
SCOPE_CACHE = False
# The dashboard is computed at every visit, so a test sees what it has just written (the tests
# of the kept figures turn it on).
DASHBOARD_KEPT_SECONDS = 0
