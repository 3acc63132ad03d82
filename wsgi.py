"""WSGI entry point: `gunicorn wsgi:app`."""
from tercul import create_app

app = create_app()
