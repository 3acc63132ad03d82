"""Configuration: one class hierarchy, filled from environment variables.

With no variables set the app runs embedded: SQLite under ``instance/``, jobs run in
process, in-memory cache and rate limits, mail written to ``instance/mail``.
Setting ``DATABASE_URL``, ``REDIS_URL``, ``BROKER_URL``, ``SEARCH_BACKEND`` switches
to production parts. Every variable is listed in :data:`VARIABLES` and documented in
the README's table; a value that cannot be used stops start-up with its name.
"""
from __future__ import annotations

import hashlib
import hmac
import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """A configuration value is missing or unusable; the message names the variable."""


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def _choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = (_env(name, default) or default).strip()
    value = value.upper() if value.upper() in choices else value.lower()
    if value not in choices:
        raise ConfigError(f"{name}: unknown value {value!r}; expected one of {', '.join(choices)}")
    return value


def _int(name: str, default: int, minimum: int = 0) -> int:
    raw = _env(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}: {raw!r} is not a whole number") from None
    if value < minimum:
        raise ConfigError(f"{name}: {value} is below the minimum {minimum}")
    return value


def _bool(name: str, default: bool) -> bool:
    raw = _env(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}: {raw!r} is not a boolean (use true or false)")


def _fraction(name: str, default: float) -> float:
    raw = _env(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}: {raw!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise ConfigError(f"{name}: {value} is not between 0 and 1")
    return value


def _check_rate_limit(name: str, value: str) -> None:
    from limits import parse_many

    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(f"{name}: {value!r} is not a rate limit (e.g. '5 per minute; 30 per hour')") from None


def _check_limit(name: str, value: str) -> None:
    from limits import parse_many

    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(f"{name}: {value!r} is not a rate limit (e.g. 5/minute or 100/hour;10/second)") from None


def _networks(name: str, value: str | None):
    if value is None:
        return None
    import ipaddress

    try:
        return [ipaddress.ip_network(p.strip(), strict=False) for p in value.split(",") if p.strip()]
    except ValueError as exc:
        raise ConfigError(f"{name}: {exc} (expected CIDRs separated by commas, e.g. 10.0.0.0/8,127.0.0.1)") from None


def _seconds(name: str, default: float) -> float:
    raw = _env(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}: {raw!r} is not a number of seconds") from None
    if not 0 < value <= 60:
        raise ConfigError(f"{name}: {value} is not between 0 and 60 seconds")
    return value


def _database_url(name: str, default: str) -> str:
    url = _env(name, default) or default
    if url.startswith("postgres://") or url.startswith("postgresql://"):
        # the psycopg 3 driver is the one we install
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if not (url.startswith("sqlite:///") or url.startswith("postgresql+psycopg://")):
        raise ConfigError(
            f"{name}: unsupported database URL {url.split(':', 1)[0]!r}; "
            "use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB"
        )
    return url


class Config:
    """Settings common to every environment. Instances read the environment."""

    ENVIRONMENTS = ("development", "production", "testing")

    def __init__(self) -> None:
        self.TERCUL_ENV = _choice("TERCUL_ENV", self.default_env, self.ENVIRONMENTS)
        self.INSTANCE_PATH = Path(_env("TERCUL_INSTANCE", str(ROOT / "instance")))
        self.SECRET_KEY = _env("SECRET_KEY") or self.fallback_secret()
        self.SQLALCHEMY_DATABASE_URI = _database_url(
            "DATABASE_URL", f"sqlite:///{self.INSTANCE_PATH / 'tercul.sqlite'}"
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.REDIS_URL = _env("REDIS_URL")
        self.BROKER_URL = _env("BROKER_URL", self.REDIS_URL)
        self.SEARCH_BACKEND = _choice("SEARCH_BACKEND", "tantivy", ("tantivy", "weaviate"))
        self.WEAVIATE_URL = _env("WEAVIATE_URL")
        if self.SEARCH_BACKEND == "weaviate" and not self.WEAVIATE_URL:
            raise ConfigError("WEAVIATE_URL: required when SEARCH_BACKEND=weaviate")
        self.SEARCH_INDEX_PATH = Path(_env("SEARCH_INDEX_PATH", str(self.INSTANCE_PATH / "search")))

        # cache and rate limits: Redis when configured, memory otherwise
        self.CACHE_TYPE = "RedisCache" if self.REDIS_URL else "SimpleCache"
        self.CACHE_REDIS_URL = self.REDIS_URL
        self.CACHE_DEFAULT_TIMEOUT = _int("CACHE_TIMEOUT", 300)
        # the in-memory cache (no Redis) holds this many entries per process; a page read
        # by readers keeps two (its body, and the whole page), so the default fits the
        # pages of a library of a couple of thousand works
        self.CACHE_THRESHOLD = _int("CACHE_ENTRIES", 5000, minimum=1)
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        self.RATELIMIT_HEADERS_ENABLED = True
        self.RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
        # a Redis outage falls back to memory (above) instead of erroring; short
        # timeouts so that a dead Redis does not hold requests
        self.RATELIMIT_SWALLOW_ERRORS = True
        self.RATELIMIT_STORAGE_OPTIONS = (
            {"socket_connect_timeout": 0.5, "socket_timeout": 0.5} if self.REDIS_URL else {})

        # mail: files in a folder by default, SMTP in production
        self.MAIL_BACKEND = _choice("MAIL_BACKEND", self.default_mail_backend, ("file", "smtp", "console", "locmem"))
        self.MAIL_FILE_PATH = str(Path(_env("MAIL_FOLDER", str(self.INSTANCE_PATH / "mail"))))
        self.MAIL_SERVER = _env("SMTP_HOST", "localhost")
        self.MAIL_PORT = _int("SMTP_PORT", 587, minimum=1)
        self.MAIL_USERNAME = _env("SMTP_USER")
        self.MAIL_PASSWORD = _env("SMTP_PASSWORD")
        self.MAIL_USE_TLS = _bool("SMTP_STARTTLS", True)
        self.MAIL_DEFAULT_SENDER = _env("MAIL_FROM", "Tercul <no-reply@tercul.invalid>")

        # jobs: run in process unless a broker is configured
        self.JOBS_MODE = "broker" if self.BROKER_URL else "inline"
        # embedded mode: a thread of the serving process runs outbox jobs after each commit
        self.JOBS_IN_PROCESS = _bool("JOBS_IN_PROCESS", True)
        self.JOBS_MAX_ATTEMPTS = _int("JOBS_MAX_ATTEMPTS", 5, minimum=1)
        self.JOBS_BACKOFF_SECONDS = _int("JOBS_BACKOFF_SECONDS", 10, minimum=1)
        # reading statistics: views wait in a buffer (Redis, or memory) this long before the
        # flush job writes them (a crash of an embedded server loses at most this much)
        self.STATS_FLUSH_SECONDS = _int("STATS_FLUSH_SECONDS", 60, minimum=1)
        self.TRENDING_SECONDS = _int("TRENDING_SECONDS", 600, minimum=10)
        # hybrid search: 0 = keyword only, 1 = meaning only (default measured by bench/search.py)
        self.SEARCH_ALPHA = _fraction("SEARCH_ALPHA", 0.6)

        # where `tercul demo` keeps the public-domain sources it downloads
        self.SOURCES_CACHE = Path(_env("SOURCES_CACHE", str(ROOT / ".cache" / "sources")))

        # texts
        self.TEXT_MAX_BYTES = _int("TEXT_MAX_BYTES", 2 * 1024 * 1024, minimum=1)
        self.PAGE_SIZE = _int("PAGE_SIZE", 50, minimum=1)

        # GraphQL limits, checked before execution
        self.GRAPHQL_MAX_DEPTH = _int("GRAPHQL_MAX_DEPTH", 10, minimum=1)
        self.GRAPHQL_MAX_COST = _int("GRAPHQL_MAX_COST", 20000, minimum=1)
        self.GRAPHQL_MAX_ALIASES = _int("GRAPHQL_MAX_ALIASES", 30, minimum=0)
        self.GRAPHQL_MAX_BATCH = _int("GRAPHQL_MAX_BATCH", 10, minimum=1)
        self.GRAPHQL_MAX_QUERY_LENGTH = _int("GRAPHQL_MAX_QUERY_LENGTH", 20000, minimum=100)
        self.GRAPHQL_MAX_RESPONSE_BYTES = _int("GRAPHQL_MAX_RESPONSE_BYTES", 4 * 1024 * 1024, minimum=1024)
        # on by default, production too: the API is public and its schema is published in
        # schema.graphql; off refuses __schema/__type (GraphiQL then has no documentation)
        self.GRAPHQL_INTROSPECTION = _bool("GRAPHQL_INTROSPECTION", True)
        self.GRAPHQL_RATE_LIMIT = _env("GRAPHQL_RATE_LIMIT", "300/minute")
        self.GRAPHQL_MUTATION_RATE_LIMIT = _env("GRAPHQL_MUTATION_RATE_LIMIT", "60/minute")
        self.GRAPHQL_SUGGESTIONS = _bool("GRAPHQL_SUGGESTIONS", self.TERCUL_ENV != "production")
        for name in ("GRAPHQL_RATE_LIMIT", "GRAPHQL_MUTATION_RATE_LIMIT"):
            _check_limit(name, getattr(self, name))
        # rate tiers of pages, per user or per IP (tercul/rate_tiers.py); admins are exempt
        self.RATELIMIT_READ = _env("RATELIMIT_READ", "300/minute")
        self.RATELIMIT_SEARCH = _env("RATELIMIT_SEARCH", "60/minute")
        self.RATELIMIT_WRITE = _env("RATELIMIT_WRITE", "60/minute")
        for name in ("RATELIMIT_READ", "RATELIMIT_SEARCH", "RATELIMIT_WRITE"):
            _check_limit(name, getattr(self, name))

        self.WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = False

        # accounts: password hashing (argon2id; memory in KiB), sessions, link lifetimes
        self.ARGON2_TIME_COST = _int("ARGON2_TIME_COST", 3, minimum=1)
        self.ARGON2_MEMORY_COST = _int("ARGON2_MEMORY_COST", 65536, minimum=8)
        self.ARGON2_PARALLELISM = _int("ARGON2_PARALLELISM", 4, minimum=1)
        if self.ARGON2_MEMORY_COST < 8 * self.ARGON2_PARALLELISM:
            raise ConfigError("ARGON2_MEMORY_COST: argon2 needs at least 8 KiB per lane (8 × ARGON2_PARALLELISM)")
        self.SESSION_IDLE_MINUTES = _int("SESSION_IDLE_MINUTES", 120, minimum=1)
        self.SESSION_ABSOLUTE_HOURS = _int("SESSION_ABSOLUTE_HOURS", 12, minimum=1)
        self.REMEMBER_ME_DAYS = _int("REMEMBER_ME_DAYS", 30, minimum=1)
        # a "remember me" session is a permanent cookie of this lifetime; Flask also
        # refuses any session cookie signed longer ago than this
        self.PERMANENT_SESSION_LIFETIME = timedelta(days=self.REMEMBER_ME_DAYS)
        self.SESSION_REFRESH_EACH_REQUEST = False
        self.EMAIL_VERIFY_HOURS = _int("EMAIL_VERIFY_HOURS", 48, minimum=1)
        self.PASSWORD_RESET_MINUTES = _int("PASSWORD_RESET_MINUTES", 60, minimum=1)
        self.MAIL_SEND_ASYNC = _bool("MAIL_SEND_ASYNC", True)

        # API tokens (JWT, HS256): the key defaults to one derived from SECRET_KEY
        self.JWT_SECRET_KEY = _env("JWT_SECRET_KEY") or hmac.new(
            self.SECRET_KEY.encode(), b"tercul.jwt", hashlib.sha256).hexdigest()
        self.JWT_ISSUER = _env("JWT_ISSUER", "tercul")
        self.JWT_AUDIENCE = _env("JWT_AUDIENCE", "tercul-api")
        self.JWT_ACCESS_MINUTES = _int("JWT_ACCESS_MINUTES", 15, minimum=1)
        self.JWT_REFRESH_DAYS = _int("JWT_REFRESH_DAYS", 30, minimum=1)

        # rate limits (Flask-Limiter notation, ";" between limits), per client IP and per account
        self.RATELIMIT_LOGIN_IP = _env("RATELIMIT_LOGIN_IP", "20 per minute; 200 per hour")
        self.RATELIMIT_LOGIN_ACCOUNT = _env("RATELIMIT_LOGIN_ACCOUNT", "5 per minute; 30 per hour")
        self.RATELIMIT_REGISTER_IP = _env("RATELIMIT_REGISTER_IP", "5 per minute; 20 per hour")
        self.RATELIMIT_REGISTER_ACCOUNT = _env("RATELIMIT_REGISTER_ACCOUNT", "3 per hour")
        self.RATELIMIT_RESET_IP = _env("RATELIMIT_RESET_IP", "5 per minute; 20 per hour")
        self.RATELIMIT_RESET_ACCOUNT = _env("RATELIMIT_RESET_ACCOUNT", "3 per hour")
        self.RATELIMIT_RESEND_IP = _env("RATELIMIT_RESEND_IP", "5 per minute; 20 per hour")
        self.RATELIMIT_RESEND_ACCOUNT = _env("RATELIMIT_RESEND_ACCOUNT", "3 per hour")
        self.RATELIMIT_EMAIL_CHANGE_ACCOUNT = _env("RATELIMIT_EMAIL_CHANGE_ACCOUNT", "5 per hour")
        for name in ("RATELIMIT_LOGIN_IP", "RATELIMIT_LOGIN_ACCOUNT", "RATELIMIT_REGISTER_IP",
                     "RATELIMIT_REGISTER_ACCOUNT", "RATELIMIT_RESET_IP", "RATELIMIT_RESET_ACCOUNT",
                     "RATELIMIT_RESEND_IP", "RATELIMIT_RESEND_ACCOUNT", "RATELIMIT_EMAIL_CHANGE_ACCOUNT"):
            _check_rate_limit(name, getattr(self, name))
        self.PREFERRED_URL_SCHEME = "http"
        self.SERVER_NAME = _env("SERVER_NAME")
        self.PROXY_HOPS = _int("PROXY_HOPS", 0)
        self.LOG_LEVEL = _choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")).upper()
        # observability (tercul/observability): log format, metrics, health checks
        self.LOG_FORMAT = _choice("LOG_FORMAT", "json" if self.TERCUL_ENV == "production" else "plain",
                                  ("json", "plain"))
        self.LOG_ACCESS = _bool("LOG_ACCESS", True)
        self.LOG_DEBUG_SAMPLE = _fraction("LOG_DEBUG_SAMPLE", 1.0)
        self.METRICS_ENABLED = _bool("METRICS_ENABLED", True)
        self.METRICS_TOKEN = _env("METRICS_TOKEN")
        self.METRICS_ALLOW = _env("METRICS_ALLOW")
        self.METRICS_ALLOW_NETWORKS = _networks("METRICS_ALLOW", self.METRICS_ALLOW)
        self.WORKER_METRICS_PORT = _int("WORKER_METRICS_PORT", 0)
        self.READY_TIMEOUT = _seconds("READY_TIMEOUT", 2.0)
        self.check()

    default_env = "development"
    default_mail_backend = "file"

    def fallback_secret(self) -> str:
        # Development only: a fixed key is fine on a laptop, never in production.
        return "dev-insecure-secret-key-change-me"

    def check(self) -> None:
        """Hook for environment-specific checks."""

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if k.isupper()}


class DevelopmentConfig(Config):
    pass


class TestingConfig(Config):
    default_env = "testing"

    def __init__(self) -> None:
        super().__init__()
        self.TESTING = True
        self.SQLALCHEMY_DATABASE_URI = _database_url("TEST_DATABASE_URL", "sqlite:///:memory:")
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.CACHE_TYPE = "SimpleCache"
        self.JOBS_MODE = "inline"
        self.JOBS_IN_PROCESS = False  # tests run outbox jobs explicitly (tercul.tasks.jobs.drain)
        self.SEARCH_INDEX_PATH = self.INSTANCE_PATH / "test-search"
        # cheap hashing keeps the suite fast (the algorithm is still argon2id)
        self.ARGON2_TIME_COST, self.ARGON2_MEMORY_COST, self.ARGON2_PARALLELISM = 1, 64, 1
        self.MAIL_SEND_ASYNC = False


class ProductionConfig(Config):
    default_env = "production"
    default_mail_backend = "smtp"

    def fallback_secret(self) -> str:
        raise ConfigError(
            "SECRET_KEY: must be set in production (a long random string, "
            "e.g. from `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
        )

    def check(self) -> None:
        if len(self.SECRET_KEY) < 32:
            raise ConfigError("SECRET_KEY: too short for production (use at least 32 characters)")
        if self.JWT_SECRET_KEY and len(self.JWT_SECRET_KEY) < 32:
            raise ConfigError("JWT_SECRET_KEY: too short for production (use at least 32 characters)")
        if not self.SERVER_NAME:
            # links in mail are built from it, never from the request's Host header
            raise ConfigError("SERVER_NAME: required in production (the public host name, e.g. tercul.example.org)")
        self.SESSION_COOKIE_SECURE = True
        self.SESSION_COOKIE_NAME = "__Host-session"
        self.PREFERRED_URL_SCHEME = "https"


def config_from_env() -> Config:
    """Pick the class from ``TERCUL_ENV`` and read the environment."""
    env = _choice("TERCUL_ENV", "development", Config.ENVIRONMENTS)
    return {"development": DevelopmentConfig, "production": ProductionConfig, "testing": TestingConfig}[env]()


# Every variable read above, with its default and meaning: the README's table is this.
VARIABLES = [
    ("TERCUL_ENV", "development", "development, production or testing"),
    ("SECRET_KEY", "(dev key)", "signs sessions and tokens; required in production"),
    ("DATABASE_URL", "sqlite:///instance/tercul.sqlite", "sqlite:///PATH or postgresql+psycopg://USER@HOST/DB"),
    ("TEST_DATABASE_URL", "sqlite:///:memory:", "database used by the test suite"),
    ("REDIS_URL", "(none: memory)", "Redis for cache and rate limits"),
    ("BROKER_URL", "REDIS_URL", "Dramatiq broker; unset means jobs run in process"),
    ("SEARCH_BACKEND", "tantivy", "tantivy (embedded) or weaviate"),
    ("WEAVIATE_URL", "(none)", "Weaviate address, required with SEARCH_BACKEND=weaviate"),
    ("SEARCH_INDEX_PATH", "instance/search", "folder of the embedded search index"),
    ("SEARCH_ALPHA", "0.6", "hybrid search weight: 0 keyword only, 1 meaning only (0.6: best nDCG@10 in bench/search.py)"),
    ("JOBS_IN_PROCESS", "true", "without a broker, run index jobs in a thread of the web process after commits"),
    ("JOBS_MAX_ATTEMPTS", "5", "failures before a job is dead (listed on /admin/jobs)"),
    ("JOBS_BACKOFF_SECONDS", "10", "wait before the first retry; doubles with each failure (at most an hour)"),
    ("STATS_FLUSH_SECONDS", "60", "views are buffered (Redis, or memory when embedded) and written this often; "
     "an embedded server that crashes loses at most this many seconds of views"),
    ("TRENDING_SECONDS", "600", "how often the trending lists are recomputed"),
    ("TERCUL_INSTANCE", "instance/", "folder for the SQLite file, mail, index"),
    ("MAIL_BACKEND", "file (smtp in production)", "file, smtp, console or locmem (tests)"),
    ("MAIL_FOLDER", "instance/mail", "where the file backend writes messages"),
    ("SMTP_HOST / SMTP_PORT / SMTP_USER / SMTP_PASSWORD / SMTP_STARTTLS", "localhost / 587 / - / - / true", "SMTP server"),
    ("MAIL_FROM", "Tercul <no-reply@tercul.invalid>", "sender address"),
    ("CACHE_TIMEOUT", "300", "seconds a cached entry lives"),
    ("CACHE_ENTRIES", "5000", "entries the in-memory cache keeps per process (without Redis)"),
    ("RATELIMIT_ENABLED", "true", "turn rate limiting off (tests of other things only)"),
    ("SOURCES_CACHE", ".cache/sources", "downloaded demo sources (PyPI/npm packages)"),
    ("TEXT_MAX_BYTES", "2097152", "largest text accepted (bytes)"),
    ("PAGE_SIZE", "50", "items per page in lists"),
    ("SERVER_NAME", "(none; required in production)", "public host name (and port) of links in mail and CLI "
     "output, never taken from the request"),
    ("LOG_LEVEL", "INFO", "DEBUG, INFO, WARNING or ERROR"),
    ("LOG_FORMAT", "plain (json in production)", "json: one object per line (time, level, logger, message, request, "
     "user, trace and span ids); plain: text"),
    ("LOG_ACCESS", "true", "one log line per request (tercul.access), in the same format"),
    ("LOG_DEBUG_SAMPLE", "1.0", "share of DEBUG records kept (0 to 1)"),
    ("METRICS_ENABLED", "true", "Prometheus metrics at /metrics"),
    ("METRICS_ALLOW", "(all; loopback only in production)", "CIDRs allowed to read /metrics, comma-separated"),
    ("METRICS_TOKEN", "(none)", "bearer token that also opens /metrics (Authorization: Bearer ...)"),
    ("PROMETHEUS_MULTIPROC_DIR", "(none)", "empty folder shared by gunicorn's workers (and tercul worker) so "
     "that /metrics counts every process"),
    ("WORKER_METRICS_PORT", "0 (off)", "port on which `tercul worker` serves its own /metrics"),
    ("OTEL_EXPORTER_OTLP_ENDPOINT", "(none: no tracing)", "OTLP/HTTP collector, e.g. http://otel:4318; the "
     "other standard OTEL_* variables apply (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_HEADERS...)"),
    ("READY_TIMEOUT", "2", "seconds each /ready check (database, Redis, broker, search) may take"),
    ("TERCUL_COMMIT", "(git HEAD)", "commit shown by /health"),
    ("PROXY_HOPS", "0", "trusted reverse proxies in front of the app (X-Forwarded-For/-Proto)"),
    ("GRAPHQL_MAX_DEPTH", "10", "deepest GraphQL selection accepted"),
    ("GRAPHQL_MAX_COST", "20000", "GraphQL cost budget (1 per field; lists multiply by their page size or "
     "realistic length)"),
    ("GRAPHQL_MAX_ALIASES", "30", "aliases allowed in one GraphQL operation"),
    ("GRAPHQL_MAX_BATCH", "10", "operations allowed in one batched request"),
    ("GRAPHQL_MAX_QUERY_LENGTH", "20000", "longest query text accepted (characters)"),
    ("GRAPHQL_MAX_RESPONSE_BYTES", "4194304", "largest GraphQL response sent (bytes); larger ones are refused"),
    ("GRAPHQL_INTROSPECTION", "true (production too)", "answer GraphQL introspection (__schema, __type); GraphiQL's "
     "docs need it. The schema is public (schema.graphql); set false to refuse it"),
    ("GRAPHQL_RATE_LIMIT", "300/minute", "GraphQL requests per client (user, or IP when anonymous)"),
    ("GRAPHQL_MUTATION_RATE_LIMIT", "60/minute", "GraphQL mutations per client"),
    ("RATELIMIT_READ", "300/minute", "page views per client (user, or IP when anonymous); administrators are exempt"),
    ("RATELIMIT_SEARCH", "60/minute", "searches per client, counted apart from page views"),
    ("RATELIMIT_WRITE", "60/minute", "form posts and other changes per client"),
    ("GRAPHQL_SUGGESTIONS", "true (false in production)", "\"Did you mean\" hints in GraphQL errors"),
    ("ARGON2_TIME_COST / ARGON2_MEMORY_COST / ARGON2_PARALLELISM", "3 / 65536 / 4",
     "argon2id password hashing parameters (memory in KiB); hashes are upgraded at login"),
    ("SESSION_IDLE_MINUTES", "120", "a login session ends after this long without a request"),
    ("SESSION_ABSOLUTE_HOURS", "12", "a login session ends this long after login, active or not"),
    ("REMEMBER_ME_DAYS", "30", "lifetime of a \"remember me\" login"),
    ("EMAIL_VERIFY_HOURS", "48", "how long an email verification or email change link works"),
    ("PASSWORD_RESET_MINUTES", "60", "how long a password reset link works (it works once)"),
    ("MAIL_SEND_ASYNC", "true", "send mail from a background thread after the request's commit"),
    ("JWT_SECRET_KEY", "(derived from SECRET_KEY)", "HS256 key of API tokens, at least 32 characters"),
    ("JWT_ISSUER / JWT_AUDIENCE", "tercul / tercul-api", "iss and aud of API tokens"),
    ("JWT_ACCESS_MINUTES / JWT_REFRESH_DAYS", "15 / 30", "lifetimes of API access and refresh tokens"),
    ("RATELIMIT_LOGIN_IP / RATELIMIT_LOGIN_ACCOUNT", "20 per minute; 200 per hour / 5 per minute; 30 per hour",
     "failed logins allowed per client IP and per account"),
    ("RATELIMIT_REGISTER_IP / RATELIMIT_REGISTER_ACCOUNT", "5 per minute; 20 per hour / 3 per hour",
     "registrations per client IP and per email address"),
    ("RATELIMIT_RESET_IP / RATELIMIT_RESET_ACCOUNT", "5 per minute; 20 per hour / 3 per hour",
     "password reset requests per client IP and per email address"),
    ("RATELIMIT_RESEND_IP / RATELIMIT_RESEND_ACCOUNT", "5 per minute; 20 per hour / 3 per hour",
     "verification mail resends per client IP and per account"),
    ("RATELIMIT_EMAIL_CHANGE_ACCOUNT", "5 per hour", "email change requests per account"),
]
