"""What changed, as git sees it: the working tree (untracked files too) against a commit."""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitProblem(Exception):
    """git is missing, this is not a work tree, or the ref names no commit."""


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=root,
            capture_output=True,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except OSError as error:
        raise GitProblem(f"git cannot run ({error})") from None
    if check and done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise GitProblem(message[-1] if message else f"git {args[0]} failed")
    return done


def work_tree(start: Path) -> Path:
    """The top of the git work tree holding ``start``."""
    done = _git(start, "rev-parse", "--show-toplevel")
    return Path(done.stdout.decode().strip())


def commit_of(root: Path, ref: str) -> str:
    """The commit ``ref`` names; GitProblem (with git's words) when it names none."""
    if ref.startswith("-"):
        raise GitProblem(f"{ref!r} is not a git ref")
    done = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    if done.returncode != 0:
        raise GitProblem(f"{ref!r} names no commit in {root}")
    return done.stdout.decode().strip()


def head_commit(root: Path) -> str | None:
    """The commit checked out, None in a repository without one."""
    done = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
    return done.stdout.decode().strip() or None


def changed_files(root: Path, commit: str | None) -> set[str]:
    """Paths (from ``root``) that differ between ``commit`` and the working tree.

    Untracked files count (a new test module, a new migration); ignored ones do not.
    Without a commit, every file is new.
    """
    if commit is None:
        listed = _git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
        return _names(listed.stdout)
    diff = _git(root, "diff", "-z", "--name-only", "--no-renames", commit, "--")
    untracked = _git(root, "ls-files", "-z", "--others", "--exclude-standard")
    return _names(diff.stdout) | _names(untracked.stdout)


def content_at(root: Path, commit: str, path: str) -> bytes | None:
    """``path`` as it was in ``commit``; None when it did not exist there."""
    done = _git(root, "show", f"{commit}:{path}", check=False)
    return done.stdout if done.returncode == 0 else None


def _names(output: bytes) -> set[str]:
    return {name for name in output.decode("utf-8", "surrogateescape").split("\0") if name}
