"""Files replaced in one step: a reader, or the next run after a kill, sees old or new."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import IO


def write_atomically(path: str | Path, content: bytes | str) -> None:
    """Replace ``path`` with ``content`` (text as UTF-8): complete or not at all.

    The folder must exist. The data reaches the disk before the rename, so not even a
    power cut leaves half a file; a failure leaves the old file and no temporary one.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    target = Path(os.path.abspath(path))
    # The stem keeps the temporary file recognisable (".timings-….tmp") and, ending in
    # .tmp, out of any "*.json" glob of the folder.
    temporary = target.with_name(f".{target.stem}-{secrets.token_hex(6)}.tmp")
    # os.open with 0o666 gives the mode open() would (the umask decides), where
    # mkstemp's 0600 would hide a report or timing store from teammates' tools.
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def open_lock(path: str | Path, warn) -> IO[str]:
    """Open ``path`` to ``flock`` it; a lock file that cannot be used is set aside first.

    The cache folder is untrusted: a directory, or a file this user may not open, in the
    lock's place would stop every run. It is renamed (never deleted) with one line from
    ``warn``, and a fresh lock file takes its place. OSError if even that cannot be done.
    """
    path = Path(path)
    try:
        return open(path, "a")
    except (IsADirectoryError, PermissionError) as error:
        problem = "it is a directory" if path.is_dir() else (error.strerror or str(error))
    aside = path.with_name(f"{path.name}.unusable-{secrets.token_hex(3)}")
    os.replace(path, aside)
    warn(f"Warning: lock file {path} is unusable ({problem}); set aside as {aside.name}")
    return open(path, "a")
