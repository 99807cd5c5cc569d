"""The ASGI application for servers: `uvicorn minyi.asgi:app`."""

from minyi.app import create_app
from minyi.ops.logs import configure_logging
from minyi.settings import get_settings

_settings = get_settings()
configure_logging(_settings.log_level, json_lines=_settings.log_format == "json")
app = create_app()
