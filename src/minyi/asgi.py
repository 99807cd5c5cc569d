"""The ASGI application for servers: `uvicorn minyi.asgi:app`."""

from minyi.app import create_app

app = create_app()
