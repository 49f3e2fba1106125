#!/usr/bin/env bash
# Runs the same BIOS-replacement ROM (default: the compute benchmark, compute.rom) on
# erosim, Bochs 2.7 and QEMU TCG one after another, several times each, and prints the
# median wall time per emulator, MIPS and the ratios erosim/Bochs and erosim/QEMU.
#
# All three execute the same instruction stream (the ROM's loader, then the kernel; the
# kernel's output does not depend on timing), so erosim's instruction count from
# `boot --stats` is the common numerator: MIPS = erosim's instructions / median wall time.
# Wall time is the whole process, start-up included (JVM start and JIT warm-up for erosim,
# plugin loading for Bochs, about 0.1-0.5 s each). Besides the medians it prints the best
# (shortest) run, the least disturbed one on a busy machine, and the median CPU time
# (user + sys of all the emulator's threads). Rounds are interleaved (erosim, Bochs,
# QEMU, erosim, ...) so that a change in machine load affects all three alike. Every run's COM1 output must contain
# the expected lines (tools/src/test/resources/kernels/NAME.expected for NAME.rom) and
# end the way the emulator ends it: isa-debug-exit status 33 for erosim and QEMU, the
# shutdown port (0x8900) for Bochs.
#
# Builds nothing: run `mvn -o -q -DskipTests package` first. Needs java 17, bochs 2.7
# and qemu-system-i386. See docs/performance.md ("Side by side with Bochs and QEMU").
#
# Usage: compare-speed.sh [--runs N] [--rom FILE] [--expect FILE] [--only LIST]
#   --runs N       runs per emulator (default 3)
#   --rom FILE     the ROM (default tools/target/kernels/compute.rom)
#   --expect FILE  expected COM1 lines (default: NAME.expected for NAME.rom, if present)
#   --only LIST    comma-separated subset of erosim,bochs,qemu (erosim is always run:
#                  it counts the instructions)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
kernels="$root/tools/target/kernels"
jar="$root/tools/target/erosim.jar"
runs=3
rom="$kernels/compute.rom"
expect=""
only="erosim,bochs,qemu"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --rom) rom="$2"; shift 2 ;;
    --expect) expect="$2"; shift 2 ;;
    --only) only="erosim,$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare-speed.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$runs" in ''|*[!0-9]*|0) echo "compare-speed.sh: --runs needs a positive number" >&2; exit 2 ;; esac
if [ -z "$expect" ]; then
  e="$root/tools/src/test/resources/kernels/$(basename "$rom" .rom).expected"
  [ -e "$e" ] && expect="$e"
fi
for f in "$jar" "$rom" "$kernels/vgastub.rom"; do
  if [ ! -e "$f" ]; then
    echo "compare-speed.sh: $f is missing; build first: mvn -o -q -DskipTests package" >&2
    exit 2
  fi
done
want() { case ",$only," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
for tool in java bochs qemu-system-i386; do
  case "$tool" in bochs) want bochs || continue ;; qemu-system-i386) want qemu || continue ;; esac
  command -v "$tool" > /dev/null || { echo "compare-speed.sh: $tool not found" >&2; exit 2; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
TIMEFORMAT='%R %U %S'

# run_one EMULATOR N: one timed run; COM1 output in $work/EMULATOR-N.com1, the
# emulator's own stdout/stderr in .out/.err, "wall user sys" appended to EMULATOR.times.
run_one() {
  local emu="$1" n="$2" status=0
  local com1="$work/$emu-$n.com1" out="$work/$emu-$n.out" err="$work/$emu-$n.err"
  case "$emu" in
    erosim)
      { time java --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED -jar "$jar" \
          boot --bios "$rom" --stats --serial "$com1" > "$out" 2> "$err" || status=$?; } \
        2>> "$work/$emu.times"
      [ "$status" = 33 ] || fail "$emu" "$n" "exit status $status, expected 33" ;;
    bochs)
      { time env ROM="$rom" VGAROM="$kernels/vgastub.rom" SERIALOUT="$com1" \
          BOCHSLOG="$work/$emu-$n.log" timeout 1800 bochs -q -f "$here/bochsrc.txt" \
          -rc <(printf 'continue\n') < /dev/null > "$out" 2> "$err" || status=$?; } \
        2>> "$work/$emu.times"
      grep -q "Shutdown port: shutdown requested" "$work/$emu-$n.log" ||
        fail "$emu" "$n" "did not end at the shutdown port (exit status $status)" ;;
    qemu)
      { time timeout 1800 qemu-system-i386 -accel tcg -m 64 -bios "$rom" \
          -device isa-debug-exit,iobase=0xf4,iosize=0x04 -display none \
          -serial "file:$com1" -monitor none -no-reboot > "$out" 2> "$err" || status=$?; } \
        2>> "$work/$emu.times"
      [ "$status" = 33 ] || fail "$emu" "$n" "exit status $status, expected 33" ;;
  esac
  if [ -n "$expect" ]; then
    local at=0 line
    # Each expected line must appear in the output, in order.
    while IFS= read -r line; do
      at=$(awk -v want="$line" -v from="$at" 'NR > from && $0 == want { print NR; exit }' "$com1")
      [ -n "$at" ] || fail "$emu" "$n" "COM1 output lacks, in order: '$line'"
    done < "$expect"
  else
    grep -q '^PASS ' "$com1" || fail "$emu" "$n" "no PASS line on COM1"
  fi
}

fail() {
  echo "compare-speed.sh: $1 run $2: $3" >&2
  for f in "$work/$1-$2".com1 "$work/$1-$2".err; do
    [ -s "$f" ] && { echo "--- $(basename "$f")" >&2; tail -20 "$f" >&2; }
  done
  exit 1
}

median() {  # median of column $1 of file $2
  awk -v c="$1" '{ print $c }' "$2" | sort -g |
    awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "ROM:      $rom ($(wc -c < "$rom") bytes)"
echo "expected: ${expect:-any PASS line}"
echo "runs:     $runs per emulator, interleaved"
echo "java:     $(java -version 2>&1 | head -1)"
want bochs && echo "bochs:    $(bochs --help 2>&1 | grep -m1 'Bochs x86 Emulator' | sed 's/^ *//') ($(command -v bochs))"
want qemu && echo "qemu:     $(qemu-system-i386 --version | head -1)"
echo "host:     $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "load:     $(uptime | sed 's/.*load average/load average/') (before)"

emus=(erosim)
want bochs && emus+=(bochs)
want qemu && emus+=(qemu)
for ((n = 1; n <= runs; n++)); do
  for emu in "${emus[@]}"; do
    run_one "$emu" "$n"
    printf '  run %d %-7s %s s wall\n' "$n" "$emu" "$(tail -1 "$work/$emu.times" | cut -d' ' -f1)"
  done
done
echo "load:     $(uptime | sed 's/.*load average/load average/') (after)"

# The instruction count: every erosim run must report the same number.
insns=$(sed -n 's/^instructions: *//p' "$work"/erosim-*.err | tr -d , | sort -u)
if [ "$(echo "$insns" | wc -l)" != 1 ]; then
  echo "compare-speed.sh: erosim's instruction counts differ between runs: $insns" >&2
  exit 1
fi
host_mips=$(sed -n 's/^host time: *\([0-9.]*\) s.*/\1/p' "$work"/erosim-*.err > "$work/erosim.host";
            awk -v i="$insns" '{ print i / $1 / 1e6 }' "$work/erosim.host" | sort -g |
            awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo
printf 'instructions (erosim --stats): %s\n' "$insns"
if want bochs; then
  ticks=$(sed -n 's/^(0)\.\[\([0-9]*\)\].*/\1/p' "$work"/bochs-1.err "$work"/bochs-1.out | head -1)
  [ -n "$ticks" ] && printf "  (Bochs's own count at the shutdown port: %s; it counts each REP iteration)\n" "$ticks"
fi
echo
printf '%-8s %10s %10s %10s %12s %12s\n' emulator "median s" "best s" "CPU s" "MIPS median" "MIPS best"
declare -A mips best
for emu in "${emus[@]}"; do
  awk '{ print $1, $2 + $3 }' "$work/$emu.times" > "$work/$emu.wallcpu"
  wall=$(median 1 "$work/$emu.wallcpu")
  low=$(awk '{ print $1 }' "$work/$emu.wallcpu" | sort -g | head -1)
  cpu=$(median 2 "$work/$emu.wallcpu")
  mips[$emu]=$(awk -v i="$insns" -v w="$wall" 'BEGIN { printf "%.1f", i / w / 1e6 }')
  best[$emu]=$(awk -v i="$insns" -v w="$low" 'BEGIN { printf "%.1f", i / w / 1e6 }')
  printf '%-8s %10.2f %10.2f %10.2f %12s %12s\n' "$emu" "$wall" "$low" "$cpu" "${mips[$emu]}" "${best[$emu]}"
done
echo "(wall times of the whole process; CPU s = median user + sys, all threads;"
printf ' erosim excluding JVM start-up, its own "host time": %.1f MIPS, median)\n' "$host_mips"
echo
ratio() {  # ratio LABEL OTHER DIGITS TARGET
  awk -v a="${mips[erosim]}" -v b="${mips[$2]}" -v ab="${best[erosim]}" -v bb="${best[$2]}" \
      -v l="$1" -v d="$3" -v t="$4" \
    'BEGIN { printf "%s %." d "fx median (%." d "fx best)   %s\n", l, a / b, ab / bb, t }'
}
want bochs && ratio "erosim / Bochs:" bochs 2 "(targets: >= 1.5x for this issue, 3x beyond)"
want qemu && ratio "erosim / QEMU: " qemu 3 "(target beyond this issue: 0.2x)"
awk -v a="${mips[erosim]}" 'BEGIN { printf "erosim:         %.1f MIPS median (target: >= 150)\n", a }'
