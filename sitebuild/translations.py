"""The two-language build (MkDocs side): the English build builds each translation.

``mkdocs build`` builds the Chinese site at the same time as the English one, in a
forked copy of the English build's process (which has already imported MkDocs and every
plugin), once the examples have their results and the English build has cleaned the
site folder; the English build waits for it and fails if it failed. Its log lines start
with ``[zh]``. ``mkdocs serve``, an in-process build and a system without ``os.fork``
build the two one after the other. Each language is a full MkDocs build of its own
config (``mkdocs.yml``, ``mkdocs.zh.yml``); README's "How the site is built" says why.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from pathlib import Path
from urllib.parse import urljoin

import mkdocs
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from sitebuild.examples import ROOT

TRANSLATIONS = {"zh": "mkdocs.zh.yml"}  # built into <site>/<lang>/ by the English build
# The commands that may build the translations in forked processes. `serve` is not one:
# its rebuilds run beside the server's threads, and forking a threaded process is unsafe.
PARALLEL_COMMANDS = {"build", "gh-deploy"}
log = logging.getLogger("mkdocs.sitebuild")
_forked: dict[str, int] = {}  # language -> the forked process building it


def language_folder(language: str) -> str:
    """Where this language's site sits in the published site: "" or "zh/"."""
    return f"{language}/" if language in TRANSLATIONS else ""


def build_translation(config: MkDocsConfig, language: str) -> None:
    log.info("Building the %s site", language)
    overrides = {"site_url": urljoin(config.site_url, f"{language}/")} if config.site_url else {}
    translated = load_config(
        config_file=str(ROOT / TRANSLATIONS[language]),
        site_dir=str(Path(config.site_dir) / language),
        strict=config.strict,
        **overrides,
    )
    build(translated)


class _LanguageLabel(logging.Filter):
    def __init__(self, language: str) -> None:
        super().__init__()
        self.label = f"[{language}] "

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.getMessage().startswith(self.label):
            record.msg, record.args = self.label + record.getMessage(), ()
        return True


def start(config: MkDocsConfig, command: str | None) -> None:
    """Fork one process per translation, each building its site and exiting."""
    if command not in PARALLEL_COMMANDS or not hasattr(os, "fork"):
        return
    for language in TRANSLATIONS:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid:
            _forked[language] = pid
            continue
        _forked.clear()  # the child waits for no one
        status = 1
        try:  # the child never returns into the English build
            # "mkdocs", or "properdocs" when ProperDocs answers `import mkdocs`
            for handler in logging.getLogger(mkdocs.__name__).handlers:
                handler.addFilter(_LanguageLabel(language))
            build_translation(config, language)
            status = 0
        except BaseException as error:
            log.error("%s", error)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)


def wait() -> list[str]:
    """Wait for the forked builds; the languages whose build failed."""
    failed = []
    for language, pid in list(_forked.items()):
        _, status = os.waitpid(pid, 0)
        del _forked[language]
        if os.waitstatus_to_exitcode(status) != 0:
            failed.append(language)
    return failed


def stop() -> None:
    """The English build failed: stop the forked builds."""
    for pid in _forked.values():
        os.kill(pid, signal.SIGTERM)
    wait()


def finish(config: MkDocsConfig) -> list[str]:
    """Wait for the forked builds, then build the languages that were not forked; the
    languages whose forked build failed (the others were not built then)."""
    forked = set(_forked)
    if failed := wait():
        return failed
    for language in TRANSLATIONS:
        if language not in forked:
            build_translation(config, language)
    return []
