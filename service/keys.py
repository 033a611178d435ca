"""Secrets the service makes itself when none is configured: random, made once, kept in the instance folder.

Several workers (or hosts sharing the folder) may start at the same moment; they must all end up with the same
key. The key is written whole to a private temporary file (O_CREAT | O_EXCL, mode 0600) and then hard-linked to
its name: the link either succeeds or finds the file another worker linked first, and either way the file under
the name is complete. Whoever loses the race reads the winner's key.
"""

import logging
import os
import secrets
import stat
from pathlib import Path

log = logging.getLogger(__name__)

MIN_LENGTH = 32  # characters; a shorter kept key is taken to be damaged


class KeyFileError(RuntimeError):
    """A kept key file cannot be made or read; the app does not start without its keys."""


def kept_secret(folder: str | os.PathLike, name: str) -> str:
    """Return the secret kept in folder/name, making a random one (mode 0600) the first time."""
    folder = Path(folder)
    path = folder / name
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        _make(path)
    return _read(path)


def _make(path: Path) -> None:
    """Write a new random key to path unless another process got there first."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(8)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_urlsafe(48) + "\n")
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)  # atomic, and refuses to replace a key someone made meanwhile
        except FileExistsError:
            pass
    finally:
        temporary.unlink(missing_ok=True)


def _read(path: Path) -> str:
    try:
        key = path.read_text(encoding="ascii").strip()
        mode = path.stat().st_mode
    except (OSError, UnicodeDecodeError) as err:
        raise KeyFileError(f"{path}: the kept key cannot be read: {err}") from err
    if len(key) < MIN_LENGTH:
        raise KeyFileError(f"{path}: the kept key is shorter than {MIN_LENGTH} characters; remove the file to "
                           "make a new one (this ends every session) or configure the key")
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("%s can be read by other users of this machine (chmod 600 it)", path)
    return key
