"""Start the test OpenID Connect provider (tests/sso/provider) in a child process on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "verne-test-client"
CLIENT_SECRET = "verne-test-secret"


@dataclass
class Provider:
    url: str
    config_path: Path
    config: dict[str, Any]
    process: subprocess.Popen[str]

    def set_user(self, username: str, **changes: Any) -> None:
        """Change a user's claims (the provider reads the file on every request)."""
        for person in self.config["users"]:
            if person["username"] == username:
                person.update(changes)
        self.config_path.write_text(json.dumps(self.config))

    def settings_for_verne(self, *, discovery: bool = False) -> dict[str, Any]:
        endpoints = {
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/jwks",
        }
        if discovery:
            endpoints = {key: "" for key in endpoints}
        return {
            "OIDC_PROVIDER_NAME": "Testleverandør",
            "OIDC_ISSUER": self.url,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_RP_SCOPES": "openid email profile groups",
            **endpoints,
        }

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_provider(workdir: Path, *, redirect_uris: list[str], users: list[dict[str, Any]]) -> Provider:
    workdir.mkdir(parents=True, exist_ok=True)
    config = {
        "port": 0,
        "db": str(workdir / "provider.sqlite3"),
        "client": {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": redirect_uris},
        "users": users,
    }
    config_path = workdir / "provider.json"
    config_path.write_text(json.dumps(config))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    log_path = workdir / "provider.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.sso.provider.serve", str(config_path)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        text = log_path.read_text()
        for line in text.splitlines():
            if line.startswith("READY "):
                return Provider(url=line.split()[1], config_path=config_path, config=config, process=process)
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("the test OIDC provider did not start:\n" + log_path.read_text())
