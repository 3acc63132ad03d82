"""Home page (the health checks are in tercul.observability.health)."""
from flask import Blueprint, render_template

from ..extensions import db
from ..services import reading

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    """What is in the library, and what is new."""
    return render_template("main/home.html", home=reading.home_page(db.session))

