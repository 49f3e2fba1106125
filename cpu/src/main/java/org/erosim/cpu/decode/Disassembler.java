package org.erosim.cpu.decode;

import java.util.Objects;
import org.erosim.cpu.Reg;

/**
 * Intel-syntax text for decoded instructions, driven by the same {@link OpcodeTable}
 * entries as the executor: the mnemonic comes from the {@link OpDef} (by operand size, or
 * address size for {@link OpDef#ADDRESS_SIZED} entries) and every operand is printed from
 * its {@link Operand} spec and the {@link Decoded} fields. Used by traces and by
 * {@code erosim disasm}; not a hot path, so it allocates freely.
 *
 * <p>The dialect is GNU objdump's {@code -M intel}, so listings can be compared with it:
 * hexadecimal {@code 0x} numbers, {@code BYTE/WORD/DWORD/FWORD/QWORD PTR} on memory operands
 * whose size no register shows, a segment override inside the memory operand
 * ({@code WORD PTR es:[bx+si+0x10]}), {@code ds:0x1234} for an address without registers,
 * displacements printed whenever encoded (even {@code +0x0}), relative branches as absolute
 * targets, far pointers as {@code 0x10:0x1234}, a {@code w}/{@code d} suffix where only the
 * mnemonic can show a non-default operand size ({@code pushw 0x1234}, {@code retfd}). Two
 * deliberate departures, for short trace lines: string instructions use their
 * operand-less forms ({@code rep movsd}, {@code xlatb}), a segment override or address
 * size showing as a prefix word ({@code fs movsb}, {@code addr16 stosw}); and the size
 * variants keep the table's names in every mode ({@code pushad}, {@code popfd},
 * {@code iretd}, where objdump writes {@code pusha}, {@code popf}, {@code iret} in 32-bit code).
 *
 * <p>Prefix words: a prefix whose effect no operand, mnemonic or suffix shows is printed
 * before the mnemonic, in the order segment, {@code addr16/addr32}, {@code data16/data32},
 * {@code lock}, {@code rep/repe/repne} — so a prefix that changes nothing visible still
 * shows ({@code fs nop}, {@code data16 hlt}).
 */
public final class Disassembler {
    private Disassembler() {
    }

    /** Text for an undefined opcode (executes as #UD) or an instruction over 15 bytes (#GP). */
    public static final String BAD = "(bad)";
    /** Text for bytes that end before the instruction does. */
    public static final String TRUNCATED = "(truncated)";

    /** One disassembled instruction: its address, its length in bytes and its text. */
    public record Instruction(int address, int length, String text) {
    }

    /** Disassembles the instruction at {@code code[offset]}; the array's end ends the input. */
    public static Instruction disassemble(byte[] code, int offset, int address, boolean code32) {
        return disassemble(code, offset, code.length, address, code32);
    }

    /**
     * Disassembles the instruction at {@code code[offset]}, reading no byte at or beyond
     * {@code limit}; {@code address} is the instruction's EIP (branch targets are relative
     * to it). The length is at least 1 and at most {@link Decoder#MAX_LENGTH}.
     */
    public static Instruction disassemble(byte[] code, int offset, int limit, int address, boolean code32) {
        Objects.checkFromToIndex(offset, limit, code.length);
        if (offset == limit) {
            throw new IllegalArgumentException("no bytes to disassemble at offset " + offset);
        }
        ByteSource source = i -> offset + i < limit ? code[offset + i] & 0xFF : ByteSource.END;
        Decoded d = new Decoder().decode(source, code32, new Decoded());
        int length = Math.max(1, Math.min(d.length, Decoder.MAX_LENGTH));
        return new Instruction(address, length, format(d, address));
    }

    /**
     * Formats a decoded instruction located at {@code eip} (needed for relative branch
     * targets, which wrap at 64 KiB in 16-bit code and with a 16-bit operand size, exactly
     * as the executor computes them).
     */
    public static String format(Decoded d, int eip) {
        if (d.error == Decoded.ERR_TRUNCATED) {
            return TRUNCATED;
        }
        if (d.error != 0 || d.def == null || d.def.has(OpDef.INVALID) || !segmentRegisterExists(d)) {
            return BAD;
        }
        return new Printer(d, eip).print();
    }

    /** MOV to/from Sreg with ModRM reg 6 or 7 names no segment register: #UD. */
    private static boolean segmentRegisterExists(Decoded d) {
        for (int spec : d.def.operands) {
            if (spec == Operand.Sw && d.reg > Reg.GS) {
                return false;
            }
        }
        return true;
    }

    static String hex(int v) {
        return "0x" + Integer.toHexString(v);
    }

    /**
     * Formats one instruction, recording which prefixes its operands and mnemonic already
     * show; the others become prefix words.
     */
    private static final class Printer {
        private final Decoded d;
        private final OpDef def;
        private final int eip;
        /** The segment override appears inside a memory operand. */
        private boolean segmentShown;
        /** The address size is visible from the registers of a memory operand (or the mnemonic). */
        private boolean addressSizeShown;
        /** The operand size is visible from an operand, the mnemonic or a suffix. */
        private boolean operandSizeShown;

        Printer(Decoded d, int eip) {
            this.d = d;
            this.def = d.def;
            this.eip = eip;
        }

        String print() {
            String operands = operands();
            String mnemonic = mnemonic();
            StringBuilder line = new StringBuilder(48);
            prefixWords(line);
            line.append(mnemonic);
            if (!operands.isEmpty()) {
                line.append(' ').append(operands);
            }
            return line.toString();
        }

        private String mnemonic() {
            if (def.has(OpDef.ADDRESS_SIZED)) {
                addressSizeShown = true;
                return def.mnemonic(d.a32);
            }
            String m = def.mnemonic(d.o32);
            if (!def.mnemonic16.equals(def.mnemonic32)) {
                operandSizeShown = true;
            }
            if (def.has(OpDef.SIZE_SUFFIX)) {
                operandSizeShown = true;
                if (d.o32 != d.code32) {
                    m += d.o32 ? "d" : "w";
                }
            }
            return m;
        }

        private void prefixWords(StringBuilder line) {
            if (d.segOverride >= 0 && !segmentShown) {
                line.append(Reg.SEG_NAMES[d.segOverride]).append(' ');
            }
            if (d.a32 != d.code32 && !addressSizeShown) {
                line.append(d.a32 ? "addr32 " : "addr16 ");
            }
            if (d.o32 != d.code32 && !operandSizeShown) {
                line.append(d.o32 ? "data32 " : "data16 ");
            }
            if (d.lock) {
                line.append("lock ");
            }
            if (d.rep == 0xF3) {
                line.append(def.has(OpDef.REP_OK) && !def.has(OpDef.REPE_REPNE) ? "rep " : "repe ");
            } else if (d.rep == 0xF2) {
                line.append("repne ");
            }
        }

        private String operands() {
            if (def.has(OpDef.STRING)) {
                return ""; // the mnemonic names the operation and size; prefix words the rest
            }
            if (def.kind == Kind.ESC) {
                return escOperands();
            }
            StringBuilder b = new StringBuilder(32);
            for (int spec : def.operands) {
                if (b.length() > 0) {
                    b.append(',');
                }
                b.append(operand(spec));
            }
            return b.toString();
        }

        /**
         * ESC (x87) opcodes, which this CPU does not implement, are shown as the 8086 wrote
         * them: the 6-bit ESC number (opcode low bits, ModRM reg) and the r/m operand.
         */
        private String escOperands() {
            int number = (d.opcode & 7) << 3 | d.reg;
            return hex(number) + "," + (d.mem ? memory(null) : register(d.rm, d.o32));
        }

        private String operand(int spec) {
            switch (spec) {
                case Operand.Eb:
                    return d.mem ? memory("BYTE") : Reg.NAMES8[d.rm];
                case Operand.Ew:
                    return d.mem ? memory("WORD") : Reg.NAMES16[d.rm];
                case Operand.Ed:
                    return d.mem ? memory("DWORD") : Reg.NAMES32[d.rm];
                case Operand.Ev:
                    operandSizeShown = true;
                    return d.mem ? memory(d.o32 ? "DWORD" : "WORD") : register(d.rm, d.o32);
                case Operand.RvMw:
                    operandSizeShown |= !d.mem;
                    return d.mem ? memory("WORD") : register(d.rm, d.o32);
                case Operand.M:
                case Operand.Ms:
                    return memory(null);
                case Operand.Mp:
                    operandSizeShown = true;
                    return memory(d.o32 ? "FWORD" : "DWORD");
                case Operand.Ma:
                    operandSizeShown = true;
                    return memory(d.o32 ? "QWORD" : "DWORD");
                case Operand.Mq:
                    return memory("QWORD");
                case Operand.Ob:
                    return memory(null);
                case Operand.Ov:
                    operandSizeShown = true;
                    return memory(null);
                default:
                    return registerOrImmediate(spec);
            }
        }

        private String registerOrImmediate(int spec) {
            switch (spec) {
                case Operand.Gb:
                    return Reg.NAMES8[d.reg];
                case Operand.Gw:
                    return Reg.NAMES16[d.reg];
                case Operand.Gd:
                    return Reg.NAMES32[d.reg];
                case Operand.Gv:
                    operandSizeShown = true;
                    return register(d.reg, d.o32);
                case Operand.Zb:
                    return Reg.NAMES8[d.opcode & 7];
                case Operand.Zv:
                    operandSizeShown = true;
                    return register(d.opcode & 7, d.o32);
                case Operand.Rd:
                    return Reg.NAMES32[d.rm];
                case Operand.Sw:
                    return Reg.SEG_NAMES[d.reg];
                case Operand.Cd:
                    return "cr" + d.reg;
                case Operand.Dd:
                    return "dr" + d.reg;
                case Operand.Td:
                    return "tr" + d.reg;
                case Operand.eAX:
                    operandSizeShown = true;
                    return register(Reg.EAX, d.o32);
                default:
                    return fixedOrImmediate(spec);
            }
        }

        private String fixedOrImmediate(int spec) {
            switch (spec) {
                case Operand.AL:
                    return "al";
                case Operand.CL:
                    return "cl";
                case Operand.DX:
                    return "dx";
                case Operand.AX:
                    return "ax";
                case Operand.ONE:
                    return "1";
                case Operand.sES:
                case Operand.sCS:
                case Operand.sSS:
                case Operand.sDS:
                case Operand.sFS:
                case Operand.sGS:
                    return Reg.SEG_NAMES[spec - Operand.sES];
                default:
                    return immediate(spec);
            }
        }

        /** Immediates print unsigned in the width the instruction uses them at. */
        private String immediate(int spec) {
            int operandMask = d.o32 ? -1 : 0xFFFF;
            switch (spec) {
                case Operand.Ib:
                    return hex(d.imm & 0xFF);
                case Operand.Ib2:
                    return hex(d.imm2 & 0xFF);
                case Operand.Iw:
                    return hex(d.imm & 0xFFFF);
                case Operand.Iv:
                case Operand.Ibs:
                    operandSizeShown = true;
                    return hex(d.imm & operandMask);
                case Operand.Jb:
                case Operand.Jv:
                    // a 16-bit operand size truncates the target: the size shows in it
                    operandSizeShown = true;
                    return hex(branchTarget(operandMask));
                case Operand.Ap:
                    operandSizeShown = true;
                    return hex(d.imm2 & 0xFFFF) + ":" + hex(d.imm & operandMask);
                default:
                    throw new IllegalStateException("operand spec " + Operand.name(spec) + " in " + def);
            }
        }

        /** As {@code InsnFactory} computes it: next EIP (wrapping in 16-bit code) plus displacement. */
        private int branchTarget(int operandMask) {
            int next = d.code32 ? eip + d.length : (eip + d.length) & 0xFFFF;
            return (next + d.imm) & operandMask;
        }

        private static String register(int r, boolean wide) {
            return wide ? Reg.NAMES32[r] : Reg.NAMES16[r];
        }

        /**
         * A memory operand: {@code SIZE PTR seg:[base+index*scale+disp]}. The segment shows
         * only when overridden, except that an address without registers is written
         * {@code ds:0x1234} (objdump's form, telling it apart from an immediate).
         */
        private String memory(String size) {
            StringBuilder b = new StringBuilder(32);
            if (size != null) {
                b.append(size).append(" PTR ");
            }
            if (d.segOverride >= 0) {
                segmentShown = true;
                b.append(Reg.SEG_NAMES[d.segOverride]).append(':');
            }
            if (d.base == Reg.ZERO && d.index == Reg.ZERO) {
                if (d.segOverride < 0) {
                    b.append("ds:");
                }
                return b.append(hex(d.a32 ? d.disp : d.disp & 0xFFFF)).toString();
            }
            addressSizeShown = true;
            String[] names = d.a32 ? Reg.NAMES32 : Reg.NAMES16;
            b.append('[');
            if (d.base != Reg.ZERO) {
                b.append(names[d.base]);
            }
            if (d.index != Reg.ZERO) {
                if (d.base != Reg.ZERO) {
                    b.append('+');
                }
                b.append(names[d.index]);
                if (d.a32) {
                    b.append('*').append(1 << d.scale);
                }
            }
            if (d.dispSize > 0) {
                // Integer.toHexString(-MIN_VALUE) is "80000000": the unsigned reading is right
                b.append(d.disp < 0 ? "-" : "+").append(hex(d.disp < 0 ? -d.disp : d.disp));
            }
            return b.append(']').toString();
        }
    }
}
