"""Back-office forms of the statistics module."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or Excel file (.csv, .xlsx)"), validators=[FileRequired()])
    replace = BooleanField(_l("Replace every existing figure (otherwise add and update)"))


class ConfirmImportForm(FlaskForm):
    payload = HiddenField()
