#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The local LAVA run's file server, on the loopback interface only.

  artifacts.py serve --port P --root DIR
      GET /<path>            a file under DIR/www (kernel, rootfs, igt tarball)
      PUT /uploads/<path>    stores the body under DIR/uploads/<path> (shard results)
  artifacts.py relay --port P
      copies stdin to 127.0.0.1:P and the answer to stdout: QEMU runs it for each
      connection a guest opens to its guestfwd address (-net user,restrict=on,
      guestfwd=...-cmd:...), so a guest reaches this server and nothing else.
"""

import argparse
import http.server
import os
import select
import socket
import sys

MAX_UPLOAD = 512 << 20


class Handler(http.server.SimpleHTTPRequestHandler):
    root = None

    def __init__(self, *a, **kw):
        super().__init__(*a, directory=os.path.join(self.root, "www"), **kw)

    def do_PUT(self):
        rel = os.path.normpath(self.path.split("?", 1)[0]).lstrip("/")
        if not rel.startswith("uploads/") or ".." in rel.split("/"):
            self.send_error(403, "uploads go under /uploads/")
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self.send_error(411, "Content-Length required")
            return
        if length < 0 or length > MAX_UPLOAD:
            self.send_error(413, "upload larger than %d bytes" % MAX_UPLOAD)
            return
        dest = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        tmp = dest + ".part"
        left = length
        with open(tmp, "wb") as f:
            while left:
                chunk = self.rfile.read(min(left, 1 << 20))
                if not chunk:
                    break
                f.write(chunk)
                left -= len(chunk)
        if left:
            os.unlink(tmp)
            self.send_error(400, "body shorter than Content-Length")
            return
        os.replace(tmp, dest)
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()
        self.log_message("stored %s (%d bytes)", rel, length)


def serve(args):
    Handler.root = os.path.abspath(args.root)
    os.makedirs(os.path.join(Handler.root, "www"), exist_ok=True)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print("serving %s on 127.0.0.1:%d" % (Handler.root, args.port), flush=True)
    httpd.serve_forever()


def relay(args):
    s = socket.create_connection(("127.0.0.1", args.port), timeout=30)
    s.settimeout(None)
    inp, out = sys.stdin.buffer.raw, sys.stdout.buffer.raw
    open_in = True
    # every wait is bounded: a silent connection for 300 s is dropped
    while True:
        rl = [s] + ([inp] if open_in else [])
        ready, _, _ = select.select(rl, [], [], 300)
        if not ready:
            break
        if inp in ready:
            data = os.read(inp.fileno(), 65536)
            if data:
                s.sendall(data)
            else:
                open_in = False
                s.shutdown(socket.SHUT_WR)
        if s in ready:
            data = s.recv(65536)
            if not data:
                break
            while data:
                data = data[os.write(out.fileno(), data):]
    s.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("serve")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--root", required=True)
    p = sub.add_parser("relay")
    p.add_argument("--port", type=int, required=True)
    args = ap.parse_args()
    (serve if args.cmd == "serve" else relay)(args)


if __name__ == "__main__":
    main()
