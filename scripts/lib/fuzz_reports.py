"""What the fuzz scripts share: the events of schemathesis's ndjson reports, one JSON object a line."""
import json


def events(paths):
    """Every event of every report that exists (a role that never ran has no report)."""
    for path in paths:
        try:
            stream = open(path)
        except FileNotFoundError:
            continue
        with stream:
            for line in stream:
                yield json.loads(line)
