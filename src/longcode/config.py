"""Settings: every knob longcode has, from `LONGCODE_*` environment variables or CLI flags.

Built once and passed down (`create_app(settings)`); nothing reads the environment later.
Defaults are safe and working: a loopback sandbox on SQLite under `./var`.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from longcode.types import Nanodollars

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


class Settings(BaseSettings):
    """All configuration. Environment variable = `LONGCODE_` + the field name in capitals."""

    model_config = SettingsConfigDict(env_prefix="LONGCODE_", extra="ignore")

    # Where things live.
    data_dir: Path = Path("var")
    database_url: str | None = None
    """SQLAlchemy URL; default `sqlite+aiosqlite:///<data_dir>/longcode.db`."""
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"
    """FULL survives power loss after a 202 (group commit keeps it cheap); NORMAL only crashes."""
    sqlite_readers: int = Field(default=1, ge=1, le=32)
    """Threads serving API reads on SQLite (see `db.tx.SqliteReaders` for why one)."""

    # The HTTP listener.
    host: str = "127.0.0.1"
    port: int = 8080
    tls_cert: Path | None = None
    tls_key: Path | None = None
    allow_http: bool = False
    trusted_proxies: str = ""
    """Comma-separated addresses or CIDR blocks whose `X-Forwarded-Proto`/`-For` are believed."""
    public_url: str | None = None
    """Base of the `links` in answers; default: the URL the request came in on."""
    max_request_bytes: int = 256 * 1024

    # Messaging rules and prices (integer nanodollars; $0.0040 = 4,000,000).
    max_sms_body_chars: int = 1600
    max_mms_body_chars: int = 5000
    max_media_urls: int = 10
    sms_outbound_segment_nanodollars: Nanodollars = 4_000_000
    sms_inbound_segment_nanodollars: Nanodollars = 4_000_000
    mms_outbound_nanodollars: Nanodollars = 19_500_000
    mms_inbound_nanodollars: Nanodollars = 19_500_000
    idempotency_ttl_seconds: int = 24 * 3600

    # Numbers.
    number_aging_seconds: int = Field(default=90 * 24 * 3600, ge=0)
    """How long a released number rests before it can be bought again (carriers' aging)."""
    port_in_messaging_delay_seconds: int = Field(default=30, ge=0)
    """A ported-in number can send only after this; 3-5 days in production, seconds here."""
    cnam_auto_approve_seconds: int | None = Field(default=None, ge=0)
    """Approve new CNAM records by themselves after this many seconds (a sandbox convenience);
    unset: the operator approves or rejects each with `longcode cnam approve|reject`."""
    inventory_count: int = Field(default=100_000, ge=0)
    """Numbers the first start generates into an empty inventory (with `demo`)."""
    inventory_seed: int = 2026
    v1_timestamp_window_seconds: int = Field(default=900, ge=1)
    """How far a v1 request's `X-Timestamp` may be from the server's clock, either way."""

    # Delivery (see docs/delivery.md).
    workers: bool = True
    """Run the delivery and webhook workers inside `longcode serve` (off: `longcode worker` runs them)."""
    worker_batch: int = Field(default=100, ge=1, le=1000)
    """Messages (or webhook events) one claim takes at most."""
    worker_concurrency: int = Field(default=400, ge=1)
    """Messages one worker process has in hand at once."""
    worker_poll_seconds: float = Field(default=0.05, gt=0)
    """How often an idle worker looks for due work."""
    lease_seconds: float = Field(default=30.0, gt=0)
    """A claimed message is the worker's for this long; a worker that dies leaves it to expire."""
    shutdown_grace_seconds: float = Field(default=10.0, ge=0)
    message_validity_seconds: int = Field(default=24 * 3600, ge=1)
    """Undelivered this long after acceptance, a message ends `failed` (receipt: expired)."""
    delivery_retry_base_seconds: float = Field(default=1.0, gt=0)
    delivery_retry_max_seconds: float = Field(default=300.0, gt=0)
    pace_longcode_mps: float = Field(default=5.0, gt=0)
    """Messages a second one long-code number sends off-net (Flowroute's documented 5/s)."""
    pace_tollfree_mps: float = Field(default=25.0, gt=0)
    """Messages a second one toll-free number sends off-net."""

    smpp_response_timeout_seconds: float = Field(default=10.0, gt=0)
    """How long a `submit_sm` may wait for its response before the message is retried."""
    smpp_reconnect_max_seconds: float = Field(default=60.0, gt=0)
    """The longest wait between bind attempts when a carrier's link is down."""
    carrier_refresh_seconds: float = Field(default=5.0, gt=0)
    """How often a worker picks up carriers added, changed or removed with `longcode carriers`."""

    # Webhooks (see docs/webhooks.md).
    webhook_timeout_seconds: float = Field(default=5.0, gt=0)
    webhook_max_attempts: int = Field(default=8, ge=1)
    webhook_retry_base_seconds: float = Field(default=30.0, gt=0)
    """First retry after this; each next one waits twice as long (with jitter), at most 1 h."""
    webhook_concurrency: int = Field(default=100, ge=1)
    webhook_account_concurrency: int = Field(default=32, ge=1)
    """Deliveries in flight for one account: a slow receiver holds only its own account's slots."""

    # MMS media.
    media_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1)
    media_fetch_timeout_seconds: float = Field(default=10.0, gt=0)
    media_allow_private: bool = False
    """Let media URLs (and their redirects) reach private, loopback and link-local addresses."""

    # The sandbox carrier and control plane.
    sandbox_receipt_delay_seconds: float = Field(default=0.2, ge=0)
    """Between a sandbox submit and its final receipt."""
    sandbox_delayed_receipt_seconds: float = Field(default=30.0, ge=0)
    """The receipt delay of the magic "delayed receipt" number."""
    sandbox_failure_ratio: float = Field(default=0.0, ge=0, le=1)
    """Share of ordinary sandbox destinations that end undeliverable, at random."""
    admin_token: str | None = None
    """Bearer token of the `/sandbox/` control plane; unset: made on the first start and printed."""

    # Sandbox start-up.
    demo: bool = True
    """Create the demo account on the first start in an empty data dir."""

    log_level: str = "info"
    access_log: bool = False
    """One log line per request (off by default: it costs ~10% of send throughput)."""

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_parse(cls, value: str) -> str:
        for item in _split(value):
            ipaddress.ip_network(item, strict=False)
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url_driver(cls, value: str | None) -> str | None:
        """Accept the URLs people have (`postgres://`, `postgresql://`, `sqlite:///`) and pick
        the async drivers longcode ships with."""
        if not value:
            return None
        scheme, sep, rest = value.partition("://")
        if not sep:
            raise ValueError(f"not a database URL: {value!r} (expected postgresql://... or sqlite:///...)")
        drivers = {
            "postgres": "postgresql+asyncpg",
            "postgresql": "postgresql+asyncpg",
            "postgresql+asyncpg": "postgresql+asyncpg",
            "sqlite": "sqlite+aiosqlite",
            "sqlite+aiosqlite": "sqlite+aiosqlite",
        }
        if scheme not in drivers:
            raise ValueError(f"unsupported database {scheme!r}: use PostgreSQL or SQLite")
        return f"{drivers[scheme]}://{rest}"

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'longcode.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")

    @property
    def base_url(self) -> str:
        """Where this server is reached, for links in webhooks (no request to learn it from)."""
        if self.public_url:
            return self.public_url.rstrip("/")
        scheme = "https" if self.tls_enabled else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}"

    @property
    def tls_enabled(self) -> bool:
        return self.tls_cert is not None and self.tls_key is not None

    @property
    def requires_https(self) -> bool:
        """Plain HTTP is refused unless on loopback, TLS is on, or the operator allowed it."""
        return not (self.host in LOOPBACK_HOSTS or self.tls_enabled or self.allow_http)

    @property
    def trusted_proxy_networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [ipaddress.ip_network(item, strict=False) for item in _split(self.trusted_proxies)]


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


class ExplicitSettings(Settings):
    """Settings from arguments only, never the environment: what tests and tools build."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)
