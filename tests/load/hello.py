"""The bare Flask application `make loadtest` measures beside PVE Track, under the same
gunicorn settings: the ceiling of the server on this machine, which the ratios are taken to.

Run as ``gunicorn -c python:app.gunicorn_conf hello:app`` from this directory.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
