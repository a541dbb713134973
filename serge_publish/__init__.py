from pathlib import Path

__version__ = "0.1.0"


def package_file(*parts: str) -> Path:
    """A file shipped in the package (``data/``, ``schema/``), read from the package's
    folder: importlib.resources.files would import tempfile, zipfile and their kin, a
    tenth of a command that has little to do (issue 8). The package is installed as
    files, as ``build_state.tool_digest`` assumes too."""
    return Path(__file__).parent.joinpath(*parts)
