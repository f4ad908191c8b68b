#!/usr/bin/env python3
"""compose/ against the code, for ./scripts/compose-check (run with the venv's Python: PyYAML).

Checks, printing each problem and exiting 1 if there is any:
  - every Stitch service (Package.swift's list, through scripts/lib/services) runs in compose.yaml
    from its executable `stitch-<service>`, which compose/Dockerfile copies into the image (it reads
    the same list);
  - every STITCH_* variable a Stitch container is given is read by the Swift code and named in the
    README or docs/; every ${VARIABLE} compose.yaml interpolates is set in .env.example and named in the
    README or docs/, and .env.example sets nothing that neither compose.yaml nor compose/setup uses;
  - every service container has a health check, and each service a replica count;
  - ./compose/setup left no "change-me" secret in the .env it made.
"""
import argparse
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]


def documented(variable, docs, services):
    """Whether the docs name `variable`: by itself, or — a setting each service has once, such as
    STITCH_QUALITY_REPLICAS — by its pattern with the service as <SERVICE> (STITCH_<SERVICE>_REPLICAS)."""
    if variable in docs:
        return True
    patterns = {re.sub(f"_{service.upper()}(?=_|$)", "_<SERVICE>", variable, count=1) for service in services}
    return any(pattern != variable and pattern in docs for pattern in patterns)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--resolved", required=True, help="`docker-compose config` output")
    parser.add_argument("--env", required=True, help="the .env compose/setup made")
    parser.add_argument("--services", required=True, help="the services, space separated")
    args = parser.parse_args()

    problems = []
    resolved = yaml.safe_load(pathlib.Path(args.resolved).read_text())
    source = (ROOT / "compose/compose.yaml").read_text()
    example = (ROOT / "compose/.env.example").read_text()
    # The settings are documented across the README and docs/ (operations, api, deploy).
    readme = "\n".join(p.read_text() for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])
    dockerfile = (ROOT / "compose/Dockerfile").read_text()
    swift = "\n".join(p.read_text() for d in ("Sources", "Services") for p in (ROOT / d).rglob("*.swift"))
    read_by_code = set(re.findall(r'"(STITCH_[A-Z0-9_]+)"', swift))

    services = resolved.get("services", {})
    wanted = args.services.split()
    if not wanted:
        problems.append("scripts/lib/services lists no service (Package.swift's service(\"…\") lines)")
    if not re.search(r"for service in \$\(scripts/lib/services\); do", dockerfile):
        problems.append("compose/Dockerfile does not copy the executables of scripts/lib/services into the image")
    for name in wanted:
        executable = f"stitch-{name}"
        running = [s for s, spec in services.items() if spec.get("command") == [executable]]
        if not running:
            problems.append(f"compose.yaml runs no container with command [{executable}]")
    variables = 0
    for name, spec in services.items():
        command = spec.get("command") or []
        if not (command and str(command[0]).startswith("stitch-")):
            continue
        if command[0][len("stitch-"):] not in wanted:
            problems.append(f"service {name} runs {command[0]}, which is not a Stitch service")
        if "healthcheck" not in spec:
            problems.append(f"service {name} has no health check")
        if "replicas" not in (spec.get("deploy") or {}):
            problems.append(f"service {name} has no deploy.replicas")
        for variable in (spec.get("environment") or {}):
            if not variable.startswith("STITCH_"):
                continue
            variables += 1
            if variable not in read_by_code:
                problems.append(f"service {name} is given {variable}, which no Swift code reads")
            if variable not in readme:
                problems.append(f"{variable} (given to {name}) is not in the README or docs/")

    interpolated = set(re.findall(r"\$\{([A-Z0-9_]+)", source))
    in_example = set(re.findall(r"^([A-Z0-9_]+)=", example, re.M))
    for variable in sorted(interpolated - in_example):
        problems.append(f"compose.yaml uses ${{{variable}}}, which .env.example does not set")
    setup = (ROOT / "compose/setup").read_text()
    for variable in sorted(in_example - interpolated):
        if variable not in setup:
            problems.append(f".env.example sets {variable}, which neither compose.yaml nor compose/setup uses")
    for variable in sorted(interpolated):
        if not documented(variable, readme, wanted):
            problems.append(f"{variable} (compose.yaml) is not in the README or docs/")
    left = [line.split("=")[0] for line in pathlib.Path(args.env).read_text().splitlines() if line.endswith("=change-me")]
    if left:
        problems.append(f"compose/setup left change-me in {', '.join(left)}")

    for problem in problems:
        print(f"compose: {problem}")
    print(f"compose: {len(services)} containers, {len(wanted)} Stitch services, {variables} service variables and "
          f"{len(interpolated)} settings checked; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
