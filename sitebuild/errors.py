"""The one error the core raises: the build cannot go on, and the message says where.

The MkDocs adapter (hooks.py) turns it into MkDocs' ``PluginError``; nothing else here
knows MkDocs.
"""


class BuildError(Exception):
    """A page or a file the build reads is wrong; the message names it."""
