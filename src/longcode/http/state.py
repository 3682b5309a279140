"""What a running app holds (engine, writer, pepper, caches) and the dependencies that reach it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from longcode.config import Settings
from longcode.db.tx import TxRunner
from longcode.http.credential_cache import CredentialCache


@dataclass
class AppState:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    runner: TxRunner
    pepper: bytes
    admin_token: str = ""
    """Bearer token of the `/sandbox/` control plane."""
    credentials: CredentialCache = field(default_factory=CredentialCache)


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.longcode
    return state


StateDep = Annotated[AppState, Depends(get_state)]


async def get_session(state: StateDep) -> AsyncIterator[AsyncSession]:
    """One session per request; the handler commits, anything uncommitted is rolled back."""
    async with state.sessions() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


def base_url(request: Request, settings: Settings) -> str:
    """The scheme and host that `links` in answers start with."""
    if settings.public_url:
        return settings.public_url.rstrip("/")
    # Built from the scope directly: `request.base_url` re-parses a URL on every call.
    scope = request.scope
    host = request.headers.get("host")
    if not host:
        server = scope.get("server") or ("localhost", None)
        host = server[0] if server[1] in (None, 80, 443) else f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'http')}://{host}{scope.get('root_path', '')}"
