"""docker compose can't run here, so its shape is checked by parsing it."""

from pathlib import Path

import yaml

COMPOSE = Path(__file__).resolve().parent.parent / "docker-compose.yml"


def _services():
    return yaml.safe_load(COMPOSE.read_text())["services"]


def test_compose_defines_the_five_services_of_the_production_shape():
    assert set(_services()) == {"db", "redis", "web", "worker", "beat"}


def test_web_applies_migrations_then_serves_with_gunicorn():
    command = " ".join(_services()["web"]["command"])
    assert command.index("migrate --noinput") < command.index("gunicorn config.wsgi")


def test_worker_and_beat_run_celery_for_the_project():
    services = _services()
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]


def test_app_containers_get_their_settings_from_the_environment():
    for name in ("web", "worker", "beat"):
        env = _services()[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://")
        assert env["DEBUG"] == "false" and env["HTTPS"] == "true"
        assert "SECRET_KEY" in env


def test_database_and_redis_are_healthy_before_the_app_starts():
    services = _services()
    assert services["db"]["image"].startswith("postgres")
    assert services["redis"]["image"].startswith("redis")
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
