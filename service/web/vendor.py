"""Serve the prebuilt browser libraries (bpmn-js) straight from node_modules: only whitelisted dist files.

There is no JS build step: `npm ci` (in `make install`) puts the pinned packages of package-lock.json in
node_modules, and the pages load their UMD bundles, CSS and fonts from /vendor/<package>/<file>.
"""

import json
from functools import lru_cache
from pathlib import Path

from flask import abort, current_app, send_from_directory, url_for

from service.web import bp

# package -> the folders inside it that may be served
PACKAGES = {
    "bpmn-js": ("dist/",),
}
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".eot": "application/vnd.ms-fontobject",
    ".svg": "image/svg+xml",
}
ONE_YEAR = 365 * 24 * 3600  # URLs carry the package version, so a new version is a new URL


def split_vendor_path(path: str) -> tuple[str, str] | None:
    """Return (package, file inside it) when path names a servable file, else None."""
    if "\\" in path or any(ord(char) < 32 for char in path):
        return None
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return None
    size = 2 if parts[0].startswith("@") else 1
    package, inner = "/".join(parts[:size]), "/".join(parts[size:])
    folders = PACKAGES.get(package)
    if folders is None or not inner or not inner.startswith(folders):
        return None
    if Path(inner).suffix not in CONTENT_TYPES:
        return None
    return package, inner


def _root() -> Path:
    return Path(current_app.config["NODE_MODULES_DIR"])


@lru_cache(maxsize=32)
def _version(package_json: Path, mtime: float) -> str:
    try:
        return str(json.loads(package_json.read_text("utf-8")).get("version", ""))
    except (OSError, ValueError):
        return ""


def package_version(package: str) -> str:
    """Return the installed version of a whitelisted package ("" when it is not installed)."""
    package_json = _root() / package / "package.json"
    try:
        mtime = package_json.stat().st_mtime
    except OSError:
        return ""
    return _version(package_json, mtime)


def vendor_url(path: str) -> str:
    """Return the URL of a vendored file, with the package version so that browsers may cache it."""
    found = split_vendor_path(path)
    if found is None:
        raise ValueError(f"not a servable vendor file: {path}")
    return url_for("web.vendor", path=path, v=package_version(found[0]) or None)


@bp.get("/vendor/<path:path>")
def vendor(path: str):
    """Serve one whitelisted dist file of a browser library; 404 for anything else."""
    found = split_vendor_path(path)
    if found is None:
        abort(404)
    package, inner = found
    response = send_from_directory(_root() / package, inner, max_age=ONE_YEAR, conditional=True)
    response.headers["Content-Type"] = CONTENT_TYPES[Path(inner).suffix]
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.app_context_processor
def _vendor_globals() -> dict:
    return {"vendor_url": vendor_url}


@lru_cache(maxsize=1)
def _favicon() -> bytes:
    return (Path(current_app.static_folder) / "favicon.svg").read_bytes()


@bp.get("/favicon.svg")
def favicon():
    """The site's icon, from memory: browsers fetch it after every page and often drop the request halfway, which
    would leave a file of send_file open until the garbage collector finds it."""
    response = current_app.response_class(_favicon(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
