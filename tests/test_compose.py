"""compose.yaml, checked by reading it (no Docker engine here): Clerk on PostgreSQL, one scheduler."""
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_clerk_runs_on_postgresql_once_it_is_healthy():
    clerk, db = COMPOSE["services"]["clerk"], COMPOSE["services"]["db"]
    assert clerk["build"] == "."
    assert clerk["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://clerk:")
    assert "@db:5432/clerk" in clerk["environment"]["DATABASE_URL"]
    assert clerk["depends_on"]["db"]["condition"] == "service_healthy"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert db["image"].startswith("postgres:")


def test_exactly_one_service_runs_the_scheduler_and_the_port_matches():
    schedulers = [name for name, svc in COMPOSE["services"].items()
                  if svc.get("environment", {}).get("CLERK_SCHEDULER", "on" if name.startswith("clerk") else "off") == "on"]
    assert schedulers == ["clerk"]
    clerk = COMPOSE["services"]["clerk"]
    port = clerk["environment"]["PORT"]
    assert f"{port}:{port}" in clerk["ports"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f"EXPOSE {port}" in dockerfile
