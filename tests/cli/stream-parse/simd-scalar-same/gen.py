#!/usr/bin/env python3
"""Writes a deterministic tricky CSV file to stdout: quoted fields with
delimiters, doubled quotes, newlines and CRLF inside, empty fields, numbers,
unicode, long fields crossing 16/32/64-byte boundaries, and a few malformed
rows (stray quotes, ragged rows) that must be rejected the same way."""
import sys

PIECES = ['"', '""', ",", "\n", "\r\n", "a", "bc", " ", "\u00e9", "\U0001F600", "12", "-3.5", "x" * 13]


class Lcg:
    def __init__(self, seed):
        self.x = seed

    def below(self, n):
        self.x = (self.x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return (self.x >> 33) % n


def field(r):
    k = r.below(8)
    if k == 0:
        return ""
    if k == 1:
        return str(r.below(100000))
    if k == 2:
        return "%d.%d" % (r.below(1000), r.below(100))
    n = r.below(6) if r.below(6) else 15 + r.below(120)
    s = "".join(PIECES[r.below(len(PIECES))] for _ in range(n))
    if any(c in s for c in '",\r\n') or r.below(3) == 0:
        return '"' + s.replace('"', '""') + '"'
    return s


def main():
    r = Lcg(7)
    out = ["id,name,value,note,extra\n"]
    for i in range(3000):
        row = [str(i)] + [field(r) for _ in range(4)]
        bad = r.below(40)
        if bad == 0:
            row[2] = 'a""quote'  # balanced, but in an unquoted field
        elif bad == 1:
            row[3] = '"closed"junk'
        elif bad == 2:
            row.pop()
        if i == 2990:
            row[2] = 'stray"quote'  # unbalanced: runs to the end of the file
        out.append(",".join(row) + ("\r\n" if r.below(4) == 0 else "\n"))
    sys.stdout.write("".join(out))


main()
