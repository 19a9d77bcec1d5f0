"""Shared fixtures: the tiny test knowledge base and the real, packaged one."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from spinecheck.core.model import CompiledModel
from spinecheck.services import accounts
from spinecheck.services.assessment import load_model

# The app the tests build keeps its diary in a database of the test run, never in the person's own.
os.environ.pop("DATABASE_URL", None)
os.environ["SPINECHECK_DATA_DIR"] = tempfile.mkdtemp(prefix="spinecheck-tests-")
atexit.register(shutil.rmtree, os.environ["SPINECHECK_DATA_DIR"], True)
# the reader's kept work (adapters/nlp/build_cache.py) goes to a folder of the test run's own
os.environ["SPINECHECK_CACHE_DIR"] = tempfile.mkdtemp(prefix="spinecheck-cache-")
atexit.register(shutil.rmtree, os.environ["SPINECHECK_CACHE_DIR"], True)

# Argon2id with small parameters, so that signing up in a test costs milliseconds; the default
# parameters are checked in test_accounts.py.
accounts.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))

pytest_plugins = ["web_support", "db_support", "diary_support"]

MINI_KB = Path(__file__).parent / "fixtures" / "mini_kb"


@pytest.fixture(scope="session")
def mini_model() -> CompiledModel:
    """Four made-up conditions: small enough to check every number by hand."""
    return load_model(MINI_KB)


@pytest.fixture(scope="session")
def model() -> CompiledModel:
    """The knowledge base that ships with spinecheck."""
    return load_model()
