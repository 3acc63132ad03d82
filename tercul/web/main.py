"""Home page and health check."""
from flask import Blueprint, render_template

from ..extensions import db
from ..services import catalog

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    """What is in the library, and what is new."""
    return render_template("main/home.html", stats=catalog.library_stats(db.session))


@bp.get("/healthz")
def healthz():
    """Liveness for load balancers."""
    return {"status": "ok"}
