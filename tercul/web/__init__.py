"""HTML blueprints, one module per area."""
from flask import Flask


def register_web(app: Flask) -> None:
    from . import account, main, reading, search

    for module in (main, reading, account, search):
        app.register_blueprint(module.bp)
