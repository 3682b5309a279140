"""Opt-out keywords (CTIA's): STOP and its synonyms block a number from messaging the sender,
START lifts the block, HELP is answered with the account's help text.

The keyword is the whole message, trimmed and in any case (`Stop`, ` STOP `), as carriers
match it; "please stop" is an ordinary message.
"""

from __future__ import annotations

from longcode.db.base import utcnow
from longcode.db.tx import Sql, Tx

STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"})
START_WORDS = frozenset({"START", "UNSTOP", "YES", "OPTIN"})
HELP_WORDS = frozenset({"HELP", "INFO"})

MAX_HELP_REPLY = 320
"""Two GSM segments: carriers expect a HELP answer to be short."""
DEFAULT_HELP_REPLY = "Reply STOP to stop receiving messages from this number, START to receive them again."

STOP, START, HELP = "stop", "start", "help"

ADD = Sql(
    "INSERT INTO opt_out (number, sender, created_at) VALUES (:number, :sender, :now) ON CONFLICT DO NOTHING"
)
REMOVE = Sql("DELETE FROM opt_out WHERE number = :number AND sender = :sender")
HELP_TEXT = Sql("SELECT help_reply FROM account WHERE id = :account_id")


def keyword(body: str | None) -> str | None:
    """`stop`, `start` or `help` if the body is one of their keywords, else None."""
    word = (body or "").strip().upper()
    if word in STOP_WORDS:
        return STOP
    if word in START_WORDS:
        return START
    if word in HELP_WORDS:
        return HELP
    return None


async def apply(tx: Tx, *, number: str, sender: str, word: str) -> None:
    """Record a STOP or lift it with START (HELP changes nothing here)."""
    if word == STOP:
        await tx.execute(ADD, {"number": number, "sender": sender, "now": utcnow()})
    elif word == START:
        await tx.execute(REMOVE, {"number": number, "sender": sender})


async def help_reply(tx: Tx, account_id: int) -> str:
    row = await tx.fetchone(HELP_TEXT, {"account_id": account_id})
    return (row[0] if row else None) or DEFAULT_HELP_REPLY
