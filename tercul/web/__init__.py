"""HTML blueprints, one module per area."""
from flask import Flask


def register_web(app: Flask) -> None:
    from . import account, analysis, contribute, history, main, reading, review, search, stats

    for module in (main, reading, account, search, contribute, review, history, analysis, stats):
        app.register_blueprint(module.bp)
