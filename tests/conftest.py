"""Fixtures: settings (built, never read from the environment), a fresh database per test,
the app with its lifespan running, an httpx client over ASGITransport, and an account."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from longcode.accounts.provisioning import Provisioned
from longcode.app import create_app
from longcode.config import ExplicitSettings, Settings
from tests.factories import make_account
from tests.support.databases import PostgresTemplates, SqliteTemplates, postgres_url
from tests.support.webhook_sink import WebhookSink, running_sink

BASE_URL = "http://127.0.0.1:8080"


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteTemplates | PostgresTemplates]:
    root = tmp_path_factory.mktemp("templates")
    url = postgres_url()
    if url is None:
        yield SqliteTemplates(root)
        return
    pg = PostgresTemplates(url, root)
    yield pg
    pg.close()


@pytest.fixture
def database_url(templates: SqliteTemplates | PostgresTemplates, tmp_path: Path) -> Iterator[str]:
    if isinstance(templates, SqliteTemplates):
        yield templates.fresh(tmp_path)
        return
    url, name = templates.fresh()
    yield url
    templates.drop(name)


@pytest.fixture
def settings_overrides(request: pytest.FixtureRequest) -> dict[str, object]:
    """Extra settings for one test, through
    `@pytest.mark.parametrize("settings_overrides", [{...}], indirect=True)`."""
    return dict(getattr(request, "param", {}))


@pytest.fixture
def settings(tmp_path: Path, database_url: str, settings_overrides: dict[str, object]) -> Settings:
    # Workers are off unless a test asks for them, so it can see a message as it was accepted.
    overrides = {"workers": False, **settings_overrides}
    return ExplicitSettings(data_dir=tmp_path, database_url=database_url, demo=False, **overrides)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        yield http


@pytest.fixture
async def sink() -> AsyncIterator[WebhookSink]:
    """A real HTTP receiver for webhooks (and media files) on a loopback port."""
    async with running_sink() as receiver:
        yield receiver


@pytest.fixture
async def account(app: FastAPI) -> Provisioned:
    return await make_account(app, name="acme")


@pytest.fixture
async def other_account(app: FastAPI) -> Provisioned:
    return await make_account(app, name="globex")
