#!/usr/bin/env bash
# Builds the guest programs: ring-3 ELF32 i386 executables (ET_EXEC) that run as processes
# of the capability kernel. Every NAME.c or NAME.S in the source directory is linked with
# the runtime in lib/ by lib/guest.ld into OUT_DIR/NAME.elf (text, read-only data and
# writable data in separate PT_LOAD segments, page aligned) and copied to COPY_DIR (the
# classpath, guest/NAME.elf) if given. lib/erosim.h is the guest SDK (docs/guest-sdk.md);
# check/ holds its build-time layout checks, run first. flat/NAME.S are raw code pages, not
# programs: assembled at address 0 into OUT_DIR/NAME.bin (at most 4096 bytes; images load them
# with `page NAME "file.bin"`), copied next to the ELFs. Outputs newer than all of their inputs
# are left alone.
# Tools: gcc -m32, as --32 and ld -m elf_i386 (no 32-bit libc or libgcc needed).
# Usage: build.sh SRC_DIR OUT_DIR [COPY_DIR]
set -euo pipefail
src="$1"
out="$2"
copy="${3:-}"
obj="$out/obj"
mkdir -p "$out" "$obj"

CFLAGS=(-m32 -march=i686 -mgeneral-regs-only -ffreestanding -fno-pic -fno-pie -fno-stack-protector
        -fno-asynchronous-unwind-tables -nostdlib -O2 -std=gnu11 -Wall -Wextra -Werror -I"$src/lib")

newer_than_all() {   # newer_than_all TARGET INPUT...
  local target="$1"; shift
  [ -e "$target" ] || return 1
  for f in "$@"; do
    [ "$target" -nt "$f" ] || return 1
  done
}

compile() {          # compile SOURCE OBJECT: C with gcc, .S through cpp then as
  if newer_than_all "$2" "$1" "$src"/lib/*.h; then return 0; fi
  case "$1" in
    *.c) gcc "${CFLAGS[@]}" -c "$1" -o "$2" ;;
    *.S) gcc -m32 -E -P -x assembler-with-cpp -I"$src/lib" "$1" -o "$2.s" &&
         as --32 --noexecstack -o "$2" "$2.s" &&
         rm -f "$2.s" ;;
  esac
}

# The SDK header's checks (check/): the C file is compiled for its _Static_asserts (every
# descriptor, message and register-file offset), the .S file assembled to prove the header
# is assembler-safe. Any mismatch fails here, and with it the Maven build.
if ! newer_than_all "$obj/sdk-check.stamp" "$src"/check/* "$src"/lib/*.h; then
  gcc "${CFLAGS[@]}" -fsyntax-only "$src/check/sdk-check.c"
  compile "$src/check/sdk-check.S" "$obj/sdk-check-S.o"
  touch "$obj/sdk-check.stamp"
fi

lib_objs=()
for s in "$src"/lib/*.S "$src"/lib/*.c; do
  [ -e "$s" ] || continue
  o="$obj/lib-$(basename "$s").o"
  compile "$s" "$o"
  lib_objs+=("$o")
done

for s in "$src"/*.c "$src"/*.S; do
  [ -e "$s" ] || continue
  name=$(basename "$s"); name="${name%.*}"
  o="$obj/$name-$(basename "$s").o"
  compile "$s" "$o"
  elf="$out/$name.elf"
  if ! newer_than_all "$elf" "$o" "${lib_objs[@]}" "$src/lib/guest.ld"; then
    ld -m elf_i386 -T "$src/lib/guest.ld" -o "$elf" "$o" "${lib_objs[@]}"
  fi
  if [ -n "$copy" ] && ! newer_than_all "$copy/$name.elf" "$elf"; then
    mkdir -p "$copy"
    cp "$elf" "$copy/$name.elf"
  fi
done

# Flat code pages: a page of position-dependent code linked at 0, without the runtime.
for s in "$src"/flat/*.S; do
  [ -e "$s" ] || continue
  name=$(basename "$s" .S)
  bin="$out/$name.bin"
  if ! newer_than_all "$bin" "$s" "$src"/lib/*.h "$src"/flat/*.inc; then
    rm -f "$obj/flat-$name.o"     # it may include flat/*.inc, which compile does not track
    compile "$s" "$obj/flat-$name.o"
    ld -m elf_i386 -Ttext=0 -e 0 -o "$obj/flat-$name.elf" "$obj/flat-$name.o"
    objcopy -O binary -j .text "$obj/flat-$name.elf" "$bin"
    if [ "$(stat -c %s "$bin")" -gt 4096 ]; then
      echo "build.sh: $s assembles to more than one page" >&2
      exit 1
    fi
  fi
  if [ -n "$copy" ] && ! newer_than_all "$copy/$name.bin" "$bin"; then
    mkdir -p "$copy"
    cp "$bin" "$copy/$name.bin"
  fi
done
