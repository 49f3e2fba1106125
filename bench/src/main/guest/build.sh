#!/usr/bin/env bash
# Builds the benchmark guest programs: each NAME.S becomes NAME.bin, a flat binary linked
# at the address given by its "# org: 0x..." line (default 0x10000). The benchmarks load
# them from the classpath (guest/NAME.bin) into physical memory at that address.
# Tools: gcc (preprocessor only), GNU as (--32) and ld (-m elf_i386), as on any Debian.
set -euo pipefail
src="$1"
out="$2"
mkdir -p "$out"
shopt -s nullglob
for s in "$src"/*.S; do
  name=$(basename "$s" .S)
  org=$(sed -n 's/^# *org: *\(0x[0-9a-fA-F]*\).*/\1/p' "$s" | head -n 1)
  org=${org:-0x10000}
  if [ "$out/$name.bin" -nt "$s" ]; then
    continue
  fi
  gcc -m32 -E -P -x assembler-with-cpp "$s" -o "$out/$name.s"
  as --32 -o "$out/$name.o" "$out/$name.s"
  ld -m elf_i386 -Ttext "$org" --oformat binary -e 0 -o "$out/$name.bin" "$out/$name.o"
  rm -f "$out/$name.o" "$out/$name.s"
done
