"""The floor of bench/wrk_pages.py: a Flask "hello" under the same gunicorn, measured in the same run."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "hello"
