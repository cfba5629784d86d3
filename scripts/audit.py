"""Audit the locked dependencies with pip-audit; say plainly what was audited.

pip-audit reports "No known vulnerabilities found" even when it could audit
nothing (its vulnerability service unreachable): this prints how many
dependencies were really checked, lists the known vulnerabilities, and fails
only on those.

    .venv/bin/python scripts/audit.py [requirements.txt ...]
"""

import json
import subprocess
import sys
from pathlib import Path

LOCKED = ["requirements.txt", "requirements-dev.txt"]


def audit(requirements):
    command = [Path(sys.executable).with_name("pip-audit"), "--format", "json"]
    command += ["--requirement", requirements, "--no-deps", "--disable-pip"]
    command += ["--progress-spinner", "off"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    try:
        return json.loads(result.stdout)["dependencies"]
    except (ValueError, KeyError):
        sys.exit(f"pip-audit failed on {requirements}:\n{result.stderr}")


def main(files):
    vulnerable = 0
    for requirements in files:
        dependencies = audit(requirements)
        skipped = [d for d in dependencies if "skip_reason" in d]
        audited = len(dependencies) - len(skipped)
        print(f"{requirements}: {audited} of {len(dependencies)} pins audited")
        for dependency in dependencies:
            for vulnerability in dependency.get("vulns", []):
                vulnerable += 1
                fixed = ", ".join(vulnerability["fix_versions"]) or "no fix yet"
                print(
                    f"  VULNERABLE {dependency['name']} {dependency['version']}: "
                    f"{vulnerability['id']} (fixed in {fixed})"
                )
        if skipped:
            print(f"  NOT AUDITED ({len(skipped)}): {skipped[0]['skip_reason']}, …")
    if vulnerable:
        print(f"{vulnerable} known vulnerabilities: upgrade, then `make lock`.")
        return 1
    print("No known vulnerability in what could be audited.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or LOCKED))
