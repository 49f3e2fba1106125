package org.erosim.cpu;

/**
 * MUL, IMUL (one, two and three operands), DIV and IDIV.
 *
 * <p>Flags: CF = OF = "the high half is significant"; SF, ZF and PF follow the low half of
 * the product and AF is cleared (undefined architecturally; see docs/conformance.md).
 * DIV and IDIV leave the flags unchanged. A zero divisor or a quotient that does not fit
 * raises #DE before any register changes.
 */
final class MulDivOps {
    private MulDivOps() {
    }

    private static void mulFlags(Cpu c, int sz, int low, boolean significant) {
        c.ccAux = significant ? 1 : 0;
        c.cc(Flags.OP_MUL * 4 + sz, low, 0, 0);
    }

    /** MUL r/m ({@code sub} 0) and IMUL r/m ({@code sub} 1): accumulator forms. */
    static final class MulAcc extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            int s = readE(c);
            boolean signed = sub == 1;
            switch (sz) {
                case 0: {
                    int p = signed ? (byte) c.r[Reg.EAX] * (byte) s : (c.r[Reg.EAX] & 0xFF) * s;
                    c.setReg16(Reg.EAX, p);
                    boolean sig = signed ? p != (byte) p : (p & 0xFF00) != 0;
                    mulFlags(c, 0, p, sig);
                    break;
                }
                case 1: {
                    int p = signed ? (short) c.r[Reg.EAX] * (short) s : (c.r[Reg.EAX] & 0xFFFF) * s;
                    c.setReg16(Reg.EAX, p);
                    c.setReg16(Reg.EDX, p >>> 16);
                    boolean sig = signed ? p != (short) p : (p & 0xFFFF0000) != 0;
                    mulFlags(c, 1, p, sig);
                    break;
                }
                default: {
                    long p = signed ? (long) c.r[Reg.EAX] * (long) s
                        : (c.r[Reg.EAX] & 0xFFFFFFFFL) * (s & 0xFFFFFFFFL);
                    c.r[Reg.EAX] = (int) p;
                    c.r[Reg.EDX] = (int) (p >>> 32);
                    boolean sig = signed ? p != (int) p : (p >>> 32) != 0;
                    mulFlags(c, 2, (int) p, sig);
                    break;
                }
            }
        }
    }

    /** IMUL reg, r/m [, imm]: {@code imm2} = 1 when the immediate form is used. */
    static final class Imul extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            int s = readE(c);
            int m = imm2 != 0 ? imm : c.reg(sz, reg);
            if (sz == 2) {
                long p = (long) s * (long) m;
                c.r[reg] = (int) p;
                mulFlags(c, 2, (int) p, p != (int) p);
            } else {
                int p = (short) s * (short) m;
                c.setReg16(reg, p);
                mulFlags(c, 1, p, p != (short) p);
            }
        }
    }

    /** DIV r/m ({@code sub} 0) and IDIV r/m ({@code sub} 1). */
    static final class Div extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            int s = readE(c);
            if (s == 0) {
                throw c.exception(Vector.DE, 0);
            }
            if (sub == 0) {
                divide(c, s);
            } else {
                idivide(c, s);
            }
        }

        private void divide(Cpu c, int s) {
            switch (sz) {
                case 0: {
                    int n = c.r[Reg.EAX] & 0xFFFF;
                    int q = n / s;
                    if (q > 0xFF) {
                        throw c.exception(Vector.DE, 0);
                    }
                    c.setReg16(Reg.EAX, ((n % s) << 8) | q);
                    break;
                }
                case 1: {
                    long n = ((c.r[Reg.EDX] & 0xFFFFL) << 16) | (c.r[Reg.EAX] & 0xFFFFL);
                    long q = n / s;
                    if (q > 0xFFFF) {
                        throw c.exception(Vector.DE, 0);
                    }
                    c.setReg16(Reg.EAX, (int) q);
                    c.setReg16(Reg.EDX, (int) (n % s));
                    break;
                }
                default: {
                    long n = ((long) c.r[Reg.EDX] << 32) | (c.r[Reg.EAX] & 0xFFFFFFFFL);
                    long d = s & 0xFFFFFFFFL;
                    long q = Long.divideUnsigned(n, d);
                    if (Long.compareUnsigned(q, 0xFFFFFFFFL) > 0) {
                        throw c.exception(Vector.DE, 0);
                    }
                    c.r[Reg.EAX] = (int) q;
                    c.r[Reg.EDX] = (int) Long.remainderUnsigned(n, d);
                    break;
                }
            }
        }

        private void idivide(Cpu c, int s) {
            switch (sz) {
                case 0: {
                    int n = (short) c.r[Reg.EAX];
                    int d = (byte) s;
                    int q = n / d;
                    if (q != (byte) q) {
                        throw c.exception(Vector.DE, 0);
                    }
                    c.setReg16(Reg.EAX, (((n % d) & 0xFF) << 8) | (q & 0xFF));
                    break;
                }
                case 1: {
                    int n = (c.r[Reg.EDX] << 16) | (c.r[Reg.EAX] & 0xFFFF);
                    int d = (short) s;
                    long q = (long) n / d;
                    if (q != (short) q) {
                        throw c.exception(Vector.DE, 0);
                    }
                    c.setReg16(Reg.EAX, (int) q);
                    c.setReg16(Reg.EDX, (int) ((long) n % d));
                    break;
                }
                default: {
                    long n = ((long) c.r[Reg.EDX] << 32) | (c.r[Reg.EAX] & 0xFFFFFFFFL);
                    long d = s;
                    if (n == Long.MIN_VALUE && d == -1) {
                        throw c.exception(Vector.DE, 0);
                    }
                    long q = n / d;
                    if (q != (int) q) {
                        throw c.exception(Vector.DE, 0);
                    }
                    c.r[Reg.EAX] = (int) q;
                    c.r[Reg.EDX] = (int) (n % d);
                    break;
                }
            }
        }
    }
}
