"""Configuration comes from the environment and fails early, naming the variable."""
import pytest

from tercul import create_app
from tercul import config as cfg
from tercul.config import ConfigError, DevelopmentConfig, ProductionConfig, config_from_env


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in ("DATABASE_URL", "REDIS_URL", "BROKER_URL", "SECRET_KEY", "SEARCH_BACKEND", "TERCUL_ENV",
                 "MAIL_BACKEND", "WEAVIATE_URL", "PAGE_SIZE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERCUL_INSTANCE", str(tmp_path))
    return monkeypatch


def test_embedded_defaults(env, tmp_path):
    config = DevelopmentConfig()
    assert config.SQLALCHEMY_DATABASE_URI == f"sqlite:///{tmp_path / 'tercul.sqlite'}"
    assert config.CACHE_TYPE == "SimpleCache"
    assert config.RATELIMIT_STORAGE_URI == "memory://"
    assert config.JOBS_MODE == "inline"
    assert config.MAIL_BACKEND == "file"
    assert config.SEARCH_BACKEND == "tantivy"


def test_production_parts_from_environment(env):
    env.setenv("DATABASE_URL", "postgres://tercul@db/tercul")
    env.setenv("REDIS_URL", "redis://cache:6379/0")
    config = DevelopmentConfig()
    assert config.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://tercul@db/tercul"
    assert config.CACHE_TYPE == "RedisCache" and config.RATELIMIT_STORAGE_URI == "redis://cache:6379/0"
    assert config.BROKER_URL == "redis://cache:6379/0" and config.JOBS_MODE == "broker"


@pytest.mark.parametrize("name, value", [
    ("SEARCH_BACKEND", "lucene"), ("DATABASE_URL", "mysql://x/y"), ("PAGE_SIZE", "many"),
    ("TERCUL_ENV", "staging"), ("MAIL_BACKEND", "pigeon"), ("RATELIMIT_ENABLED", "perhaps"),
])
def test_unknown_values_fail_with_the_variable_name(env, name, value):
    env.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        config_from_env()


def test_weaviate_needs_its_url(env):
    env.setenv("SEARCH_BACKEND", "weaviate")
    with pytest.raises(ConfigError, match="WEAVIATE_URL"):
        DevelopmentConfig()


def test_production_requires_a_secret_key(env):
    env.setenv("TERCUL_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY: must be set"):
        config_from_env()
    env.setenv("SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="SECRET_KEY: too short"):
        ProductionConfig()
    env.setenv("SECRET_KEY", "x" * 40)
    with pytest.raises(ConfigError, match="SERVER_NAME: required"):
        ProductionConfig()
    env.setenv("SERVER_NAME", "tercul.example.org")
    config = ProductionConfig()
    assert config.SESSION_COOKIE_SECURE and config.SESSION_COOKIE_NAME == "__Host-session"


def test_create_app_accepts_overrides(env):
    app = create_app({"PAGE_SIZE": 7, "SQLALCHEMY_DATABASE_URI": "sqlite:///:memory:"})
    assert app.config["PAGE_SIZE"] == 7
    app = create_app(cfg.TestingConfig())
    assert app.testing
