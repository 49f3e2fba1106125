#!/usr/bin/env bash
# Regenerates the GNU objdump listings that DisassemblerObjdumpTest compares the
# disassembler with (run by hand after changing disasm16.S or disasm32.S; the test itself
# never needs objdump). Needs gcc, as, ld and objdump from binutils (2.40 made the
# committed listings).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../resources/org/erosim/cpu/decode"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bash "$here/build.sh" "$here" "$tmp"
mkdir -p "$out"
listing() {
  local name=$1 machine=$2 org
  org=$(sed -n 's/^# *org: *\(0x[0-9a-fA-F]*\).*/\1/p' "$here/$name.S" | head -n 1)
  {
    echo "# objdump -D -b binary -m $machine -M intel --adjust-vma=$org --insn-width=16 $name.bin"
    echo "# $(objdump --version | head -n 1)"
    objdump -D -b binary -m "$machine" -M intel --adjust-vma="$org" --insn-width=16 "$tmp/$name.bin" \
      | grep -P '^ *[0-9a-f]+:\t'
  } > "$out/$name.objdump"
}
listing disasm32 i386
listing disasm16 i8086
