"""Flask extensions, created unbound; `create_app` binds them with `init_app`."""
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
class ResilientCache(Cache):
    """Flask-Caching, with our backends in place of its own (see :mod:`tercul.cache`):
    ``RedisCache`` survives Redis going away, and both report hits and misses."""

    BACKENDS = {"RedisCache": "tercul.cache.ResilientRedisCache", "redis": "tercul.cache.ResilientRedisCache",
                "SimpleCache": "tercul.cache.MemoryCache", "simple": "tercul.cache.MemoryCache"}

    def init_app(self, app, config=None) -> None:
        kind = (config or {}).get("CACHE_TYPE") or app.config.get("CACHE_TYPE")
        if kind in self.BACKENDS:
            config = {**(config or {}), "CACHE_TYPE": self.BACKENDS[kind]}
        super().init_app(app, config)


cache = ResilientCache()
limiter = Limiter(key_func=get_remote_address)
mail = Mail()
