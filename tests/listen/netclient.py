#!/usr/bin/env python3
"""One client for the stream-parse --listen tests; the payload is stdin.

tls HOST PORT CA [CERT KEY]: sends stdin over TLS (checking the server's
  certificate against CA; CERT and KEY: a client certificate), then closes.
  Prints `sent`, or `refused: REASON` when the handshake or the session
  failed (with TLS 1.3 a refused client certificate is only seen on a read).
plain HOST PORT: sends stdin over TCP; prints `sent` or `refused: REASON`.
hold HOST PORT: connects and sends nothing until stdin ends.
udp HOST PORT N LINES: N datagrams of LINES lines `d,l` each (datagram,
  line; the last line of every other datagram without its newline), after a
  line `d,l` of header in a datagram of its own; prints `sent N`.
"""
import socket
import ssl
import sys


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def connect(host, port):
    return socket.create_connection((host, port), timeout=20)


def tls(host, port, ca, cert=None, key=None):
    ctx = ssl.create_default_context(cafile=ca)
    ctx.check_hostname = False
    if cert:
        ctx.load_cert_chain(cert, key)
    data = sys.stdin.buffer.read()
    try:
        s = ctx.wrap_socket(connect(host, port), server_hostname=host)
        s.sendall(data)
        # A refused client certificate (TLS 1.3) shows up here, as an alert.
        s.settimeout(2)
        try:
            got = s.recv(1)
        except socket.timeout:
            got = None
        s.close()
        print("sent")
    except (ssl.SSLError, OSError) as e:
        print("refused: %s" % e)


def plain(host, port):
    data = sys.stdin.buffer.read()
    try:
        s = connect(host, port)
        s.sendall(data)
        s.settimeout(5)
        got = s.recv(100)  # a refused client is closed: b"" or a reset
        s.close()
        print("refused: closed" if got == b"" else "sent")
    except socket.timeout:
        print("sent")
    except OSError as e:
        print("refused: %s" % e)


def hold(host, port):
    s = connect(host, port)
    print("connected")
    sys.stdout.flush()
    sys.stdin.read()
    s.close()


def udp(host, port, n, lines):
    s = socket.socket(family(host), socket.SOCK_DGRAM)
    s.sendto(b"d,l\n", (host, port))
    for d in range(n):
        body = b"".join(b"%d,%d\n" % (d, l) for l in range(lines))
        if d % 2:
            body = body[:-1]  # a datagram ends its last line
        s.sendto(body, (host, port))
    print("sent %d" % n)


if __name__ == "__main__":
    mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if mode == "tls":
        tls(host, port, *sys.argv[4:7])
    elif mode == "plain":
        plain(host, port)
    elif mode == "hold":
        hold(host, port)
    elif mode == "udp":
        udp(host, port, int(sys.argv[4]), int(sys.argv[5]))
