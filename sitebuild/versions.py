"""Installed versions, and the check every patch of a third-party internal makes.

A patch replaces or wraps a function inside another project; it is written against
one version of it. ``require`` stops the build, naming the patch, when another version
is installed: check the patch against the new version's code, then update its
``WRITTEN_FOR`` (or drop the patch).
"""

from __future__ import annotations

import functools
from importlib import metadata


class PatchVersionError(RuntimeError):
    """A patch meets a version of its target it was not written for."""


@functools.cache
def version(distribution: str) -> str:
    """An installed package's version (reading it takes a millisecond; blocks are many)."""
    return metadata.version(distribution)


def require(patch: str, distribution: str, written_for: str) -> None:
    """Fail unless ``distribution`` is installed at ``written_for``."""
    installed = version(distribution)
    if installed != written_for:
        raise PatchVersionError(
            f"the patch {patch} was written for {distribution} {written_for}, and "
            f"{installed} is installed: check the patch against {distribution} {installed}'s "
            f"code, then update its WRITTEN_FOR (or run with SITEBUILD_SPEEDUPS=0 meanwhile)"
        )
