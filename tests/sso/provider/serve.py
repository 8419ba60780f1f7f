"""Run the test OpenID Connect provider: `python -m tests.sso.provider.serve CONFIG.json`.

CONFIG: {"port": 0, "db": "/tmp/x.sqlite3", "client": {"client_id", "client_secret",
"redirect_uris": [...]}, "users": [{"username", "password", "sub", "oid", "email",
"first_name", "last_name", "groups": [...]}]}

Migrates a fresh SQLite database, creates an RSA signing key, the users and the client,
then serves on 127.0.0.1 (a free port when "port" is 0) and prints `READY <url>`.
"""

from __future__ import annotations

import io
import json
import os
import socket
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main(config_path: str) -> None:
    config = json.loads(open(config_path).read())
    port = int(config.get("port") or 0)
    if not port:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.sso.provider.settings"
    os.environ["PROVIDER_SITE_URL"] = url
    os.environ["PROVIDER_DB"] = config["db"]
    os.environ["PROVIDER_CONFIG"] = config_path

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oidc_provider.models import Client, ResponseType

    call_command("migrate", verbosity=0)
    call_command("creatersakey", stdout=io.StringIO())
    for person in config["users"]:
        User.objects.create_user(person["username"], password=person["password"])
    c = config["client"]
    client = Client.objects.create(
        name="Verne", client_type="confidential", client_id=c["client_id"],
        client_secret=c["client_secret"], jwt_alg="RS256", require_consent=False,
        reuse_consent=True,
    )  # fmt: skip
    client.redirect_uris = c["redirect_uris"]
    client.scope = ["openid", "email", "profile", "groups"]
    client.save()
    client.response_types.add(ResponseType.objects.get(value="code"))

    server = make_server("127.0.0.1", port, get_wsgi_application(), _ThreadingServer, _QuietHandler)
    print(f"READY {url}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])
