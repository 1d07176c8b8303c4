#!/usr/bin/env python3
"""A real RFC 3161 time-stamp authority for the signing tests: an HTTP
server on 127.0.0.1 and a free port (one request at a time: openssl ts
-reply keeps its serial number in a file) whose every POST of a
application/timestamp-query is answered by `openssl ts -reply` with the
authority's key and certificate in DIR (tsa.key, tsa.crt, made by the
test) and DIR/tsa.cnf. Each request is counted in DIR/requests. With a
file DIR/fail present it answers 503 instead (an authority that is down).

The port is written to DIR/port once the server listens; SIGTERM stops it,
and so does the death of the process that started it (the test), however
it died, so no test leaves a server behind."""
import ctypes
import http.server
import os
import signal
import subprocess
import sys
import tempfile
import threading

PR_SET_PDEATHSIG = 1


def handler(store):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *_):
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            query = self.rfile.read(length)
            with open(os.path.join(store, "requests"), "a") as f:
                f.write("%s\n" % self.headers.get("Content-Type"))
            if os.path.exists(os.path.join(store, "fail")):
                self.send_error(503)
                return
            with tempfile.TemporaryDirectory(dir=store) as tmp:
                q, r = os.path.join(tmp, "q.tsq"), os.path.join(tmp, "r.tsr")
                with open(q, "wb") as f:
                    f.write(query)
                done = subprocess.run(["openssl", "ts", "-reply", "-config",
                                       os.path.join(store, "tsa.cnf"), "-queryfile", q,
                                       "-out", r], cwd=store, capture_output=True)
                if done.returncode != 0:
                    sys.stderr.write(done.stderr.decode(errors="replace"))
                    self.send_error(500)
                    return
                with open(r, "rb") as f:
                    reply = f.read()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

    return Handler


def die_with_parent():
    """SIGTERM when the process that started this one dies (even by SIGKILL)."""
    parent = os.getppid()
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        sys.exit("tsa.py: prctl(PR_SET_PDEATHSIG): %s" % os.strerror(ctypes.get_errno()))
    if os.getppid() != parent or parent == 1:  # it died before prctl
        sys.exit(0)


def main():
    store = sys.argv[1]
    die_with_parent()
    server = http.server.HTTPServer(("127.0.0.1", 0), handler(store))
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    with open(os.path.join(store, "port.tmp"), "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(os.path.join(store, "port.tmp"), os.path.join(store, "port"))
    server.serve_forever()


if __name__ == "__main__":
    main()
