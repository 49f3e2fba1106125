#!/usr/bin/env bash
# Builds the guest test programs for the CPU unit tests: each NAME.S becomes NAME.bin,
# a flat binary linked at the address given by its "# org: 0x..." line (default 0x10000),
# and NAME.sym, its symbol table ("hexaddress name" per line, from nm) so that tests can
# find guest variables. Files may #include the shared *.inc files of this directory; a
# change to any of them rebuilds every program.
# Tools: cpp (gcc -E), GNU as (--32), ld (-m elf_i386), objcopy and nm, as found on any
# Debian with gcc and binutils.
set -euo pipefail
src="$1"
out="$2"
mkdir -p "$out"
shopt -s nullglob
# binutils >= 2.39 warns about the (intended) writable code segment; older ld lacks the switch
ldflags=()
if ld --help 2>/dev/null | grep -- --no-warn-rwx-segments >/dev/null; then
  ldflags+=(--no-warn-rwx-segments)
fi
newest_inc=""
for inc in "$src"/*.inc; do
  if [ -z "$newest_inc" ] || [ "$inc" -nt "$newest_inc" ]; then
    newest_inc="$inc"
  fi
done
for s in "$src"/*.S; do
  name=$(basename "$s" .S)
  org=$(sed -n 's/^# *org: *\(0x[0-9a-fA-F]*\).*/\1/p' "$s" | head -n 1)
  org=${org:-0x10000}
  if [ "$out/$name.bin" -nt "$s" ] && [ "$out/$name.sym" -nt "$s" ] \
    && { [ -z "$newest_inc" ] || [ "$out/$name.bin" -nt "$newest_inc" ]; }; then
    continue
  fi
  gcc -m32 -E -P -x assembler-with-cpp -I "$src" "$s" -o "$out/$name.s"
  as --32 -o "$out/$name.o" "$out/$name.s"
  ld -m elf_i386 -Ttext "$org" -e 0 -z noexecstack ${ldflags[@]+"${ldflags[@]}"} \
    --defsym __org="$org" -o "$out/$name.elf" "$out/$name.o"
  objcopy -O binary "$out/$name.elf" "$out/$name.bin"
  nm "$out/$name.elf" | awk '{ print $1, $3 }' > "$out/$name.sym"
  rm -f "$out/$name.o" "$out/$name.s" "$out/$name.elf"
done
