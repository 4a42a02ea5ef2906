"""Test settings: the base settings, only made faster."""

import os

# A key of the test run's own: without DEBUG the settings refuse to start on the default one.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")

from .base import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run eagerly unless a test starts a real worker (tests/conftest.py, celery_worker).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Tests collect no static files, so WhiteNoise has no folder to scan (the live server of the
# browser tests serves static files from the apps).
STATIC_ROOT = None
