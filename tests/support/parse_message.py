#!/usr/bin/python3
"""Reads a message with Python's email package (an independent MIME parser)
and prints what it understood as one JSON object:

    /usr/bin/python3 tests/support/parse_message.py FILE

{"subject", "from", "to", "from_address", "to_address", "from_name", "to_name",
 "date", "message_id", "mime_version", "content_type", "text", "html",
 "defects": [...every defect the parser found, in any part...],
 "longest_line": N, "bare_lf": bool}
"""
import email
import email.policy
import json
import sys


def main():
    with open(sys.argv[1], "rb") as file:
        raw = file.read()
    message = email.message_from_bytes(raw, policy=email.policy.default)
    defects = [type(d).__name__ for part in message.walk() for d in part.defects]
    for name in ("subject", "from", "to"):
        header = message[name]
        if header is not None:
            defects += [type(d).__name__ for d in header.defects]
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    lines = raw.split(b"\r\n")
    result = {
        "subject": str(message["subject"]),
        "from": str(message["from"]),
        "to": str(message["to"]),
        "from_address": message["from"].addresses[0].addr_spec,
        "from_name": message["from"].addresses[0].display_name,
        "to_address": message["to"].addresses[0].addr_spec,
        "to_name": message["to"].addresses[0].display_name,
        "date": str(message["date"]),
        "message_id": str(message["message-id"]),
        "mime_version": str(message["mime-version"]),
        "content_type": message.get_content_type(),
        # Line ends as "\n", as the bodies were written.
        "text": text.get_content().replace("\r\n", "\n") if text is not None else None,
        "html": html.get_content().replace("\r\n", "\n") if html is not None and html is not text else None,
        "defects": defects,
        "longest_line": max(len(line) for line in lines),
        "bare_lf": any(b"\n" in line for line in lines),
    }
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
