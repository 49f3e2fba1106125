package org.erosim.cpu;

import org.agrona.UnsafeApi;

/**
 * ADD, OR, ADC, SBB, AND, SUB, XOR, CMP (selected by {@code sub} 0..7), TEST, INC, DEC,
 * NOT and NEG in their register, memory and immediate forms.
 *
 * <p>Memory destinations are read-modify-write: the write permission (segment and page) is
 * checked before the read, so a fault leaves memory and registers unchanged, and the
 * #PF error code has W set, as on hardware.
 */
final class AluOps {
    private AluOps() {
    }

    static final int ADD = 0;
    static final int OR = 1;
    static final int ADC = 2;
    static final int SBB = 3;
    static final int AND = 4;
    static final int SUB = 5;
    static final int XOR = 6;
    static final int CMP = 7;

    /** Computes {@code d op s}, records the flags and returns the (unmasked) result. */
    static int alu(Cpu c, int op, int sz, int d, int s) {
        int r;
        switch (op) {
            case ADD:
                r = d + s;
                c.cc(Flags.OP_ADD * 4 + sz, r, d, s);
                return r;
            case OR:
                r = d | s;
                c.cc(Flags.OP_LOGIC * 4 + sz, r, d, s);
                return r;
            case ADC:
                r = d + s + Flags.cf(c);
                c.cc(Flags.OP_ADD * 4 + sz, r, d, s);
                return r;
            case SBB:
                r = d - s - Flags.cf(c);
                c.cc(Flags.OP_SUB * 4 + sz, r, d, s);
                return r;
            case AND:
                r = d & s;
                c.cc(Flags.OP_LOGIC * 4 + sz, r, d, s);
                return r;
            case SUB:
            case CMP:
                r = d - s;
                c.cc(Flags.OP_SUB * 4 + sz, r, d, s);
                return r;
            default: // XOR
                r = d ^ s;
                c.cc(Flags.OP_LOGIC * 4 + sz, r, d, s);
                return r;
        }
    }

    /** Reads {@code 1 << sz} bytes at a host address. */
    static int hostGet(long h, int sz) {
        return sz == 2 ? UnsafeApi.getInt(h) : sz == 1 ? UnsafeApi.getShort(h) & 0xFFFF : UnsafeApi.getByte(h) & 0xFF;
    }

    static void hostPut(long h, int sz, int v) {
        if (sz == 2) {
            UnsafeApi.putInt(h, v);
        } else if (sz == 1) {
            UnsafeApi.putShort(h, (short) v);
        } else {
            UnsafeApi.putByte(h, (byte) v);
        }
    }

    static int readLin(Cpu c, int sz, int lin) {
        return sz == 2 ? c.readLin32(lin) : sz == 1 ? c.readLin16(lin) : c.readLin8(lin);
    }

    static void writeLin(Cpu c, int sz, int lin, int v) {
        if (sz == 2) {
            c.writeLin32(lin, v);
        } else if (sz == 1) {
            c.writeLin16(lin, v);
        } else {
            c.writeLin8(lin, v);
        }
    }

    /**
     * ALU reg, reg for 8- and 16-bit operands ({@code rm} destination, {@code reg} source);
     * the 32-bit forms are specialised per operation in {@link Alu32Ops}.
     */
    static final class RegReg extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            int r = alu(c, sub, sz, c.reg(sz, rm), c.reg(sz, reg));
            if (sub != CMP) {
                c.setReg(sz, rm, r);
            }
        }
    }

    /** ALU reg, imm for 8- and 16-bit operands ({@code rm} destination). */
    static final class RegImm extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            int r = alu(c, sub, sz, c.reg(sz, rm), imm & szMask());
            if (sub != CMP) {
                c.setReg(sz, rm, r);
            }
        }
    }

    /** ALU reg, [mem] for 8- and 16-bit operands ({@code reg} destination). */
    static final class RegMem extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            int r = alu(c, sub, sz, c.reg(sz, reg), c.read(sz, seg, ea(c)));
            if (sub != CMP) {
                c.setReg(sz, reg, r);
            }
        }
    }

    /** ALU [mem], reg or [mem], imm ({@code imm} is the source if {@code reg < 0}). */
    static final class MemSrc extends Insn {
        @Override
        public void exec(Cpu c) {
            int s = reg < 0 ? imm & szMask() : c.reg(sz, reg);
            int off = ea(c);
            if (sub == CMP) {
                alu(c, CMP, sz, c.read(sz, seg, off), s);
                return;
            }
            int lin = c.linear(seg, off, sz, true);
            long h = c.rmwHost(lin, 1 << sz);
            if (h >= 0) {
                hostPut(h, sz, alu(c, sub, sz, hostGet(h, sz), s));
            } else {
                writeLin(c, sz, lin, alu(c, sub, sz, readLin(c, sz, lin), s));
            }
        }
    }

    /** TEST r/m, reg or r/m, imm ({@code reg < 0}: immediate). */
    static final class Test extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            int s = reg < 0 ? imm : c.reg(sz, reg);
            int r = readE(c) & s;
            c.cc(Flags.OP_LOGIC * 4 + sz, r, r, s);
        }
    }

    /** INC/DEC/NOT/NEG on r/m or a register ({@code sub}: 0 inc, 1 dec, 2 not, 3 neg). */
    static final class Unary extends Insn {
        @Override
        boolean mayEndBlock() {
            return mem;
        }

        @Override
        public void exec(Cpu c) {
            if (!mem) {
                c.setReg(sz, rm, apply(c, c.reg(sz, rm)));
                return;
            }
            int lin = c.linear(seg, ea(c), sz, true);
            long h = c.rmwHost(lin, 1 << sz);
            if (h >= 0) {
                hostPut(h, sz, apply(c, hostGet(h, sz)));
            } else {
                writeLin(c, sz, lin, apply(c, readLin(c, sz, lin)));
            }
        }

        private int apply(Cpu c, int d) {
            int r;
            switch (sub) {
                case 0:
                    c.ccAux = Flags.cf(c);
                    r = d + 1;
                    c.cc(Flags.OP_INC * 4 + sz, r, d, 1);
                    return r;
                case 1:
                    c.ccAux = Flags.cf(c);
                    r = d - 1;
                    c.cc(Flags.OP_DEC * 4 + sz, r, d, 1);
                    return r;
                case 2:
                    return ~d;
                default:
                    r = -d;
                    c.cc(Flags.OP_SUB * 4 + sz, r, 0, d);
                    return r;
            }
        }
    }

    /** INC r32 / DEC r32 (the one-byte 40-4F forms in 32-bit code). */
    static final class IncDecReg32 extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[rm] = incDec32(c, c.r[rm], imm);
        }
    }

    /** INC ({@code delta} 1) or DEC (-1) of a 32-bit value: CF is kept, the rest recorded. */
    static int incDec32(Cpu c, int d, int delta) {
        c.ccAux = Flags.cf(c);
        int r = d + delta;
        c.cc((delta > 0 ? Flags.OP_INC : Flags.OP_DEC) * 4 + 2, r, d, 1);
        return r;
    }
}
