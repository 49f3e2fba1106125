package org.erosim.cpu;

/**
 * ROL, ROR, RCL, RCR, SHL/SAL, SHR, SAR ({@code sub} 0..7) and SHLD/SHRD.
 *
 * <p>The count is masked to 5 bits (80286 and later). A zero count changes nothing, not even
 * the flags. Rotates change only CF and OF; OF is computed from the result for every
 * count (defined by Intel only for a count of 1; this matches the 80286 reference data).
 */
final class ShiftOps {
    private ShiftOps() {
    }

    /** {@code imm2} = 1: count from CL, else count = {@code imm} (1 for the D0/D1 forms). */
    static final class Shift extends Insn {
        @Override
        boolean mayEndBlock() {
            return mem;
        }

        @Override
        public void exec(Cpu c) {
            int count = (imm2 != 0 ? c.r[Reg.ECX] : imm) & 0x1F;
            if (count == 0) {
                if (mem) {
                    // the operand is still accessed (and may fault)
                    c.linear(seg, ea(c), sz, true);
                    c.read(sz, seg, ea(c));
                }
                return;
            }
            if (!mem) {
                c.setReg(sz, rm, apply(c, sub, sz, c.reg(sz, rm), count));
                return;
            }
            int lin = c.linear(seg, ea(c), sz, true);
            long h = c.rmwHost(lin, 1 << sz);
            if (h >= 0) {
                AluOps.hostPut(h, sz, apply(c, sub, sz, AluOps.hostGet(h, sz), count));
            } else {
                AluOps.writeLin(c, sz, lin, apply(c, sub, sz, AluOps.readLin(c, sz, lin), count));
            }
        }
    }

    /** Applies shift {@code kind} to the zero-extended operand {@code d}; count is 1..31. */
    static int apply(Cpu c, int kind, int sz, int d, int count) {
        int bits = 8 << sz;
        int mask = sz == 2 ? -1 : (1 << bits) - 1;
        d &= mask;
        switch (kind) {
            case 0: { // ROL
                int n = count & (bits - 1);
                int r = n == 0 ? d : ((d << n) | (d >>> (bits - n))) & mask;
                int cf = r & 1;
                int of = ((r >>> (bits - 1)) & 1) ^ cf;
                c.setArith(cf | (of << 11), Flags.CF | Flags.OF);
                return r;
            }
            case 1: { // ROR
                int n = count & (bits - 1);
                int r = n == 0 ? d : ((d >>> n) | (d << (bits - n))) & mask;
                int msb = (r >>> (bits - 1)) & 1;
                int of = msb ^ ((r >>> (bits - 2)) & 1);
                c.setArith(msb | (of << 11), Flags.CF | Flags.OF);
                return r;
            }
            case 2: { // RCL
                int n = count % (bits + 1);
                long v = ((long) Flags.cf(c) << bits) | (d & 0xFFFFFFFFL);
                long full = (1L << (bits + 1)) - 1;
                long rot = n == 0 ? v : ((v << n) | (v >>> (bits + 1 - n))) & full;
                int r = (int) rot & mask;
                int cf = (int) (rot >>> bits) & 1;
                int of = ((r >>> (bits - 1)) & 1) ^ cf;
                c.setArith(cf | (of << 11), Flags.CF | Flags.OF);
                return r;
            }
            case 3: { // RCR
                int n = count % (bits + 1);
                long v = ((long) Flags.cf(c) << bits) | (d & 0xFFFFFFFFL);
                long full = (1L << (bits + 1)) - 1;
                long rot = n == 0 ? v : ((v >>> n) | (v << (bits + 1 - n))) & full;
                int r = (int) rot & mask;
                int cf = (int) (rot >>> bits) & 1;
                int of = ((r >>> (bits - 1)) ^ (r >>> (bits - 2))) & 1;
                c.setArith(cf | (of << 11), Flags.CF | Flags.OF);
                return r;
            }
            case 4:
            case 6: { // SHL / SAL
                int r = d << count;
                c.cc(Flags.OP_SHL * 4 + sz, r, d, count);
                return r;
            }
            case 5: { // SHR
                int r = d >>> count;
                c.cc(Flags.OP_SHR * 4 + sz, r, d, count);
                return r;
            }
            default: { // SAR
                int sd = Flags.signExtend(d, sz);
                int r = sd >> count;
                c.cc(Flags.OP_SAR * 4 + sz, r, d, count);
                return r;
            }
        }
    }

    /** SHLD ({@code sub} 0) / SHRD ({@code sub} 1) r/m, reg, imm8|CL ({@code imm2} = 1: CL). */
    static final class DoubleShift extends Insn {
        @Override
        boolean mayEndBlock() {
            return mem;
        }

        @Override
        public void exec(Cpu c) {
            int count = (imm2 != 0 ? c.r[Reg.ECX] : imm) & 0x1F;
            int s = c.reg(sz, reg);
            if (count == 0) {
                if (mem) {
                    c.linear(seg, ea(c), sz, true);
                }
                return;
            }
            if (!mem) {
                c.setReg(sz, rm, apply(c, c.reg(sz, rm), s, count));
                return;
            }
            int lin = c.linear(seg, ea(c), sz, true);
            long h = c.rmwHost(lin, 1 << sz);
            if (h >= 0) {
                AluOps.hostPut(h, sz, apply(c, AluOps.hostGet(h, sz), s, count));
            } else {
                AluOps.writeLin(c, sz, lin, apply(c, AluOps.readLin(c, sz, lin), s, count));
            }
        }

        private int apply(Cpu c, int d, int s, int n) {
            int r;
            int cf;
            int bits;
            if (sz == 2) {
                bits = 32;
                if (sub == 0) {
                    r = (d << n) | (s >>> (32 - n));
                    cf = (d >>> (32 - n)) & 1;
                } else {
                    r = (d >>> n) | (s << (32 - n));
                    cf = (d >>> (n - 1)) & 1;
                }
            } else {
                bits = 16;
                long dd = d & 0xFFFFL;
                long ss = s & 0xFFFFL;
                if (sub == 0) {
                    long v = (dd << 32) | (ss << 16) | dd; // d:s:d, as Bochs does for counts > 16
                    r = (int) ((v << n) >>> 32) & 0xFFFF;
                    cf = (int) ((v << (n - 1)) >>> 47) & 1;
                } else {
                    long w = dd | (ss << 16) | (dd << 32); // d:s:d read from the right
                    r = (int) (w >>> n) & 0xFFFF;
                    cf = (int) (w >>> (n - 1)) & 1;
                }
            }
            int msbR = (r >>> (bits - 1)) & 1;
            int msbD = (d >>> (bits - 1)) & 1;
            int f = cf | ((msbR ^ msbD) << 11) | (msbR << 7) | Flags.parity(r);
            if ((r & (bits == 32 ? -1 : 0xFFFF)) == 0) {
                f |= Flags.ZF;
            }
            c.setArith(f, Flags.ARITH);
            return r;
        }
    }
}
