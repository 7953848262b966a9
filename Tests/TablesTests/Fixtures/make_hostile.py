#!/usr/bin/env python3
"""Writes hostile (and one honest) archives for SafeExtractor's tests.

usage: make_hostile.py OUTDIR TOKEN
TOKEN names the files a successful escape would create (in /tmp and next to OUTDIR), so the
tests can check that the host is unchanged.
"""
import io
import os
import struct
import sys
import tarfile
import zipfile

out, token = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)


def tar(name, members, mode="w"):
    with tarfile.open(os.path.join(out, name), mode, format=tarfile.PAX_FORMAT, encoding="utf-8",
                      errors="surrogateescape") as t:
        for info, data in members:
            t.addfile(info, io.BytesIO(data) if data is not None else None)


def file(name, data=b"x", mode=0o644):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = mode
    return info, data


def special(name, kind, target=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    if kind in (tarfile.CHRTYPE, tarfile.BLKTYPE):
        info.devmajor, info.devminor = 1, 3
    return info, None


def directory(name):
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    info.mode = 0o755
    return info, None


tar("honest.tar.gz", [directory("./"), file("./bundle.yaml", b"run: python3 predict.py\n"),
                      file("./predict.py", b"print('hi')\n", 0o755), directory("./model"),
                      file("./model/weights.bin", bytes(range(256)) * 10)], "w:gz")
tar("traversal.tar", [file(f"../escape-{token}.txt")])
tar("traversal-nested.tar", [file(f"a/../../escape-{token}.txt")])
tar("absolute.tar", [file(f"/tmp/escape-{token}.txt")])
tar("symlink.tar", [special("evil", tarfile.SYMTYPE, "/tmp"), file(f"evil/escape-{token}.txt")])
tar("symlink-chain.tar", [special("one", tarfile.SYMTYPE, "two"), special("two", tarfile.SYMTYPE, "/tmp"),
                          file(f"one/escape-{token}.txt")])
tar("hardlink.tar", [file("data.txt"), special("link.txt", tarfile.LNKTYPE, "/etc/passwd")])
tar("device.tar", [special("null", tarfile.CHRTYPE)])
tar("fifo.tar", [special("pipe", tarfile.FIFOTYPE)])
tar("setuid.tar", [file("tool", b"#!/bin/sh\n", 0o6755)])
tar("duplicate.tar", [file("same.txt", b"first"), file("same.txt", b"second")])
tar("control.tar", [file("bad\x01name.txt")])
tar("bad-utf8.tar", [file(b"bad\xff\xfename.txt".decode("utf-8", "surrogateescape"))])
tar("deep.tar", [file("/".join(["d"] * 10000) + "/x.txt")])
with tarfile.open(os.path.join(out, "many.tar.gz"), "w:gz") as t:
    empty = tarfile.TarInfo("f")
    for i in range(200000):
        empty.name = f"f{i}"
        t.addfile(empty)
with zipfile.ZipFile(os.path.join(out, "duplicate.zip"), "w") as z:
    z.writestr("same.txt", "first")
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        z.writestr("same.txt", "second")
with zipfile.ZipFile(os.path.join(out, "bomb.zip"), "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
    with z.open("zeros.bin", "w", force_zip64=True) as f:
        block = bytes(1 << 20)
        for _ in range(300):
            f.write(block)

# Overlapping entries: a second central-directory record pointing at the first local header.
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("a.txt", "a" * 100000)
data = buffer.getvalue()
cd = data.index(b"PK\x01\x02")
eocd = data.index(b"PK\x05\x06")
record = data[cd:eocd]
second = record.replace(b"a.txt", b"b.txt")
entries = struct.unpack("<H", data[eocd + 10:eocd + 12])[0]
tail = bytearray(data[eocd:])
struct.pack_into("<HHII", tail, 8, entries + 1, entries + 1, len(record) * 2, cd)
with open(os.path.join(out, "overlap.zip"), "wb") as f:
    f.write(data[:cd] + record + second + bytes(tail))

honest = open(os.path.join(out, "honest.tar.gz"), "rb").read()
with open(os.path.join(out, "truncated.tar.gz"), "wb") as f:
    f.write(honest[: len(honest) // 2])
with open(os.path.join(out, "garbage.tar"), "wb") as f:
    f.write(b"this is not an archive at all" * 100)
