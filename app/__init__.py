"""PVE Track: monitoring and evaluation for programmes that prevent violent extremism."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import web
from app.auth.throttle import LoginThrottle
from app.config import INSTANCE_DIR, load_config
from app.db import db as database
from app.extensions import babel, csrf


def _blueprints() -> list[Any]:
    from app.api.views import bp as api_bp
    from app.auth.views import bp as auth_bp
    from app.evaluation.views import bp as evaluation_bp
    from app.evidence.views import bp as evidence_bp
    from app.followup.views import bp as followup_bp
    from app.frameworks.views import bp as frameworks_bp
    from app.iati.views import bp as iati_bp
    from app.jobs.views import bp as jobs_bp
    from app.mail.views import bp as mail_bp
    from app.monitoring.views import bp as monitoring_bp
    from app.programmes.views import bp as programmes_bp
    from app.reports.views import bp as reports_bp

    return [auth_bp, reports_bp, programmes_bp, frameworks_bp, monitoring_bp, followup_bp,
            evaluation_bp, evidence_bp, jobs_bp, iati_bp, mail_bp, api_bp]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.update(load_config(config))
    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    database.init_app(app)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=web.select_locale,
        default_translation_directories="translations",
    )
    app.extensions["login_throttle"] = LoginThrottle(
        app.config["REDIS_URL"] or "memory://",
        app.config["LOGIN_FAILURE_LIMIT"],
        app.config["LOGIN_FAILURE_WINDOW_SECONDS"],
    )
    web.init_app(app)
    from app.api import access as api_access
    from app.api import problems as api_problems

    api_problems.init_app(app)  # after the pages' error handlers, which it wraps
    api_access.init_app(app)
    from app.labels import labels

    app.jinja_env.globals["labels"] = labels
    for blueprint in _blueprints():
        app.register_blueprint(blueprint)

    from app.cli import register_cli

    register_cli(app)
    from app.jobs import cli as jobs_cli

    jobs_cli.register(app)
    from app.mail import cli as mail_cli

    mail_cli.register(app)
    from app.digest import register as register_digest

    register_digest(app)
    if app.config["ENV"] == "production":
        from app.evidence.services import check_keys_at_start

        with app.app_context():
            with database.standalone_session() as session:
                check_keys_at_start(app.config, session)
            # No connection opened before the server forks its workers stays in the pool.
            database.engine.dispose()
    return app
