"""HTML blueprints, one module per area."""
from flask import Flask


def register_web(app: Flask) -> None:
    from . import (account, analysis, collections, comments, contribute, history, line_editor, main, reading, review,
                   search, social, stats)

    for module in (main, reading, account, search, contribute, line_editor, review, history, analysis, collections,
                   social, comments, stats):
        app.register_blueprint(module.bp)
