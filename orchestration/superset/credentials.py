"""Who may log in to Superset: one user per role, from the environment or generated once.

For each role, `WAREHOUSE_SUPERSET_<ROLE>_USER` and `WAREHOUSE_SUPERSET_<ROLE>_PASSWORD` (ROLE is
ADMIN, AUTHOR, AUDITOR or VIEWER). A password not set in the environment is generated once and kept
in `<data>/secrets/superset-logins.json` (mode 0600), so it stays the same across restarts.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass

from orchestration.config import Settings
from orchestration.superset.paths import logins_file

# key -> (Superset role, default user name, what the role is for)
ROLES: dict[str, tuple[str, str, str]] = {
    "admin": ("Admin", "admin", "administers Superset"),
    "author": ("BI Author", "author", "builds charts and dashboards on the warehouse datasets"),
    "auditor": ("Auditor", "auditor", "reads every dashboard, SQL Lab read-only on the published file"),
    "viewer": ("Viewer", "viewer", "reads the dashboards"),
}


@dataclass(frozen=True)
class Login:
    key: str
    role: str
    username: str
    password: str
    from_environment: bool

    def as_superset_user(self) -> dict[str, str]:
        return {"username": self.username, "password": self.password, "role": self.role}


def _stored(settings: Settings) -> dict[str, str]:
    path = logins_file(settings)
    if not path.exists():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")))


def _store(settings: Settings, passwords: dict[str, str]) -> None:
    path = logins_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".partial")
    # Created 0600 from the start: the passwords are never readable by others, not even briefly.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(passwords, handle, indent=2, sort_keys=True)
    os.replace(temporary, path)


def logins(settings: Settings) -> list[Login]:
    """The four logins; generates and stores the passwords the environment does not give."""
    stored = _stored(settings)
    result: list[Login] = []
    changed = False
    for key, (role, default_user, _purpose) in ROLES.items():
        username = os.environ.get(f"WAREHOUSE_SUPERSET_{key.upper()}_USER", default_user)
        password = os.environ.get(f"WAREHOUSE_SUPERSET_{key.upper()}_PASSWORD")
        from_env = bool(password)
        if not password:
            password = stored.get(key)
            if not password:
                password = secrets.token_urlsafe(12)
                stored[key] = password
                changed = True
        result.append(Login(key, role, username, password, from_env))
    if changed:
        _store(settings, stored)
    return result


def users_payload(settings: Settings) -> str:
    return json.dumps([login.as_superset_user() for login in logins(settings)])
