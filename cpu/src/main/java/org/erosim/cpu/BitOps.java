package org.erosim.cpu;

/**
 * BT, BTS, BTR, BTC ({@code sub} 0..3) with a register or immediate bit offset, BSF, BSR.
 *
 * <p>With a register offset and a memory operand the offset is signed and may address
 * beyond the operand (the address moves by whole operand-size units), as on hardware.
 * Only CF changes for BTx; BSF/BSR set ZF and leave the destination unchanged for a zero
 * source (P6 behaviour).
 */
final class BitOps {
    private BitOps() {
    }

    /** {@code imm2} = 1: immediate bit offset in {@code imm}; else offset from {@code reg}. */
    static final class Bt extends Insn {
        @Override
        boolean mayEndBlock() {
            return mem && sub != 0;
        }

        @Override
        public void exec(Cpu c) {
            int bits = 8 << sz;
            int offset = imm2 != 0 ? imm : c.reg(sz, reg);
            if (!mem) {
                int bit = offset & (bits - 1);
                int d = c.reg(sz, rm);
                c.setArith((d >>> bit) & 1, Flags.CF);
                if (sub != 0) {
                    c.setReg(sz, rm, modify(d, bit));
                }
                return;
            }
            int off = ea(c);
            int bit;
            if (imm2 != 0) {
                bit = offset & (bits - 1);
            } else {
                int signed = sz == 2 ? offset : (short) offset;
                off = (off + ((signed >> (sz == 2 ? 5 : 4)) << sz)) & amask;
                bit = signed & (bits - 1);
            }
            if (sub == 0) {
                int d = c.read(sz, seg, off);
                c.setArith((d >>> bit) & 1, Flags.CF);
                return;
            }
            int lin = c.linear(seg, off, sz, true);
            long h = c.rmwHost(lin, 1 << sz);
            int d = h >= 0 ? AluOps.hostGet(h, sz) : AluOps.readLin(c, sz, lin);
            c.setArith((d >>> bit) & 1, Flags.CF);
            int r = modify(d, bit);
            if (h >= 0) {
                AluOps.hostPut(h, sz, r);
            } else {
                AluOps.writeLin(c, sz, lin, r);
            }
        }

        private int modify(int d, int bit) {
            switch (sub) {
                case 1:
                    return d | (1 << bit);
                case 2:
                    return d & ~(1 << bit);
                default:
                    return d ^ (1 << bit);
            }
        }
    }

    /** BSF ({@code sub} 0) / BSR ({@code sub} 1). */
    static final class Scan extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            int s = readE(c);
            if (s == 0) {
                c.setArith(Flags.ZF, Flags.ZF);
                return;
            }
            int idx = sub == 0 ? Integer.numberOfTrailingZeros(s) : 31 - Integer.numberOfLeadingZeros(s);
            c.setReg(sz, reg, idx);
            c.setArith(0, Flags.ZF);
        }
    }
}
