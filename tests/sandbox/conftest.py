"""Sandbox tests: the workers run inside the app, fast (short polls, delays and backoff)."""

from __future__ import annotations

import pytest

from tests.support.delivery import FAST


@pytest.fixture
def settings_overrides(request: pytest.FixtureRequest) -> dict[str, object]:
    return {**FAST, **getattr(request, "param", {})}
