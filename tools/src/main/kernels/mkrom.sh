#!/usr/bin/env bash
# Wraps a Multiboot v1 ELF kernel in a BIOS-replacement ROM (rom/rom.S): a loader at the
# reset vector that enters protected mode, loads the kernel's PT_LOAD segments at their
# physical addresses, zeroes the BSS, builds the Multiboot information (memory sizes from
# the CMOS, the command line if one is given) and jumps to the entry point with
# EAX = 0x2BADB002. The ROM is a multiple of 64 KiB and ends at 4 GiB, so it boots with
# `erosim boot --bios OUT.rom`, `qemu-system-i386 -bios OUT.rom` and Bochs's
# `romimage: file=OUT.rom`.
# Tools: as --32, ld -m elf_i386 and objcopy from binutils.
# Usage: mkrom.sh KERNEL.elf OUT.rom [COMMAND LINE]
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: mkrom.sh KERNEL.elf OUT.rom [COMMAND LINE]" >&2
  exit 2
fi
kernel="$1"
out="$2"
cmdline="${3:-}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The kernel without symbols; rom.S includes it and the command line from $tmp.
objcopy --strip-all "$kernel" "$tmp/kernel.elf"
printf '%s' "$cmdline" > "$tmp/cmdline"
if [ "$(wc -c < "$tmp/cmdline")" -gt 3000 ]; then
  echo "mkrom.sh: the command line is longer than 3000 bytes" >&2
  exit 2
fi

# Smallest multiple of 64 KiB holding the kernel plus the loader's last 4 KiB.
ksize=$(wc -c < "$tmp/kernel.elf")
romsize=$(( (ksize + 4096 + 0xFFFF) / 0x10000 * 0x10000 ))
if [ "$romsize" -gt $((16 << 20)) ]; then
  echo "mkrom.sh: $kernel needs a ROM larger than 16 MiB" >&2
  exit 2
fi

gcc -m32 -E -P -x assembler-with-cpp "$here/rom/rom.S" -o "$tmp/rom.s"
as --32 --noexecstack -I "$tmp" -o "$tmp/rom.o" "$tmp/rom.s"
ld -m elf_i386 -T "$here/rom/rom.ld" --defsym ROM_BASE=$(( 0x100000000 - romsize )) \
   -o "$tmp/rom.elf" "$tmp/rom.o"
objcopy -O binary "$tmp/rom.elf" "$tmp/rom.bin"
if [ "$(wc -c < "$tmp/rom.bin")" -ne "$romsize" ]; then
  echo "mkrom.sh: the image is $(wc -c < "$tmp/rom.bin") bytes, expected $romsize" >&2
  exit 1
fi
chmod 644 "$tmp/rom.bin"
mv "$tmp/rom.bin" "$out"
