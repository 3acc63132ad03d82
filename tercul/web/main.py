"""Home page (the health checks are in tercul.observability.health)."""
from flask import Blueprint, redirect, render_template, url_for

from ..extensions import db
from ..services import reading

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    """What is in the library, and what is new."""
    return render_template("main/home.html", home=reading.home_page(db.session))



@bp.get("/favicon.ico")
def favicon():
    """Clients that ask for /favicon.ico without reading the page's icon link."""
    return redirect(url_for("static", filename="img/favicon.svg"), 301)
