"""docker-compose.yml and .env.example agree with what the settings read.

No Docker engine runs the file here, so its shape is checked instead.
"""

import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SERVICES = {"postgres", "redis", "web", "worker", "beat"}
# Read by Django, manage.py and Celery to pick the settings, not by the settings themselves.
READ_BEFORE_SETTINGS = {"DJANGO_SETTINGS_MODULE"}
# env("NAME", ...), env.bool("NAME", ...), env.db("NAME"), ...
ENV_READ = re.compile(r"""\benv(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""")
# NAME=value, commented out or not.
ENV_ASSIGNMENT = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=")


def settings_variables():
    names = set()
    for path in (ROOT / "cadre_portal" / "settings").glob("*.py"):
        names |= set(ENV_READ.findall(path.read_text(encoding="utf-8")))
    return names


@pytest.fixture(scope="module")
def services():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return compose["services"]


def command_of(service):
    command = service.get("command", [])
    return shlex.split(command) if isinstance(command, str) else command


def healthcheck_of(service):
    test = service["healthcheck"]["test"]
    return test if isinstance(test, str) else " ".join(test)


def app_services(services):
    """The services built from this project, as opposed to postgres and redis."""
    return {name: service for name, service in services.items() if "build" in service}


def test_it_finds_the_variables_the_settings_read():
    # Guards the regex: were it to match nothing, the checks below would pass vacuously.
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_DEBUG"} <= settings_variables()


def test_it_defines_the_five_services(services):
    assert set(services) >= SERVICES


def test_it_gives_postgres_redis_and_web_a_healthcheck(services):
    assert "pg_isready" in healthcheck_of(services["postgres"])
    assert "redis-cli ping" in healthcheck_of(services["redis"])
    assert "healthcheck" in services["web"]


def test_it_checks_web_health_through_healthz(services):
    check = healthcheck_of(services["web"])

    assert "urllib" in check
    assert "http://127.0.0.1:8000/healthz" in check


def test_it_starts_web_once_postgres_and_redis_are_healthy(services):
    depends_on = services["web"]["depends_on"]

    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"
    assert "gunicorn" in command_of(services["web"])


def test_it_migrates_before_the_app_starts(services):
    assert command_of(services["migrate"])[-2:] == ["migrate", "--noinput"]
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_it_runs_celery_for_cadre_portal(services, name):
    command = command_of(services[name])

    assert command[:3] == ["celery", "-A", "cadre_portal"]
    assert name in command


def test_it_gives_every_app_service_the_same_environment(services):
    apps = app_services(services)
    environments = [service["environment"] for service in apps.values()]

    assert set(apps) >= {"web", "worker", "beat"}
    assert all(environment == environments[0] for environment in environments)
    assert environments[0]["DJANGO_SETTINGS_MODULE"] == "cadre_portal.settings.production"


def test_it_passes_only_variables_the_settings_read(services):
    known = settings_variables() | READ_BEFORE_SETTINGS

    for name, service in app_services(services).items():
        unknown = set(service["environment"]) - known
        assert not unknown, f"{name} sets variables no settings read: {sorted(unknown)}"


def env_example_entries():
    """Each variable in .env.example, with the comment block above it."""
    entries = {}
    for block in (ROOT / ".env.example").read_text(encoding="utf-8").split("\n\n"):
        lines = block.strip().splitlines()
        for line in lines:
            if match := ENV_ASSIGNMENT.match(line):
                entries[match[1]] = " ".join(other for other in lines if other != line)
    return entries


def test_it_documents_every_setting_variable_in_env_example():
    entries = env_example_entries()

    missing = settings_variables() - set(entries)
    assert not missing, f".env.example does not document: {sorted(missing)}"
    undescribed = {name for name in settings_variables() if "Default" not in entries[name]}
    assert not undescribed, f".env.example gives no default for: {sorted(undescribed)}"
