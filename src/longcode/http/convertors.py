"""Path convertors for routes whose last segment is one of a fixed set of names."""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor


class CallbackTypeConvertor(Convertor[str]):
    """Matches the messaging callback types, so other `/relationships/...` paths stay free."""

    regex = "(?:sms|mms|sms_dlr|mms_dlr|dlr)_callback"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


def register() -> None:
    register_url_convertor("callback_type", CallbackTypeConvertor())
