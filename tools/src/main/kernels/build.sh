#!/usr/bin/env bash
# Builds the bare-metal test kernels: every NAME.c in the source directory (with NAME.S
# beside it if present) is linked with the runtime in lib/ into OUT_DIR/NAME.elf, a
# Multiboot v1 ELF loaded at 1 MiB, and copied to COPY_DIR (the classpath) if given.
# Then the compute kernel is wrapped (mkrom.sh) in BIOS-replacement ROMs, compute.rom
# (full size) and compute-small.rom (command line size=small), for side-by-side runs
# from the reset vector (erosim boot --bios, qemu -bios, Bochs romimage); they are
# copied to COPY_DIR too, and vgastub.rom, the do-nothing VGA BIOS image Bochs needs to
# start (bochsrc.txt). Outputs newer than all of their inputs are left alone.
# Tools: gcc -m32, as --32 and ld -m elf_i386 from a stock gcc and binutils (no nasm, no
# 32-bit libc or libgcc).
# Usage: build.sh SRC_DIR OUT_DIR [COPY_DIR]
set -euo pipefail
src="$1"
out="$2"
copy="${3:-}"
obj="$out/obj"
mkdir -p "$out" "$obj"

CFLAGS=(-m32 -march=i686 -mgeneral-regs-only -ffreestanding -fno-pic -fno-pie
        -fno-stack-protector -fno-asynchronous-unwind-tables -nostdlib -O2 -std=gnu11
        -Wall -Wextra -Werror -I"$src/lib")

newer_than_all() {   # newer_than_all TARGET INPUT...
  local target="$1"; shift
  [ -e "$target" ] || return 1
  for f in "$@"; do
    [ "$target" -nt "$f" ] || return 1
  done
}

compile() {          # compile SOURCE OBJECT: C with gcc, .S through cpp then as
  case "$1" in
    *.c) gcc "${CFLAGS[@]}" -c "$1" -o "$2" ;;
    *.S) gcc -m32 -E -P -x assembler-with-cpp -I"$src/lib" "$1" -o "$2.s" &&
         as --32 --noexecstack -o "$2" "$2.s" &&
         rm -f "$2.s" ;;
  esac
}

# Objects are rebuilt when their source or any runtime header changed.
build_object() {     # build_object SOURCE OBJECT
  if ! newer_than_all "$2" "$1" "$src"/lib/*.h; then compile "$1" "$2"; fi
}

# The entry code is linked into every kernel; the rest of the runtime is an archive, so
# each kernel carries only the parts it uses.
entry="$obj/lib-entry.o"
build_object "$src/lib/entry.S" "$entry"
lib_objs=()
for s in "$src"/lib/*.c "$src"/lib/trap.S; do
  o="$obj/lib-$(basename "$s").o"
  build_object "$s" "$o"
  lib_objs+=("$o")
done
runtime="$obj/libruntime.a"
if ! newer_than_all "$runtime" "${lib_objs[@]}"; then
  rm -f "$runtime"
  ar rcs "$runtime" "${lib_objs[@]}"
fi

for c in "$src"/*.c; do
  name=$(basename "$c" .c)
  objs=()
  for s in "$c" "$src/$name.S"; do
    [ -e "$s" ] || continue
    o="$obj/$name-$(basename "$s").o"
    build_object "$s" "$o"
    objs+=("$o")
  done
  elf="$out/$name.elf"
  if ! newer_than_all "$elf" "${objs[@]}" "$entry" "$runtime" "$src/lib/kernel.ld"; then
    ld -m elf_i386 -T "$src/lib/kernel.ld" --no-warn-rwx-segments -o "$elf" \
       "$entry" "${objs[@]}" "$runtime"
  fi
  if [ -n "$copy" ] && ! newer_than_all "$copy/$name.elf" "$elf"; then
    mkdir -p "$copy"
    cp "$elf" "$copy/$name.elf"
  fi
done

# ROMs: build_rom NAME KERNEL [COMMAND LINE] makes OUT_DIR/NAME.rom from OUT_DIR/KERNEL.elf.
build_rom() {
  local rom="$out/$1.rom"
  if ! newer_than_all "$rom" "$out/$2.elf" "$src/mkrom.sh" "$src/rom/rom.S" "$src/rom/rom.ld" \
       "${BASH_SOURCE[0]}"; then
    bash "$src/mkrom.sh" "$out/$2.elf" "$rom" "${3:-}"
  fi
  if [ -n "$copy" ] && ! newer_than_all "$copy/$1.rom" "$rom"; then
    cp "$rom" "$copy/$1.rom"
  fi
}
build_rom compute compute
build_rom compute-small compute size=small

vga="$out/vgastub.rom"
if ! newer_than_all "$vga" "$src/rom/vgastub.S"; then
  as --32 --noexecstack -o "$obj/vgastub.o" "$src/rom/vgastub.S"
  objcopy -O binary -j .text "$obj/vgastub.o" "$vga"
fi
