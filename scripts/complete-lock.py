"""Adds lock entries for platform-only optional packages the registry here does not serve.

npm records them as optional dependencies of msgpackr-extract (via BullMQ) but leaves them
out of package-lock.json when it cannot fetch their metadata, and `npm ci` then refuses the
lock as out of sync. The entries carry os/cpu, so npm never installs them on Linux x64.
Run after any `npm install` that rewrites the lock: python3 scripts/complete-lock.py
"""

import json
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / "package-lock.json"
PLATFORMS = {"darwin-arm64": ("darwin", "arm64"), "darwin-x64": ("darwin", "x64"),
             "linux-arm": ("linux", "arm"), "linux-arm64": ("linux", "arm64"),
             "linux-x64": ("linux", "x64"), "win32-x64": ("win32", "x64")}

lock = json.loads(LOCK.read_text())
packages = lock["packages"]
extract = packages.get("node_modules/msgpackr-extract")
if extract:
    for name, version in extract.get("optionalDependencies", {}).items():
        key = f"node_modules/{name}"
        platform = PLATFORMS.get(name.rsplit("msgpackr-extract-", 1)[-1])
        if key not in packages and platform:
            packages[key] = {"version": version, "cpu": [platform[1]], "license": "MIT",
                             "optional": True, "os": [platform[0]]}
    lock["packages"] = dict(sorted(packages.items(), key=lambda item: (item[0] != "", item[0])))
    LOCK.write_text(json.dumps(lock, indent=2) + "\n")
