"""A small client of Superset's REST API, for the tests and the load script (no Superset import).

State-changing calls need the session's CSRF token in `X-CSRFToken`, with a `Referer` from the
same origin.
"""

from __future__ import annotations

import re
from typing import Any

import requests

_CSRF = re.compile(r'<input[^>]*id="csrf_token"[^>]*value="([^"]+)"')


def _csrf_token(page: str) -> str:
    match = _CSRF.search(page)
    if match is None:
        raise ValueError("no CSRF token in the page")
    return match.group(1)


class SupersetClient:
    """A logged-in session, as a browser has one: the login form, then the page's CSRF token.

    (The JWT of /api/v1/security/login is not enough for writes, and only the admin may read
    /api/v1/security/csrf_token/; the form login works the same for every role.)
    """

    def __init__(self, url: str, username: str, password: str, timeout: float = 120.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        form = self.session.get(f"{self.url}/login/", timeout=timeout)
        form.raise_for_status()
        response = self.session.post(
            f"{self.url}/login/",
            data={"username": username, "password": password, "csrf_token": _csrf_token(form.text)},
            timeout=timeout,
        )
        response.raise_for_status()
        if "/login" in response.url:
            raise PermissionError(f"Superset refused the login of {username}")
        self.session.headers["X-CSRFToken"] = _csrf_token(response.text)
        self.session.headers["Referer"] = f"{self.url}/"

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.session.get(f"{self.url}{path}", params=params or None, timeout=self.timeout)

    def post(self, path: str, payload: dict[str, Any], **params: Any) -> requests.Response:
        url = f"{self.url}{path}"
        return self.session.post(url, json=payload, params=params or None, timeout=self.timeout)

    def put(self, path: str, payload: dict[str, Any]) -> requests.Response:
        return self.session.put(f"{self.url}{path}", json=payload, timeout=self.timeout)

    def list_all(self, resource: str) -> list[dict[str, Any]]:
        """Every object of /api/v1/<resource>/ the user may see (one page of up to 100 is enough here)."""
        response = self.get(f"/api/v1/{resource}/", q="(page_size:100)")
        response.raise_for_status()
        return list(response.json()["result"])

    def database_id(self, name: str = "Warehouse") -> int:
        (database,) = [d for d in self.list_all("database") if d["database_name"] == name]
        return int(database["id"])

    def dataset_id(self, table: str) -> int:
        (dataset,) = [d for d in self.list_all("dataset") if d["table_name"] == table]
        return int(dataset["id"])

    def sql(self, database_id: int, sql: str, schema: str = "marts") -> requests.Response:
        """Run a statement through SQL Lab, synchronously."""
        payload = {"database_id": database_id, "sql": sql, "schema": schema, "runAsync": False}
        return self.post("/api/v1/sqllab/execute/", payload)
