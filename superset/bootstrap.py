"""Bring Superset's metadata to the state kept in git, idempotently; run at every start.

Run by `orchestration.superset` with .venv-superset's Python, after `superset db upgrade` and
`superset init`:

    python superset/bootstrap.py <bundle folder> <published DuckDB file> <users JSON file>

1. imports the dashboards-as-code bundle (overwriting by uuid), its database pointed read-only at the
   published file;
2. sets the three warehouse roles to exactly the permissions below (derived from Superset's own
   role predicates, so they follow Superset upgrades);
3. creates or updates the users (password, role) listed in the users file.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

DATABASE_NAME = "Warehouse"
AUTHOR_ROLE = "BI Author"
AUDITOR_ROLE = "Auditor"
VIEWER_ROLE = "Viewer"

# What a viewer needs to open a dashboard and run its charts' queries, and nothing else.
VIEW_DASHBOARDS = {
    ("can_read", "Dashboard"),
    ("can_read", "Chart"),
    ("can_dashboard", "Superset"),
    ("can_slice", "Superset"),
    ("can_explore_json", "Superset"),
    ("can_dashboard_permalink", "Superset"),
    ("can_read", "DashboardPermalinkRestApi"),
    ("can_write", "DashboardPermalinkRestApi"),
    ("can_read", "DashboardFilterStateRestApi"),
    ("can_write", "DashboardFilterStateRestApi"),
    ("can_time_range", "Api"),
    ("can_query_form_data", "Api"),
    ("can_query", "Api"),
    ("can_read", "CssTemplate"),
    ("can_read", "Theme"),
    ("can_read", "CurrentUserRestApi"),
    ("can_get", "Datasource"),
    ("can_external_metadata", "Datasource"),
    ("can_read", "Annotation"),
    ("can_read", "AnnotationLayerRestApi"),
    ("can_read", "ExplorePermalinkRestApi"),
    ("can_read", "Tag"),
    ("can_read", "EmbeddedDashboard"),
    ("can_log", "Superset"),
    ("can_recent_activity", "Log"),
    ("can_read", "Log"),
    ("can_userinfo", "UserDBModelView"),
    ("menu_access", "Dashboards"),
    ("can_csv", "Superset"),
    ("can_fave_dashboards", "Superset"),
    ("can_favstar", "Superset"),
    ("can_export", "Chart"),
}
# Reading the datasets and the database's schema, for SQL Lab's table browser.
READ_METADATA = {
    ("can_read", "Dataset"),
    ("can_read", "Database"),
    ("can_read", "Datasource"),
    ("menu_access", "Datasets"),
    ("menu_access", "Charts"),
}
WRITE_PERMISSIONS = {"can_write", "can_delete", "muldelete", "can_import", "can_save", "can_overwrite"}


def import_bundle(bundle: Path, published_db: Path) -> None:
    """Import every YAML file of the bundle folder, the database URI set to the published file."""
    from superset.commands.dashboard.importers.dispatcher import ImportDashboardsCommand

    contents: dict[str, str] = {}
    for path in sorted(bundle.rglob("*.yaml")):
        relative = path.relative_to(bundle).as_posix()
        text = path.read_text(encoding="utf-8")
        if relative.startswith("databases/"):
            # The bundle carries its own URI (a placeholder in git): point it at this machine's file.
            config = yaml.safe_load(text)
            config["sqlalchemy_uri"] = f"duckdb:///{published_db}"
            text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
        contents[relative] = text
    ImportDashboardsCommand(contents, overwrite=True).run()


def _session() -> Any:
    from superset import db

    return db.session


def _pvms(security_manager: Any) -> list[Any]:
    return _session().query(security_manager.permissionview_model).all()


def _set_role(security_manager: Any, name: str, wanted: Iterable[Any]) -> None:
    role = security_manager.find_role(name) or security_manager.add_role(name)
    role.permissions = sorted(set(wanted), key=lambda p: p.id)
    _session().merge(role)
    _session().commit()


def sync_roles(security_manager: Any, database_perm: str) -> None:
    pvms = _pvms(security_manager)

    def pick(predicate: Callable[[str, str], bool]) -> list[Any]:
        return [
            p for p in pvms if p.permission and p.view_menu and predicate(p.permission.name, p.view_menu.name)
        ]

    def on_database(permission: str, view: str) -> bool:
        return permission == "database_access" and view == database_perm

    viewer = pick(lambda p, v: (p, v) in VIEW_DASHBOARDS or on_database(p, v))
    auditor = viewer + pick(
        lambda p, v: (
            (p, v) in READ_METADATA
            or (p, v) in security_manager.SQLLAB_ONLY_PERMISSIONS
            or (p, v) in security_manager.SQLLAB_EXTRA_PERMISSION_VIEWS
        )
    )
    # An author is Superset's Gamma (explore, save charts and dashboards they own) on this database only.
    gamma = {(p.permission.name, p.view_menu.name) for p in security_manager.find_role("Gamma").permissions}
    author = pick(lambda p, v: (p, v) in gamma or on_database(p, v))
    for name, wanted in ((VIEWER_ROLE, viewer), (AUDITOR_ROLE, auditor)):
        writes = [f"{p.permission.name} on {p.view_menu.name}" for p in wanted if _is_write(p)]
        if writes:
            raise RuntimeError(f"role {name} would get write permissions: {writes}")
    _set_role(security_manager, VIEWER_ROLE, viewer)
    _set_role(security_manager, AUDITOR_ROLE, auditor)
    _set_role(security_manager, AUTHOR_ROLE, author)


def _is_write(pvm: Any) -> bool:
    view = pvm.view_menu.name
    if view in {"SavedQuery", "TabStateView", "SqlLabPermalinkRestApi", "TableSchemaView"}:
        return False  # SQL Lab's own tabs and saved queries: the user's workspace, not the warehouse
    if view in {"DashboardPermalinkRestApi", "DashboardFilterStateRestApi"}:
        return False  # a filter state or permalink, not the dashboard
    return pvm.permission.name in WRITE_PERMISSIONS


def sync_users(security_manager: Any, users: list[dict[str, str]]) -> None:
    for spec in users:
        role = security_manager.find_role(spec["role"])
        user = security_manager.find_user(username=spec["username"])
        if user is None:
            user = security_manager.add_user(
                spec["username"],
                spec.get("first_name", spec["username"]),
                spec.get("last_name", "Warehouse"),
                spec.get("email", f"{spec['username']}@warehouse.invalid"),
                role,
                password=spec["password"],
            )
            if not user:
                raise RuntimeError(f"could not create user {spec['username']}")
        else:
            user.roles = [role]
            user.active = True
            security_manager.update_user(user)
            security_manager.reset_password(user.id, spec["password"])
    _session().commit()


def use_wal(metadata_db: Path) -> None:
    with sqlite3.connect(metadata_db) as con:
        con.execute("PRAGMA journal_mode=WAL")


def main(argv: list[str]) -> int:
    bundle, published_db, users_file = Path(argv[1]), Path(argv[2]), Path(argv[3])
    users = json.loads(users_file.read_text(encoding="utf-8"))
    from flask import g
    from superset.app import create_app

    app = create_app()
    # Superset's models need the app (encrypted fields): import them only now.
    from superset import db, security_manager
    from superset.models.core import Database

    use_wal(Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")))
    with app.app_context(), app.test_request_context():
        admin = next(u for u in users if u["role"] == "Admin")
        sync_users(security_manager, [admin])
        g.user = security_manager.find_user(username=admin["username"])
        import_bundle(bundle, published_db)
        database = db.session.query(Database).filter_by(database_name=DATABASE_NAME).one()
        security_manager.add_permission_view_menu("database_access", database.perm)
        sync_roles(security_manager, database.perm)
        sync_users(security_manager, users)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
