#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run relocgen on deterministic mutations of an ELF file.

Each mutation overwrites a few bytes, chosen mostly inside the ELF header,
the section header table and section contents (found from the section
headers), so that relocgen's structural checks are what gets exercised.
relocgen must answer every one with exit status 0 or 1 and, when it fails,
an error line; a crash, a sanitizer report or a hang is a failure.

    mutate.py RELOCGEN FILE {table,dump,stats} COUNT SEED WORKDIR
"""
import random
import struct
import subprocess
import sys


def ranges_of(data):
    """(offset, size) of the ELF header, section headers and contents."""
    ranges = [(0, min(64, len(data)))]
    try:
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shnum, = struct.unpack_from("<H", data, 0x3c)
        ranges.append((shoff, 64 * shnum))
        for i in range(shnum):
            _, _, _, _, off, size = struct.unpack_from(
                "<IIQQQQ", data, shoff + 64 * i)
            if size and off + size <= len(data):
                ranges.append((off, size))
    except struct.error:
        pass
    return ranges


def mutate(data, ranges, rng):
    d = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        start, size = rng.choice(ranges)
        offset = start + rng.randrange(max(size, 1))
        for j in range(rng.choice([1, 1, 2, 4, 8])):
            if offset + j < len(d):
                d[offset + j] = rng.choice([0, 0xff, 0x80, 1,
                                            rng.randrange(256)])
    if rng.random() < 0.05:
        d = d[:rng.randrange(len(d))]
    return bytes(d)


def main():
    relocgen, path, mode, count, seed, work = sys.argv[1:7]
    data = open(path, "rb").read()
    ranges = ranges_of(data)
    rng = random.Random(int(seed))
    mutant = work + "/mutant.elf"
    args = {"table": ["--table", work + "/mutant.o", mutant],
            "dump": ["--dump", mutant],
            "stats": ["--stats", mutant]}[mode]
    failures = 0
    for i in range(int(count)):
        with open(mutant, "wb") as f:
            f.write(mutate(data, ranges, rng))
        try:
            p = subprocess.run([relocgen] + args, capture_output=True,
                               timeout=30)
        except subprocess.TimeoutExpired:
            print("mutation %d: relocgen hangs" % i)
            failures += 1
            continue
        err = p.stderr.decode(errors="replace")
        if (p.returncode not in (0, 1) or "Sanitizer" in err or
                "runtime error" in err or (p.returncode == 1 and not err)):
            print("mutation %d: exit %d: %s" % (i, p.returncode, err[-800:]))
            failures += 1
            with open(mutant, "rb") as src, \
                    open("%s/crash-%s-%d.elf" % (work, mode, i), "wb") as f:
                f.write(src.read())
    print("%d mutations, %d failures" % (int(count), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
