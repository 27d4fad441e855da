#!/usr/bin/python3
"""A scriptable SMTP server for tests (Debian's python3-aiosmtpd).

    /usr/bin/python3 tests/support/smtp_sink.py --port 0 --maildir DIR [--control DIR] [--auth USER:PASSWORD]
        [--tls-cert PEM --tls-key PEM [--require-starttls]]

Prints "listening on PORT" on stdout once it accepts connections, and
nothing else on stdout afterwards (so nobody has to keep reading it).

Every accepted message is stored once per recipient, as two files in the
--maildir directory, written before the 250 reply to DATA:
    NNNNNN.eml   the message exactly as received (dot-stuffing undone)
    NNNNNN.json  {"mail_from", "rcpt", "connection", "size", "tls", "auth_login"};
                 "connection" is the 1-based number of the SMTP connection
                 that carried it, so tests can count connections; "tls" is
                 the TLS version after STARTTLS ("TLSv1.3") or null;
                 "auth_login" the user that AUTH accepted, or null.
Write order is .eml then .json: a .json means its .eml is complete.

Behaviour by recipient local part:
    tempfail...        451 4.3.0 to RCPT, every time
    tempfailK-...      451 4.3.0 to the first K RCPTs of that address, then accepted
    permfail...        550 5.1.1 <address>: Recipient address rejected
With --auth, AUTH (PLAIN/LOGIN) is required before MAIL: wrong credentials
get 535 5.7.8, MAIL without AUTH 530 5.7.0. Without TLS, AUTH is allowed in
plain text; with --tls-cert/--tls-key the sink offers STARTTLS and AUTH only
after it (538 5.7.11 before). --require-starttls refuses every command but
EHLO/HELO/NOOP/QUIT/STARTTLS before STARTTLS (530).
Behaviour by the control file CONTROL/control.json, re-read at every MAIL:
    {"reject_all": "451 4.3.2 try later" | null,  reply to every MAIL FROM
     "reject_data": "554 5.7.1 spam" | null,      reply after DATA instead of 250
     "delay_ms": N}                                wait before the reply to DATA
"""
import argparse
import asyncio
import itertools
import json
import logging
import os
import re
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult

TEMPFAIL = re.compile(r"^tempfail(\d*)", re.IGNORECASE)


class Sink:
    def __init__(self, maildir, control_dir):
        self.maildir = maildir
        self.control_path = os.path.join(control_dir, "control.json") if control_dir else None
        # Continue after messages a previous run left (a restarted sink).
        stored = [int(name[:6]) for name in os.listdir(maildir) if re.fullmatch(r"\d{6}\.json", name)]
        self.message_numbers = itertools.count(max(stored, default=0) + 1)
        self.connection_numbers = itertools.count(1)
        self.rcpt_attempts = {}
        self.control = {}

    def read_control(self):
        self.control = {}
        if self.control_path and os.path.exists(self.control_path):
            with open(self.control_path, encoding="utf-8") as file:
                self.control = json.load(file) or {}

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        login, password = self.credentials
        ok = auth_data.login == login.encode() and auth_data.password == password.encode()
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.read_control()
        if self.control.get("reject_all"):
            return self.control["reject_all"]
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0]
        attempts = self.rcpt_attempts[address] = self.rcpt_attempts.get(address, 0) + 1
        tempfail = TEMPFAIL.match(local)
        if tempfail and (not tempfail.group(1) or attempts <= int(tempfail.group(1))):
            return "451 4.3.0 <%s>: Temporary failure, try again later" % address
        if local.lower().startswith("permfail"):
            return "550 5.1.1 <%s>: Recipient address rejected" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        delay_ms = self.control.get("delay_ms") or 0
        if delay_ms:
            await asyncio.sleep(delay_ms / 1000)
        if self.control.get("reject_data"):
            return self.control["reject_data"]
        content = envelope.original_content
        for rcpt in envelope.rcpt_tos:
            base = os.path.join(self.maildir, "%06d" % next(self.message_numbers))
            with open(base + ".eml", "wb") as file:
                file.write(content)
            envelope_data = {"mail_from": envelope.mail_from, "rcpt": rcpt,
                             "connection": server.connection_number, "size": len(content),
                             "tls": tls_version(session), "auth_login": auth_login(session)}
            with open(base + ".json.tmp", "w", encoding="utf-8") as file:
                json.dump(envelope_data, file)
            os.rename(base + ".json.tmp", base + ".json")
        return "250 2.0.0 Ok: queued"


def tls_version(session):
    # aiosmtpd sets session.ssl (the TLS transport's extra info) after STARTTLS.
    return session.ssl["ssl_object"].version() if session.ssl else None


def auth_login(session):
    return session.login_data.decode() if session.authenticated and session.login_data else None


class CountingSMTP(SMTP):
    """Numbers each connection, so stored messages say which one carried them.

    One protocol object per connection; the number lives on it rather than on
    the session, which aiosmtpd replaces after STARTTLS."""

    def __init__(self, sink, **kwargs):
        super().__init__(sink, **kwargs)
        self.connection_number = next(sink.connection_numbers)


async def serve(arguments):
    os.makedirs(arguments.maildir, exist_ok=True)
    sink = Sink(arguments.maildir, arguments.control)
    options = {"hostname": "sink.test"}
    if arguments.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(arguments.tls_cert, arguments.tls_key)
        options.update(tls_context=context, require_starttls=arguments.require_starttls)
    if arguments.auth:
        sink.credentials = arguments.auth.split(":", 1)
        options.update(auth_required=True, auth_require_tls=bool(arguments.tls_cert),
                       authenticator=sink.authenticate)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: CountingSMTP(sink, loop=loop, **options), host=arguments.host, port=arguments.port)
    port = server.sockets[0].getsockname()[1]
    print("listening on %d" % port, flush=True)
    async with server:
        await server.serve_forever()


def main():
    # AUTH without TLS is deliberate when no certificate is given: keep aiosmtpd's warnings about it quiet.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 = any free port")
    parser.add_argument("--maildir", required=True, help="where accepted messages are stored")
    parser.add_argument("--control", help="directory of control.json")
    parser.add_argument("--auth", help="USER:PASSWORD that AUTH must present")
    parser.add_argument("--tls-cert", help="PEM certificate (chain): offer STARTTLS")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")
    parser.add_argument("--require-starttls", action="store_true",
                        help="refuse mail commands before STARTTLS")
    arguments = parser.parse_args()
    if bool(arguments.tls_cert) != bool(arguments.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    if arguments.require_starttls and not arguments.tls_cert:
        parser.error("--require-starttls needs --tls-cert and --tls-key")
    try:
        asyncio.run(serve(arguments))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
