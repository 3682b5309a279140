"""Serving fetched MMS media at their unguessable URLs (`/media/<token>/<file_name>`).

Anyone holding the URL can read the file, as with Flowroute's own media links: the token is
128 random bits. Files live in the data dir's `media/`, named by their SHA-256.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from starlette.responses import FileResponse, Response

from longcode.db.tx import Sql
from longcode.errors import NotFound
from longcode.http.openapi import ERROR_RESPONSES
from longcode.http.state import StateDep

BY_TOKEN = Sql("SELECT digest, mime_type, file_name FROM message_media WHERE token = :token")

router = APIRouter(tags=["media"], responses=ERROR_RESPONSES)


@router.get("/media/{token}/{file_name}", operation_id="get_media", include_in_schema=False)
async def get_media(token: str, file_name: str, state: StateDep) -> Response:
    row = await state.runner.read(lambda tx: tx.fetchone(BY_TOKEN, {"token": token}))
    path = None if row is None else Path(state.settings.data_dir) / "media" / row[0]
    if row is None or row[2] != file_name or path is None or not path.is_file():
        raise NotFound("No such media file.", code="media_not_found")
    return FileResponse(path, media_type=row[1], headers={"Cache-Control": "private, max-age=86400"})
