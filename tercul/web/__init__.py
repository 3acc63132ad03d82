"""HTML blueprints, one module per area."""
from flask import Flask


def register_web(app: Flask) -> None:
    from . import account, analysis, contribute, history, line_editor, main, reading, review, search

    for module in (main, reading, account, search, contribute, line_editor, review, history, analysis):
        app.register_blueprint(module.bp)
