"""Settings: database URLs people paste are accepted and given the async drivers."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from longcode.config import ExplicitSettings


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://u:p@db/longcode", "postgresql+asyncpg://u:p@db/longcode"),
        ("postgresql://u@db:5433/x", "postgresql+asyncpg://u@db:5433/x"),
        ("postgresql+asyncpg://u@db/x", "postgresql+asyncpg://u@db/x"),
        ("sqlite:////srv/longcode.db", "sqlite+aiosqlite:////srv/longcode.db"),
    ],
)
def test_database_url_gets_the_async_driver(given, used):
    assert ExplicitSettings(data_dir=Path("d"), database_url=given).effective_database_url == used


@pytest.mark.parametrize("bad", ["mysql://u@db/x", "just-a-path.db"])
def test_unsupported_database_url_is_refused_clearly(bad):
    with pytest.raises(ValidationError, match="unsupported database|not a database URL"):
        ExplicitSettings(data_dir=Path("d"), database_url=bad)


def test_default_database_is_sqlite_in_the_data_dir(tmp_path):
    settings = ExplicitSettings(data_dir=tmp_path)
    assert settings.effective_database_url == f"sqlite+aiosqlite:///{tmp_path.resolve() / 'longcode.db'}"
    assert settings.is_sqlite


def test_https_is_required_only_off_loopback_without_tls_or_override(tmp_path):
    assert not ExplicitSettings(data_dir=tmp_path).requires_https
    assert ExplicitSettings(data_dir=tmp_path, host="0.0.0.0").requires_https
    assert not ExplicitSettings(data_dir=tmp_path, host="0.0.0.0", allow_http=True).requires_https
    tls = ExplicitSettings(data_dir=tmp_path, host="0.0.0.0", tls_cert=Path("c"), tls_key=Path("k"))
    assert not tls.requires_https


def test_bad_trusted_proxy_is_refused(tmp_path):
    with pytest.raises(ValidationError):
        ExplicitSettings(data_dir=tmp_path, trusted_proxies="10.0.0.0/8, not-an-address")
