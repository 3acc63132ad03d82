"""Accounts: registration, login, profile."""
from flask import Blueprint

bp = Blueprint("account", __name__)
