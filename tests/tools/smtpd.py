#!/usr/bin/env python3
"""A real SMTP server for the notify tests (Debian's python3-aiosmtpd) on
127.0.0.1 and a free port. Every accepted message is stored as DIR/N.eml
with its envelope recipients in DIR/N.rcpt; each connection's EHLO is
appended to DIR/sessions. Recipients listed in DIR/defer get 450 and those
in DIR/reject 550 (both files read again for every RCPT, so a test can
change them while the server runs). With a file DIR/auth holding
"user:password", AUTH is required (PLAIN or LOGIN, without TLS: a test
server on 127.0.0.1) and only that pair is accepted. The port is written to
DIR/port once the server listens; SIGTERM stops it."""
import os
import signal
import socket
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def listed(path, address):
    try:
        with open(path, encoding="utf-8") as f:
            return address.lower() in (line.strip().lower() for line in f)
    except FileNotFoundError:
        return False


class Handler:
    def __init__(self, store):
        self.store = store
        self.count = 0
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with open(os.path.join(self.store, "sessions"), "a", encoding="utf-8") as f:
            f.write(hostname + "\n")
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if listed(os.path.join(self.store, "reject"), address):
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        if listed(os.path.join(self.store, "defer"), address):
            return "450 4.2.1 <%s>: mailbox busy, try later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        base = os.path.join(self.store, "%06d" % n)
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".rcpt", "w", encoding="utf-8") as f:
            f.write("\n".join(envelope.rcpt_tos) + "\n")
        os.rename(base + ".tmp", base + ".eml")
        return "250 2.0.0 queued as %06d" % n


class Authenticator:
    def __init__(self, pair):
        self.user, self.password = pair.split(":", 1)

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login.decode() == self.user
              and auth_data.password.decode() == self.password)
        return AuthResult(success=ok)


def main():
    store = sys.argv[1]
    os.makedirs(store, exist_ok=True)
    auth = {}
    try:
        with open(os.path.join(store, "auth"), encoding="utf-8") as f:
            auth = dict(authenticator=Authenticator(f.read().strip()), auth_required=True,
                        auth_require_tls=False)
    except FileNotFoundError:
        pass
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Handler(store), hostname="127.0.0.1", port=port,
                            decode_data=False, **auth)
    controller.start()
    with open(os.path.join(store, "port.tmp"), "w") as f:
        f.write(str(port))
    os.rename(os.path.join(store, "port.tmp"), os.path.join(store, "port"))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
