"""HTML blueprints, one module per area."""
from flask import Flask


def register_web(app: Flask) -> None:
    from . import account, analysis, comments, contribute, history, main, reading, review, search

    for module in (main, reading, account, search, contribute, review, history, analysis, comments):
        app.register_blueprint(module.bp)
