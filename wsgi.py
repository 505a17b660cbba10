"""WSGI entry point: ``gunicorn wsgi:app``."""

from calsvc import create_app

app = create_app()
