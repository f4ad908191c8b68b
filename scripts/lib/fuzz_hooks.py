"""schemathesis hooks for ./scripts/fuzz (SCHEMATHESIS_HOOKS=fuzz_hooks).

A well-formed Idempotency-Key is made fresh for every request, as a client makes one per attempt: the
generator draws the same few keys ("0", "A") for different requests, and the gateway rightly answers a
reused key with 422 IDEMPOTENCY_KEY_REUSED. That rule has its own test (IdempotencyKeyHTTPTests); here it
would only hide what each operation does. A malformed key is left as generated, so its 400 is still fuzzed.
"""
import re
import uuid

import schemathesis

KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    headers = case.headers or {}
    for name in list(headers):
        if name.lower() == "idempotency-key" and isinstance(headers[name], str) and KEY.match(headers[name]):
            headers[name] = f"fuzz-{uuid.uuid4()}"
