"""Public page of the editorial board: ``/pages/ban-bien-tap``."""

from flask import Blueprint, render_template

from app.board.operations import board_of

bp = Blueprint("board", __name__, template_folder="templates")


@bp.route("/pages/ban-bien-tap")
def board():
    return render_template("board/board.html", members=board_of())
