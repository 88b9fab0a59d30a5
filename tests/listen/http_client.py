#!/usr/bin/env python3
"""Raw HTTP clients for the stream-parse --listen http:// tests (what curl
will not do on purpose), each printing the response: its status line, then
its body.

cut PORT PATH TOKEN: announces a Content-Length larger than what it sends,
then waits (the server's read timeout cuts the body short).
hangup PORT PATH TOKEN: the same, but it ends its side of the connection
(no response can come: cpp-httplib takes a half-closed client for gone).
badchunk PORT PATH TOKEN: a chunked body whose second chunk size is not hex.
flood PORT PATH TOKEN LINES: a chunked body of LINES lines `c,i` (no header:
--no-header); prints how many lines went out before the sends blocked (or
all of them), then waits for a line on stdin, sends the rest and prints the
response.
"""
import socket
import sys
import threading
import time


def connect(port):
    return socket.create_connection(("127.0.0.1", port), timeout=30)


def head(path, token, extra):
    h = "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n%s\r\n" % (path, token, extra)
    return h.encode()


def response(s):
    data = b""
    while True:
        try:
            b = s.recv(65536)
        except socket.timeout:
            break
        if not b:
            break
        data += b
        if b"\r\n\r\n" in data:
            hdr, _, body = data.partition(b"\r\n\r\n")
            for line in hdr.split(b"\r\n"):
                if line.lower().startswith(b"content-length:") and len(body) >= int(line.split(b":")[1]):
                    return data
    return data


def show(data):
    hdr, _, body = data.partition(b"\r\n\r\n")
    print(hdr.split(b"\r\n")[0].decode() if hdr else "(no response)")
    print(body.decode().strip())


def cut(port, path, token, hangup):
    s = connect(port)
    body = b"sensor,temp\ns1,1\ns2,2\ns3,"
    s.sendall(head(path, token, "Content-Length: 1000\r\n") + body)
    if hangup:
        s.shutdown(socket.SHUT_WR)
    show(response(s))


def badchunk(port, path, token):
    s = connect(port)
    s.sendall(head(path, token, "Transfer-Encoding: chunked\r\n"))
    body = b"sensor,temp\ns1,1\ns2,2\ns3,3"
    s.sendall(b"%x\r\n%s\r\nzz\r\nnot a chunk\r\n" % (len(body), body))
    show(response(s))


def flood(port, path, token, lines):
    s = connect(port)
    s.settimeout(None)
    s.sendall(head(path, token, "Transfer-Encoding: chunked\r\n"))
    sent = [0]
    done = threading.Event()

    def send():
        step = 1000
        for i in range(0, lines, step):
            part = "".join("c,%d\n" % k for k in range(i, min(i + step, lines))).encode()
            s.sendall(b"%x\r\n%s\r\n" % (len(part), part))
            sent[0] = min(i + step, lines)
        s.sendall(b"0\r\n\r\n")
        done.set()

    t = threading.Thread(target=send, daemon=True)
    t.start()
    # Until the sends stop moving for 2 s (the server stopped reading), or
    # all went out; at most 60 s.
    last, still = -1, 0
    for _ in range(600):
        if done.is_set():
            break
        time.sleep(0.1)
        still = still + 1 if sent[0] == last else 0
        last = sent[0]
        if still >= 20:
            break
    print(sent[0], flush=True)
    sys.stdin.readline()
    t.join(60)
    s.settimeout(60)
    show(response(s))


def main():
    mode, port, path, token = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    if mode in ("cut", "hangup"):
        cut(port, path, token, mode == "hangup")
    elif mode == "badchunk":
        badchunk(port, path, token)
    elif mode == "flood":
        flood(port, path, token, int(sys.argv[5]))


main()
