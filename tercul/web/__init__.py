"""HTML blueprints, one module per area."""
from flask import Flask


def register_web(app: Flask) -> None:
    from . import main

    app.register_blueprint(main.bp)
