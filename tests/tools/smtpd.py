#!/usr/bin/env python3
"""A real SMTP server for the notify tests (Debian's python3-aiosmtpd) on
127.0.0.1 and a free port. Every accepted message is stored as DIR/N.eml
with its envelope recipients in DIR/N.rcpt; each connection's EHLO is
appended to DIR/sessions. Recipients listed in DIR/defer get 450 and those
in DIR/reject 550. With a file DIR/auth holding "user:password", AUTH is
required (PLAIN or LOGIN, without TLS: a test server on 127.0.0.1) and only
that pair is accepted.

Scripted failures, as real servers and their rate limits behave (every
file is read again at each step, so a test can change them while the
server runs):
  DIR/close        "421 STAGE [N]" or "drop STAGE [N]": once N messages
                   (default 0) were accepted on a connection, answer STAGE
                   (greeting, ehlo, mail, rcpt, data: the DATA command,
                   dot: the end of a message's data) with 421 and close
                   the connection, or close it without a word (drop; at
                   dot the message is stored first, so the client cannot
                   know it was accepted), or reset it (reset: a TCP RST,
                   as a server or firewall that accepted the connection
                   and then drops it; at dot the message is stored first)
  DIR/delay-dot    "SECONDS [N]": wait that long before answering the end
                   of data, for the first N messages of each connection
                   (default all); the message is stored first
  DIR/no-greeting  present: take connections and never greet
  DIR/dribble      "STAGE [N]" (greeting, or dot: the end of a message's
                   data, once N messages were accepted on the connection;
                   at dot the message is stored first): never finish the
                   reply, one more continuation line ("220-", "250-") a
                   second, as long as the client stays
  DIR/pipelining   present: offer PIPELINING in the EHLO reply
  DIR/hold-dot     "SECONDS": while the file is there (SECONDS at most),
                   the end of data of each connection's first message
                   waits unanswered (the message is stored first): a test
                   does something meanwhile, then removes the file
  DIR/data-reply   "CODE": answer the DATA command itself with CODE where
                   354 is due (a broken server), taking nothing

The port is written to DIR/port once the server listens; SIGTERM stops it,
and so does the death of the process that started it (the test), however
it died, so no test leaves a server behind."""
import asyncio
import ctypes
import os
import signal
import socket
import struct
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword, syntax

PR_SET_PDEATHSIG = 1
CLOSE_STAGES = ("greeting", "ehlo", "mail", "rcpt", "data", "dot")


def listed(path, address):
    try:
        with open(path, encoding="utf-8") as f:
            return address.lower() in (line.strip().lower() for line in f)
    except FileNotFoundError:
        return False


def words(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().split()
    except FileNotFoundError:
        return None


def reset(transport):
    """Close with a TCP RST (SO_LINGER 0), not a FIN."""
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


class ScriptedSMTP(SMTP):
    """One connection: aiosmtpd's SMTP, failing where DIR/close says."""

    def __init__(self, store, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.store = store
        self.accepted = 0  # messages accepted on this connection

    def closing_at(self, stage):
        """'421' or 'drop' if the script closes the connection here."""
        w = words(os.path.join(self.store, "close"))
        if not w or len(w) < 2 or w[0] not in ("421", "drop", "reset") or w[1] not in CLOSE_STAGES:
            return None
        after = int(w[2]) if len(w) > 2 else 0
        return w[0] if w[1] == stage and self.accepted >= after else None

    def dribbling_at(self, stage):
        """True if the script never finishes its reply at stage."""
        w = words(os.path.join(self.store, "dribble"))
        if not w or w[0] != stage:
            return False
        return self.accepted >= (int(w[1]) if len(w) > 1 else 0)

    async def dribble(self, code):
        """Continuation lines of a reply, one a second, until the client goes
        (aiosmtpd cancels this coroutine at the client's EOF)."""
        n = 0
        while self.transport is not None and not self.transport.is_closing():
            n += 1
            await self.push("%d-still working (%d)" % (code, n))
            await asyncio.sleep(1)

    async def close_with(self, how):
        if how == "421":
            await self.push("421 4.7.0 test server: too many messages, closing the connection")
        if how == "reset":
            reset(self.transport)
            return
        self.transport.close()

    async def _handle_client(self):
        if os.path.exists(os.path.join(self.store, "no-greeting")):
            await asyncio.Event().wait()  # until the client goes (cancelled)
        if self.dribbling_at("greeting"):
            await self.dribble(220)
            return
        how = self.closing_at("greeting")
        if how:
            await self.close_with(how)
            return
        await super()._handle_client()

    def closes_at(stage, command):
        """aiosmtpd's command, preceded by the script's close at stage."""
        async def method(self, arg):
            how = self.closing_at(stage)
            if how:
                return await self.close_with(how)
            w = words(os.path.join(self.store, "data-reply")) if stage == "data" else None
            if w:
                return await self.push("%s test server: DATA answered %s, not 354" % (w[0], w[0]))
            return await command(self, arg)
        # the same HELP text as aiosmtpd's own
        return syntax(command.__smtp_syntax__, command.__smtp_syntax_extended__,
                      command.__smtp_syntax_when__)(method)

    smtp_EHLO = closes_at("ehlo", SMTP.smtp_EHLO)
    smtp_MAIL = closes_at("mail", SMTP.smtp_MAIL)
    smtp_RCPT = closes_at("rcpt", SMTP.smtp_RCPT)
    smtp_DATA = closes_at("data", SMTP.smtp_DATA)
    del closes_at


class Handler:
    def __init__(self, store):
        self.store = store
        self.count = 0
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with open(os.path.join(self.store, "sessions"), "a", encoding="utf-8") as f:
            f.write(hostname + "\n")
        session.host_name = hostname
        if os.path.exists(os.path.join(self.store, "pipelining")):
            responses.insert(1, "250-PIPELINING")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if listed(os.path.join(self.store, "reject"), address):
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        if listed(os.path.join(self.store, "defer"), address):
            return "450 4.2.1 <%s>: mailbox busy, try later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def keep(self, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        base = os.path.join(self.store, "%06d" % n)
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".rcpt", "w", encoding="utf-8") as f:
            f.write("\n".join(envelope.rcpt_tos) + "\n")
        os.rename(base + ".tmp", base + ".eml")
        return n

    async def handle_DATA(self, server, session, envelope):
        how = server.closing_at("dot")
        if how == "421":
            # the reply is written before the connection is closed
            server.loop.call_soon(server.transport.close)
            return "421 4.7.0 test server: closing the connection"
        n = self.keep(envelope)
        if server.dribbling_at("dot"):
            await server.dribble(250)
            return "250 2.0.0 queued as %06d (never seen: the client is gone)" % n
        if how == "reset":
            reset(server.transport)
            return "250 2.0.0 queued as %06d (never seen: the connection is reset)" % n
        if how == "drop":
            server.transport.close()
            return "250 2.0.0 queued as %06d (never seen: the connection is closed)" % n
        hold = os.path.join(self.store, "hold-dot")
        w = words(hold)
        if w and server.accepted == 0:
            end = asyncio.get_running_loop().time() + float(w[0])
            while os.path.exists(hold) and asyncio.get_running_loop().time() < end:
                await asyncio.sleep(0.05)
        delay = words(os.path.join(self.store, "delay-dot"))
        if delay and (len(delay) < 2 or server.accepted < int(delay[1])):
            await asyncio.sleep(float(delay[0]))
        server.accepted += 1
        return "250 2.0.0 queued as %06d" % n


class Authenticator:
    def __init__(self, pair):
        self.user, self.password = pair.split(":", 1)

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login.decode() == self.user
              and auth_data.password.decode() == self.password)
        return AuthResult(success=ok)


class ScriptedController(Controller):
    def __init__(self, store, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.store = store

    def factory(self):
        return ScriptedSMTP(self.store, self.handler, **self.SMTP_kwargs)


def die_with_parent():
    """SIGTERM when the process that started this one dies (even by SIGKILL)."""
    parent = os.getppid()
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        sys.exit("smtpd.py: prctl(PR_SET_PDEATHSIG): %s" % os.strerror(ctypes.get_errno()))
    if os.getppid() != parent or parent == 1:  # it died before prctl
        sys.exit(0)


def main():
    store = sys.argv[1]
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    die_with_parent()
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
    controller = ScriptedController(store, Handler(store), hostname="127.0.0.1", port=port,
                                    decode_data=False, **auth)
    controller.start()
    with open(os.path.join(store, "port.tmp"), "w") as f:
        f.write(str(port))
    os.rename(os.path.join(store, "port.tmp"), os.path.join(store, "port"))
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
