"""Shared test set-up. Tests use the real shipped project (the repository root) read-only
and copy it to a temporary folder before changing anything."""
