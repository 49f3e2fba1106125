package org.erosim.cpu;

/**
 * Decimal adjusts: DAA, DAS, AAA, AAS, AAM, AAD ({@code sub} 0..5).
 *
 * <p>Defined flags follow the SDM pseudo-code. Undefined ones: DAA/DAS compute OF as the
 * signed overflow of the adjustment; AAA/AAS leave SF, ZF, PF from AL and clear OF;
 * AAM/AAD compute OF, AF, CF as the flags of the underlying add and set SF/ZF/PF from AL
 * (see docs/conformance.md).
 */
final class BcdOps {
    private BcdOps() {
    }

    static final class Bcd extends Insn {
        @Override
        public void exec(Cpu c) {
            switch (sub) {
                case 0:
                    daa(c);
                    break;
                case 1:
                    das(c);
                    break;
                case 2:
                    aaa(c, true);
                    break;
                case 3:
                    aaa(c, false);
                    break;
                case 4:
                    aam(c);
                    break;
                default:
                    aad(c);
                    break;
            }
        }

        private static int szp(int al) {
            al &= 0xFF;
            return (al == 0 ? Flags.ZF : 0) | (al & 0x80) | Flags.parity(al);
        }

        private static void daa(Cpu c) {
            int al = c.reg8(0);
            int old = al;
            int cf = Flags.cf(c);
            int af = Flags.af(c);
            int f = 0;
            if ((al & 0xF) > 9 || af != 0) {
                al += 6;
                f |= Flags.AF | (al > 0xFF ? Flags.CF : 0) | cf;
            }
            if (old > 0x99 || cf != 0) {
                al += 0x60;
                f |= Flags.CF;
            }
            al &= 0xFF;
            if (((old ^ al) & (al & 0x80)) != 0 && (old & 0x80) == 0) {
                f |= Flags.OF;
            }
            c.setReg8(0, al);
            c.setArith(f | szp(al), Flags.ARITH);
        }

        private static void das(Cpu c) {
            int al = c.reg8(0);
            int old = al;
            int cf = Flags.cf(c);
            int af = Flags.af(c);
            int f = 0;
            if ((al & 0xF) > 9 || af != 0) {
                f |= Flags.AF | (al < 6 ? Flags.CF : 0) | cf;
                al -= 6;
            }
            if (old > 0x99 || cf != 0) {
                al -= 0x60;
                f |= Flags.CF;
            }
            al &= 0xFF;
            if ((old & 0x80) != 0 && (al & 0x80) == 0) {
                f |= Flags.OF;
            }
            c.setReg8(0, al);
            c.setArith(f | szp(al), Flags.ARITH);
        }

        private static void aaa(Cpu c, boolean add) {
            int ax = c.reg16(Reg.EAX);
            int f = 0;
            if ((ax & 0xF) > 9 || Flags.af(c) != 0) {
                // 16-bit adjust: a carry/borrow out of AL reaches AH as well (80286 and later)
                ax = add ? ax + 0x106 : ax - 6 - 0x100;
                f = Flags.AF | Flags.CF;
            }
            ax = (ax & 0xFF0F);
            c.setReg16(Reg.EAX, ax);
            c.setArith(f | szp(ax), Flags.ARITH);
        }

        private void aam(Cpu c) {
            int base = imm & 0xFF;
            if (base == 0) {
                throw c.exception(Vector.DE, 0);
            }
            int al = c.reg8(0);
            int ah = al / base;
            al = al % base;
            c.setReg16(Reg.EAX, (ah << 8) | al);
            c.setArith(szp(al), Flags.ARITH);
        }

        private void aad(Cpu c) {
            int base = imm & 0xFF;
            int al = c.reg8(0);
            int ah = c.reg8(4);
            int prod = (ah * base) & 0xFF;
            int r = al + prod;
            c.setReg16(Reg.EAX, r & 0xFF);
            // flags of the 8-bit addition AL + (AH * base)
            c.cc(Flags.OP_ADD * 4, r, al, prod);
        }
    }
}
