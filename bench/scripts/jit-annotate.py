#!/usr/bin/env python3
"""Instruction-level profile of C2-compiled code without hsdis or hardware counters.

Where perf has no PMU (cpu-clock sampling still works) and HotSpot's disassembler plugin is
missing, -XX:+PrintAssembly still prints every compiled method's code as hex. This script
rebuilds each C2 method's bytes from that log, disassembles them with objdump, and charges
perf's samples of one thread to the instructions (docs/performance.md, section 5):

    perf record -e cpu-clock -F 10000 -o /tmp/k.perf -- java -XX:+UnlockDiagnosticVMOptions \
        -XX:CompileCommand=quiet '-XX:CompileCommand=print,org.erosim.*::*' \
        -XX:+LogVMOutput -XX:LogFile=/tmp/k.log -XX:-DisplayVMOutput ... ProfileLoop kernel 1 5 2
    bench/scripts/jit-annotate.py /tmp/k.log /tmp/k.perf [OUT_DIR]

It prints each compiled method's share of the busiest thread's samples and how many of its
instructions took at least MIN samples (those the loop executes), and writes one annotated
listing per method (sample percentage per instruction) into OUT_DIR (default /tmp/jit-annotate).
Exit status 2 for bad arguments or unreadable input.
"""
import collections
import html
import os
import re
import subprocess
import sys

MIN = 15  # samples: an instruction with fewer is treated as off the loop's path


def fail(message):
    print("jit-annotate: " + message, file=sys.stderr)
    sys.exit(2)


def compiled_methods(log):
    """C2 methods in the PrintAssembly log: name, [start, end) of the main code, bytes by address."""
    methods, cur = [], None
    header = re.compile(r"Compiled method \((c[12])\)\s+\d+\s+(\d+)\s+\S*\s*(\d)\s+(\S+)")
    main = re.compile(r"\s*main code\s+\[0x([0-9a-f]+),0x([0-9a-f]+)\]")
    code = re.compile(r"\s*0x([0-9a-f]+): ((?:[0-9a-f]{2,4}\s*\|?\s*)+)$")
    with open(log, errors="replace") as f:
        for raw in f:
            line = html.unescape(raw.rstrip("\n"))
            m = header.match(line)
            if m:
                cur = None
                if m.group(3) == "4":
                    cur = {"name": "%s (compile %s)" % (m.group(4), m.group(2)), "bytes": {}, "start": None}
                    methods.append(cur)
                continue
            if cur is None:
                continue
            m = main.match(line)
            if m:
                cur["start"], cur["end"] = int(m.group(1), 16), int(m.group(2), 16)
                continue
            m = code.match(line)
            if m:
                data = bytes.fromhex("".join(m.group(2).replace("|", " ").split()))
                at = int(m.group(1), 16)
                for i, b in enumerate(data):
                    cur["bytes"][at + i] = b
    return [m for m in methods if m["start"] is not None]


def samples(perf_data):
    """Instruction pointers of the thread with the most samples, counted."""
    out = subprocess.run(["perf", "script", "-i", perf_data, "-F", "tid,ip"], capture_output=True, text=True)
    if out.returncode != 0:
        fail("perf script failed: " + out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "perf script failed")
    by_thread = collections.defaultdict(collections.Counter)
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) == 2:
            by_thread[parts[0]][int(parts[1], 16)] += 1
    if not by_thread:
        fail(perf_data + ": no samples")
    return max(by_thread.values(), key=lambda c: sum(c.values()))


def main():
    if len(sys.argv) not in (3, 4):
        fail("usage: jit-annotate.py PRINT_ASSEMBLY_LOG PERF_DATA [OUT_DIR]")
    log, perf_data = sys.argv[1], sys.argv[2]
    out_dir = sys.argv[3] if len(sys.argv) == 4 else "/tmp/jit-annotate"
    for path in (log, perf_data):
        if not os.path.isfile(path):
            fail(path + ": no such file")
    methods = compiled_methods(log)
    ips = samples(perf_data)
    total = sum(ips.values())
    # A method recompiled later may reuse an address range: the last compilation wins.
    hits = collections.defaultdict(collections.Counter)
    outside = 0
    for ip, n in ips.items():
        owner = None
        for m in methods:
            if m["start"] <= ip < m["end"]:
                owner = m
        if owner is None:
            outside += n
        else:
            hits[owner["name"]][ip] += n
    os.makedirs(out_dir, exist_ok=True)
    print("%d samples of the busiest thread; %.1f%% outside the printed C2 methods" % (total, 100.0 * outside / total))
    print("  share  on-path  method")
    on_path_total = 0
    for m in sorted(methods, key=lambda m: -sum(hits[m["name"]].values())):
        share = sum(hits[m["name"]].values())
        if share * 1000 < total:
            continue
        code = bytes(m["bytes"].get(a, 0x90) for a in range(m["start"], m["end"]))
        blob = os.path.join(out_dir, "code.bin")
        with open(blob, "wb") as f:
            f.write(code)
        dis = subprocess.run(["objdump", "-D", "-b", "binary", "-m", "i386:x86-64",
                              "--adjust-vma=%#x" % m["start"], blob], capture_output=True, text=True).stdout
        on_path = 0
        listing = os.path.join(out_dir, re.sub(r"[^A-Za-z0-9_.]+", "_", m["name"]) + ".txt")
        with open(listing, "w") as f:
            for line in dis.splitlines():
                at = re.match(r"\s+([0-9a-f]+):", line)
                if not at:
                    continue
                n = hits[m["name"]].get(int(at.group(1), 16), 0)
                on_path += n >= MIN
                f.write(("%6.2f%% " % (100.0 * n / total) if n else "        ") + line + "\n")
        os.remove(blob)
        on_path_total += on_path
        print("%6.2f%%  %7d  %s -> %s" % (100.0 * share / total, on_path, m["name"], listing))
    print("instructions with >= %d samples: %d" % (MIN, on_path_total))


if __name__ == "__main__":
    main()
