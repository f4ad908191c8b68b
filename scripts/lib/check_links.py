#!/usr/bin/env python3
"""Every relative link of README.md and docs/*.md resolves in a fresh clone (./scripts/test runs this).

A link's file or folder must exist, and its `#anchor` must be a heading of the target Markdown file
(GitHub's slugs) or an explicit `<a id=…>`. Links to the web (http, https, mailto) are not followed.
Prints each broken link as file:line and exits 1 if there is any. Standard library only.
"""
import functools
import pathlib
import re
import sys
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^()\s>]*(?:\([^()\s]*\)[^()\s>]*)*)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
EXPLICIT_ANCHOR = re.compile(r"<a\s[^>]*\b(?:id|name)=\"([^\"]+)\"", re.I)


def documents():
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def prose_lines(path):
    """(line number, text) outside fenced code blocks, with code spans blanked out."""
    fenced = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def slug(heading):
    """GitHub's anchor of a heading: its rendered text, lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)   # a link shows its text
    text = re.sub(r"`+([^`]*)`+", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


@functools.cache
def anchors(path):
    """The anchors of a Markdown file: its headings' slugs (a repeated one gets -1, -2, …) and explicit ids."""
    found, seen, fenced = set(), {}, False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        found.update(EXPLICIT_ANCHOR.findall(line))
        heading = HEADING.match(line)
        if heading:
            base = slug(heading.group(2))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
    return found


def problem(source, target):
    """Why `target`, linked from `source`, does not resolve; None when it does."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):   # http:, https:, mailto:
        return None
    address, _, fragment = target.partition("#")
    address, fragment = urllib.parse.unquote(address), urllib.parse.unquote(fragment)
    if address.startswith("/"):
        return "absolute path: link relative to the file instead"
    resolved = (source.parent / address).resolve() if address else source
    if not resolved.exists():
        return "no such file or folder"
    try:
        resolved.relative_to(ROOT)
    except ValueError:
        return "leaves the repository"
    if fragment and resolved.suffix == ".md" and fragment not in anchors(resolved):
        return f"no heading #{fragment} in {resolved.relative_to(ROOT)}"
    return None


def main():
    broken = checked = 0
    for path in documents():
        for number, line in prose_lines(path):
            targets = INLINE_LINK.findall(line)
            reference = REFERENCE.match(line)
            if reference:
                targets.append(reference.group(1))
            for target in targets:
                checked += 1
                why = problem(path, target)
                if why:
                    broken += 1
                    print(f"{path.relative_to(ROOT)}:{number}: {target}: {why}")
    print(f"links: {checked} checked in {len(documents())} files, {broken} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
