"""ZIP archives from outside (an XLSX workbook, a ZIP of documents), checked before any member is read.

First the end record, which declares how many members there are and how large the central directory is, so that an
archive declaring millions of members is refused before Python lists them. Then the members' declared sizes: every
member, however small, counts toward an expansion budget proportional to the archive's own size (IMPORT_ZIP_MAX_RATIO
times it, at least 10 MB, never more than the caller's hard cap), and a member over 1 MB may not expand more than
IMPORT_ZIP_MAX_RATIO times. The declared sizes can be trusted as bounds: zipfile stops a member at its declared size
and checks its CRC.
"""

from __future__ import annotations

import stat
import zipfile
from typing import BinaryIO

from django.conf import settings

from evidence.importing.tables import UnusableInputError

BUDGET_FLOOR = 10 * 1024 * 1024
RATIO_FLOOR = 1024 * 1024  # a smaller member may compress as well as it likes; it still counts toward the budget
DIRECTORY_BYTES_PER_MEMBER = 1024  # a central directory entry is 46 bytes plus its name and extras


def archive_size(fp: BinaryIO) -> int:
    fp.seek(0, 2)
    size = fp.tell()
    fp.seek(0)
    return size


def open_zip(
    fp: BinaryIO,
    *,
    name: str,
    what: str,
    max_total: int,
    cap_setting: str,
    members_setting: str = "IMPORT_ZIP_MAX_MEMBERS",
) -> zipfile.ZipFile:
    """The archive, once its end record and its members' declared sizes are within bounds; UnusableInputError
    otherwise. `what` names the archive in messages ("workbook", "ZIP"); `members_setting` names the setting that
    bounds its number of members (a matter archive holds one member per document, so it has its own)."""
    size = archive_size(fp)
    _check_end_record(fp, name, members_setting)
    try:
        archive = zipfile.ZipFile(fp)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise UnusableInputError(f"“{name}” is not a readable {what} ({error}).") from None
    try:
        check_expansion(
            archive.infolist(),
            name=name,
            size=size,
            max_total=max_total,
            cap_setting=cap_setting,
            members_setting=members_setting,
        )
    except BaseException:
        archive.close()
        raise
    return archive


def _check_end_record(fp: BinaryIO, name: str, members_setting: str) -> None:
    limit = getattr(settings, members_setting)
    try:
        end = zipfile._EndRecData(fp)  # what ZipFile itself reads first; None when there is no end record
    except (OSError, ValueError, EOFError, AttributeError):
        end = None
    fp.seek(0)
    if end is None:
        return  # ZipFile reports the damage in its own words
    members, directory = end[zipfile._ECD_ENTRIES_TOTAL], end[zipfile._ECD_SIZE]
    if members > limit:
        raise _too_many(name, f"{members:,}", limit, members_setting)
    if directory > limit * DIRECTORY_BYTES_PER_MEMBER:
        raise UnusableInputError(
            f"“{name}” declares a directory of {directory:,} bytes, more than {limit:,} members need (setting "
            f"{members_setting}); refused as a damaged or hostile archive."
        )


def _too_many(name: str, count: str, limit: int, members_setting: str) -> UnusableInputError:
    return UnusableInputError(
        f"“{name}” has {count} members; the limit is {limit:,} (setting {members_setting}). "
        "Split it into smaller archives."
    )


def check_expansion(
    members: list[zipfile.ZipInfo],
    *,
    name: str,
    size: int,
    max_total: int,
    cap_setting: str,
    members_setting: str = "IMPORT_ZIP_MAX_MEMBERS",
) -> None:
    limit, ratio = getattr(settings, members_setting), settings.IMPORT_ZIP_MAX_RATIO
    if len(members) > limit:
        raise _too_many(name, f"{len(members):,}", limit, members_setting)
    proportional = max(ratio * size, BUDGET_FLOOR)
    budget = min(max_total, proportional)
    total = 0
    for info in members:
        if info.file_size > RATIO_FLOOR and info.file_size > ratio * max(info.compress_size, 1):
            expands = info.file_size // max(info.compress_size, 1)
            raise UnusableInputError(
                f"“{name}”: member “{info.filename}” expands {expands:,} times ({info.compress_size:,} to "
                f"{info.file_size:,} bytes); the limit is {ratio:,} times (setting IMPORT_ZIP_MAX_RATIO). "
                "Refused as a possible zip bomb."
            )
        total += info.file_size
        if total > budget:
            why = (
                f"the limit of setting {cap_setting}"
                if budget == max_total
                else f"{ratio:,} times the archive's {size:,} bytes (setting IMPORT_ZIP_MAX_RATIO; at least 10 MB)"
            )
            raise UnusableInputError(
                f"“{name}” unpacks to more than {budget:,} bytes ({why}); reached at member “{info.filename}”. "
                "Refused as a possible zip bomb; split it into smaller archives."
            )


def check_member(info: zipfile.ZipInfo, name: str) -> None:
    """Refuse the whole archive `name` for a member that could write outside a folder it were unpacked to (an
    absolute path, a ".." part, a drive letter), a symbolic link, or an encrypted member: UnusableInputError."""
    path = info.filename.replace("\\", "/")
    parts = path.split("/")
    if path.startswith("/") or (len(parts[0]) == 2 and parts[0][1] == ":") or ".." in parts:
        raise UnusableInputError(f"“{name}” contains “{info.filename}”, a path outside the ZIP; nothing was imported.")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise UnusableInputError(f"“{name}” contains a symbolic link (“{info.filename}”); nothing was imported.")
    if not info.is_dir() and info.flag_bits & 0x1:
        raise UnusableInputError(f"“{name}”: “{info.filename}” is encrypted; unzip it and send the files unencrypted.")
