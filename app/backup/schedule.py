"""The weekly backup (R-26) run by the worker: write, verify, then keep 8 weekly and 12 monthly backups.

Only files named as :func:`app.backup.operations.default_path` names them are counted or removed; a backup
written elsewhere or under another name is never touched.
"""

import logging
import os
import re
from datetime import datetime

from flask import current_app

from app.backup.operations import create_backup, verify_backup

log = logging.getLogger(__name__)

# Settings (override in config): one comment per key.
DEFAULTS = {
    # Newest backup of each of the last N ISO weeks that have one.
    "BACKUP_KEEP_WEEKLY": 8,
    # Newest backup of each of the last N months that have one.
    "BACKUP_KEEP_MONTHLY": 12,
}
NAME = re.compile(r"portal-(\d{8}-\d{6})\.tar\.gz(\.enc)?")


def _setting(name):
    return int(current_app.config.get(name, DEFAULTS[name]))


def backups(folder):
    """``[(time, path)]`` of the scheduled-name backups in ``folder``, newest first."""
    found = []
    for name in os.listdir(folder) if os.path.isdir(folder) else ():
        match = NAME.fullmatch(name)
        if match:
            found.append((datetime.strptime(match.group(1), "%Y%m%d-%H%M%S"), os.path.join(folder, name)))
    return sorted(found, reverse=True)


def to_keep(stamps, weekly, monthly):
    """The times among ``stamps`` kept: the newest of each of the ``weekly`` latest weeks and ``monthly`` months."""
    keep, weeks, months = set(), [], []
    for stamp in sorted(stamps, reverse=True):
        week, month = stamp.isocalendar()[:2], (stamp.year, stamp.month)
        if week not in weeks and len(weeks) < weekly:
            weeks.append(week)
            keep.add(stamp)
        if month not in months and len(months) < monthly:
            months.append(month)
            keep.add(stamp)
    return keep


def prune(folder=None):
    """Remove the scheduled-name backups that the retention does not keep; return the removed paths."""
    folder = folder or current_app.config["BACKUP_DIR"]
    found = backups(folder)
    keep = to_keep([stamp for stamp, _path in found], _setting("BACKUP_KEEP_WEEKLY"), _setting("BACKUP_KEEP_MONTHLY"))
    removed = []
    for stamp, path in found:
        if stamp not in keep:
            os.remove(path)
            removed.append(path)
    if removed:
        log.info("backup retention: removed %d old backup(s)", len(removed))
    return removed


def scheduled_backup():
    """Write a backup, verify it as a restore would, then apply the retention; return a one-line summary.

    :raise BackupError: the backup could not be written or does not verify (nothing is pruned then).
    """
    path, manifest = create_backup()
    verify_backup(path)
    removed = prune(os.path.dirname(path))
    rows = sum(manifest["tables"].values())
    return f"{path} ({rows} rows, verified; {len(removed)} old backup(s) removed)"
