"""WSGI entry point: `gunicorn wsgi:app`."""
from tercul import create_app
from tercul.tasks import start_jobs

app = create_app()
start_jobs(app)  # jobs a crashed process left are resumed now, not at the first request
