import functools
from pathlib import Path

__version__ = "0.1.0"


def package_file(*parts: str) -> Path:
    """A file shipped in the package (``data/``, ``schema/``), read from the package's
    folder: importlib.resources.files would import tempfile, zipfile and their kin, a
    tenth of a command that has little to do (issue 8). The package is installed as
    files, as :func:`code_digest` assumes too."""
    return Path(__file__).parent.joinpath(*parts)


@functools.cache
def code_digest(package: str = "") -> str:
    """SHA-256 of every file of the installed package (code, schema, templates,
    stylesheets, furniture tables...) with its path: what the version does not tell in a
    checkout or an editable install. The build's outputs (``build_state.tool_digest``)
    and update's record (``catalog_cache.tool_version``) are keyed on it. (Some 4 ms: 110
    files, 1.2 MB.) ``package``: another folder (the tests')."""
    import hashlib
    import os
    package = package or os.path.dirname(os.path.abspath(__file__))
    h = hashlib.sha256()
    for folder, subfolders, names in os.walk(package):
        subfolders[:] = sorted(s for s in subfolders if s != "__pycache__")
        for name in sorted(n for n in names if not n.endswith(".pyc")):
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                data = handle.read()
            h.update(os.path.relpath(path, package).replace(os.sep, "/").encode() + b"\0")
            h.update(len(data).to_bytes(8, "big") + data)
    return h.hexdigest()
