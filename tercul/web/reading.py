"""Browsing and reading works, translations and authors."""
from flask import Blueprint

bp = Blueprint("reading", __name__)
