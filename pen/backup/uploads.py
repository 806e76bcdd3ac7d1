"""The stored files: copied with their sha256 into a backup, checked and copied back."""

import hashlib
import os
from pathlib import Path

from .errors import BackupError


def copy_uploads(source: Path, target: Path) -> tuple[dict, list]:
    """Copy every stored file (not uploads in progress); their sha256 and size, and the
    files that were deleted between listing and copying."""
    manifest, vanished = {}, []
    for path in sorted(source.glob("*/*")) if source.is_dir() else []:
        if path.name.startswith(".") or not path.is_file():
            continue  # .part files: uploads still being received
        relative = path.relative_to(source).as_posix()
        try:
            manifest[relative] = _copy_hashed(path, target / relative)
        except FileNotFoundError:
            vanished.append(relative)
    return manifest, vanished


def _copy_hashed(source: Path, target: Path) -> dict:
    """Copy one file through a ``.part`` and rename; its sha256 and size."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".{target.name}.part")
    digest, size = hashlib.sha256(), 0
    with open(source, "rb") as src, open(part, "wb") as out:
        while block := src.read(2**20):
            digest.update(block)
            size += len(block)
            out.write(block)
        out.flush()
        os.fsync(out.fileno())
    os.replace(part, target)
    return {"sha256": digest.hexdigest(), "size": size}


def verify_files(folder: Path, expected: dict) -> None:
    """Refuse a backup whose files are missing or differ from their manifest sha256."""
    for relative, described in sorted(expected.items()):
        digest = hashlib.sha256()
        try:
            with open(folder / relative, "rb") as handle:
                while block := handle.read(2**20):
                    digest.update(block)
        except FileNotFoundError:
            raise BackupError(f"{relative} is missing from the backup.") from None
        if digest.hexdigest() != described["sha256"]:
            raise BackupError(_damaged(relative))


def _damaged(relative: str) -> str:
    """The message for a file whose sha256 is not the one the manifest recorded."""
    return (f"{relative} in the backup is damaged: its sha256 is not the one recorded "
            "when it was written.")


def restore_uploads(source: Path, target: Path, expected: dict) -> None:
    """Copy every file of the manifest, refusing one whose sha256 differs."""
    for relative, described in sorted(expected.items()):
        copied = _copy_hashed(source / relative, target / relative)
        if copied["sha256"] != described["sha256"]:
            (target / relative).unlink()
            raise BackupError(_damaged(relative))
