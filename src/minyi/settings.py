"""One typed settings object, read from the environment (prefix MINYI_) and an optional .env file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER_SECRET = "change-me-in-production"


DEVELOPMENT_ENVS = ("development", "test")
MIN_SECRET_BYTES = 32


def weak_secret(env: str, secret: str) -> str | None:
    """Why this secret may not key a server in this environment (None: it may). Outside development the
    default would let anyone recompute the audit chain, and a short one could be guessed."""
    if env in DEVELOPMENT_ENVS:
        return None
    if secret == PLACEHOLDER_SECRET:
        return (f"{env} 环境不得使用默认密钥 / MINYI_SECRET_KEY is the development default; with MINYI_ENV={env} set "
                f"a random secret of at least {MIN_SECRET_BYTES} bytes (python -c 'import secrets; "
                "print(secrets.token_hex(32))')")  # fmt: skip
    if len(secret.encode()) < MIN_SECRET_BYTES:
        return (f"密钥过短 / MINYI_SECRET_KEY is shorter than {MIN_SECRET_BYTES} bytes; with MINYI_ENV={env} use "
                "a longer one")  # fmt: skip
    return None


class WeakSecret(RuntimeError):
    """The server may not start: its secret would let anyone forge sessions and the audit chain."""


def require_strong_secret(settings: Settings) -> None:
    """Refuse to create the app or serve with a weak secret outside development (see weak_secret)."""
    problem = weak_secret(settings.env, settings.secret_key)
    if problem:
        raise WeakSecret(problem)


class Settings(BaseSettings):
    """Everything that differs between a laptop, CI and production."""

    model_config = SettingsConfigDict(env_prefix="MINYI_", env_file=".env", extra="ignore")

    env: str = Field("development", description="development | test | production")
    data_dir: Path = Field(PROJECT_ROOT / "data", description="where the SQLite file and uploads live")
    database_url: str | None = Field(None, description="SQLAlchemy URL; default is SQLite under data_dir")
    secret_key: str = Field(PLACEHOLDER_SECRET, description="signs sessions and keys the audit chain")
    shared_data: Path = Field(
        PROJECT_ROOT.parent / "shared" / "data", description="the real data sets for training and benchmarks"
    )
    timezone: str = "Asia/Shanghai"
    calendar_file: Path | None = Field(None, description="JSON file that overrides holidays and make-up days")
    token_ttl_hours: int = 12
    jobs_keep_hours: int = Field(
        168, ge=1, description="finished queue jobs are deleted after this many hours"
    )
    max_rehandle_rounds: int = 1
    evaluation_timeout_workdays: int = 10
    suggestion_answer_months: int = Field(3, ge=1, le=12, description="建议提案: months to answer")
    suggestion_max_months: int = Field(6, ge=1, le=24, description="建议提案: the most months with approval")
    suggestion_second_answer_months: int = Field(
        1, ge=1, le=12, description="建议提案: months for a second answer"
    )
    suggestion_dispute_days: int = Field(7, ge=0, le=60, description="建议提案: days a unit may dispute")
    report_acknowledge_workdays: int = Field(
        15,
        ge=1,
        le=60,
        description="举报: working days to take a report up (告知受理情况: 15 in the inspection rules)",
    )
    report_conclude_workdays: int = Field(
        60,
        ge=5,
        le=250,
        description="举报: working days to conclude a report (a local choice: see docs/architecture.md)",
    )
    report_remind_before_workdays: int = Field(
        3,
        ge=0,
        le=30,
        description="举报: the inspectors' reminder comes this many working days before a deadline",
    )
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    login_address_max_failures: int = Field(
        20,
        description="failed sign-ins from one address (any accounts) before it waits login_lockout_minutes",
    )
    public_submissions_per_hour: int = Field(
        20,
        ge=0,
        description="new demands one address may submit in an hour, by the portal's form and the JSON intake "
        "together (0: no limit, for a load test sending from one machine only)",
    )
    understanding: str = Field(
        "inline",
        pattern="^(inline|deferred|worker)$",
        description="inline: understand each case inside its intake transaction; deferred: right after commit, "
        "in a background thread of the server; worker: leave it to `minyi enrich --follow` (another process or "
        "machine), for the highest intake rates",
    )
    checkpoint_minutes: int = Field(
        60, ge=1, description="`minyi sweep` seals an audit checkpoint when the newest is older than this"
    )
    sql_echo: bool = False
    replica_url: str | None = Field(
        None,
        description="PostgreSQL streaming replica for the public reads (portal lists, case pages, search, "
        "scoreboard, open data, Open311 GETs); none: everything reads the primary",
    )
    replica_max_lag_seconds: float = Field(
        5.0,
        gt=0,
        le=300,
        description="the staleness bound: a replica further behind than this is skipped (reads go to the "
        "primary), and a browser that has just written reads the primary for this long",
    )
    open311_jurisdiction: str | None = Field(
        None,
        description="Open311 jurisdiction_id this endpoint answers for; any other is refused (none: any)",
    )
    public_url: str = Field(
        "http://127.0.0.1:8000", description="the address people open, used in notifications"
    )
    smtp_url: str | None = Field(
        None, description="smtp://user:password@host:port (add ?starttls=1 for STARTTLS; smtps:// for TLS)"
    )
    smtp_from: str = Field("minyi@localhost", description="the sender address of notification e-mails")
    sms_gateway_url: str | None = Field(
        None, description="HTTP gateway that sends SMS (credentials in the URL)"
    )
    sms_templates: dict[str, str] = Field(
        default_factory=dict,
        description="our template names to the template ids registered with the operator",
    )
    wechat_hook_url: str | None = Field(None, description="HTTP hook that sends WeChat template messages")
    wechat_templates: dict[str, str] = Field(default_factory=dict, description="template names to WeChat ids")
    notify_worker: bool | None = Field(
        None,
        description="send notifications from a thread of the server (default: on for SQLite, off in tests)",
    )
    report_worker: bool | None = Field(
        None,
        description="regenerate the published report PDFs hourly from a thread of the server (default: on for"
        " SQLite, off in tests; on PostgreSQL the job queue does it)",
    )
    forwarded_allow_ips: str = Field(
        "127.0.0.1",
        description="the reverse proxies (comma-separated addresses) whose X-Forwarded-For `minyi serve` believes: "
        "the per-address rate limits count the client it names, not the proxy",
    )
    server_keepalive_seconds: int = Field(
        75,
        ge=1,
        le=3600,
        description="`minyi serve` closes a connection idle this long; keep it above the reverse proxy's "
        "upstream keepalive_timeout (nginx: 60 s, deploy/nginx.conf) and any client pool's idle expiry, or a "
        "request sent on a connection as the server closes it is lost",
    )
    server_graceful_shutdown_seconds: int = Field(
        30, ge=1, le=600, description="on SIGTERM `minyi serve` lets requests in flight finish this long"
    )
    metrics_networks: list[str] = Field(
        default_factory=list,
        description='networks (CIDR) besides loopback that may read /metrics, e.g. ["10.0.0.0/8"]',
    )
    log_format: str = Field("json", pattern="^(json|text)$", description="json: one JSON object a log line")
    log_level: str = "INFO"
    chromium: Path = Field(
        Path("/usr/bin/chromium"),
        description="the system Chromium that prints the reports as PDF (Playwright)",
    )

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return driver_url(self.database_url)
        return f"sqlite:///{self.data_dir / 'minyi.sqlite3'}"


def driver_url(url: str) -> str:
    """A PostgreSQL URL with the psycopg 3 driver named (as `postgresql://…` is written in settings)."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (tests clear the cache to change them)."""
    return Settings()
