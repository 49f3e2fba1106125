package org.erosim.cpu;

/**
 * SHL, SHR and SAR of a 32-bit register by an immediate or by CL, one class per operation
 * and count source, so compiled blocks inline them without dispatch (CRC and hashing loops
 * live on these). Semantics are those of {@link ShiftOps#apply}: the count is masked to
 * five bits and a zero count changes nothing, flags included. {@code rm} is the register;
 * {@code imm} the immediate count.
 */
final class Shift32Ops {
    private Shift32Ops() {
    }

    static void shl(Cpu c, int reg, int count) {
        c.r[reg] = shlValue(c, c.r[reg], count);
    }

    static void shr(Cpu c, int reg, int count) {
        c.r[reg] = shrValue(c, c.r[reg], count);
    }

    static void sar(Cpu c, int reg, int count) {
        c.r[reg] = sarValue(c, c.r[reg], count);
    }

    /** SHL of a value by a 5-bit count; a zero count returns it unchanged and keeps the flags. */
    static int shlValue(Cpu c, int d, int count) {
        if (count == 0) {
            return d;
        }
        int r = d << count;
        c.cc(Flags.OP_SHL * 4 + 2, r, d, count);
        return r;
    }

    static int shrValue(Cpu c, int d, int count) {
        if (count == 0) {
            return d;
        }
        int r = d >>> count;
        c.cc(Flags.OP_SHR * 4 + 2, r, d, count);
        return r;
    }

    static int sarValue(Cpu c, int d, int count) {
        if (count == 0) {
            return d;
        }
        int r = d >> count;
        c.cc(Flags.OP_SAR * 4 + 2, r, d, count);
        return r;
    }

    abstract static class RegShift extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }
    }

    static final class ShlImm extends RegShift {
        @Override
        public void exec(Cpu c) {
            shl(c, rm, imm & 0x1F);
        }
    }

    static final class ShrImm extends RegShift {
        @Override
        public void exec(Cpu c) {
            shr(c, rm, imm & 0x1F);
        }
    }

    static final class SarImm extends RegShift {
        @Override
        public void exec(Cpu c) {
            sar(c, rm, imm & 0x1F);
        }
    }

    static final class ShlCl extends RegShift {
        @Override
        public void exec(Cpu c) {
            shl(c, rm, c.r[Reg.ECX] & 0x1F);
        }
    }

    static final class ShrCl extends RegShift {
        @Override
        public void exec(Cpu c) {
            shr(c, rm, c.r[Reg.ECX] & 0x1F);
        }
    }

    static final class SarCl extends RegShift {
        @Override
        public void exec(Cpu c) {
            sar(c, rm, c.r[Reg.ECX] & 0x1F);
        }
    }

    /**
     * The specialised class for shift {@code kind} (ShiftOps numbering: 4/6 SHL, 5 SHR, 7 SAR)
     * with the count from CL or an immediate, or null if there is none (rotates).
     */
    static Insn create(int kind, boolean byCl) {
        switch (kind) {
            case 4:
            case 6:
                return byCl ? new ShlCl() : new ShlImm();
            case 5:
                return byCl ? new ShrCl() : new ShrImm();
            case 7:
                return byCl ? new SarCl() : new SarImm();
            default:
                return null;
        }
    }
}
