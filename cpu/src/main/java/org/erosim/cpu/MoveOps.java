package org.erosim.cpu;

/**
 * Data movement: MOV in every form, MOVZX/MOVSX, LEA, XCHG, CBW/CWD, LAHF/SAHF, SALC,
 * XLAT, SETcc, CMOVcc, BSWAP, MOV to/from segment registers and LDS/LES/LSS/LFS/LGS.
 */
final class MoveOps {
    private MoveOps() {
    }

    /** MOV reg, reg ({@code rm} destination, {@code reg} source). */
    static final class RegReg32 extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[rm] = c.r[reg];
        }
    }

    static final class RegReg extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg(sz, rm, c.reg(sz, reg));
        }
    }

    /** MOV reg, [mem] ({@code reg} destination). */
    static final class Load32 extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[reg] = c.read32(seg, ea(c));
        }
    }

    static final class Load extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg(sz, reg, c.read(sz, seg, ea(c)));
        }
    }

    /** MOV [mem], reg. */
    static final class Store32 extends Insn {
        @Override
        public void exec(Cpu c) {
            c.write32(seg, ea(c), c.r[reg]);
        }
    }

    static final class Store extends Insn {
        @Override
        public void exec(Cpu c) {
            c.write(sz, seg, ea(c), c.reg(sz, reg));
        }
    }

    /** MOV reg, imm ({@code rm} destination). */
    static final class RegImm32 extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.r[rm] = imm;
        }
    }

    static final class RegImm extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg(sz, rm, imm);
        }
    }

    /** MOV [mem], imm. */
    static final class MemImm extends Insn {
        @Override
        public void exec(Cpu c) {
            c.write(sz, seg, ea(c), imm);
        }
    }

    /** MOVZX / MOVSX: {@code sub} = source size (0 byte, 1 word), {@code imm} = 1 if signed. */
    static final class Extend extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            int v = mem ? c.read(sub, seg, ea(c)) : c.reg(sub, rm);
            if (imm != 0) {
                v = sub == 0 ? (byte) v : (short) v;
            }
            c.setReg(sz, reg, v);
        }
    }

    static final class Lea extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            c.setReg(sz, reg, ea(c));
        }
    }

    /** XCHG reg, r/m (memory form is an implicitly locked read-modify-write). */
    static final class Xchg extends Insn {
        @Override
        public void exec(Cpu c) {
            int g = c.reg(sz, reg);
            if (!mem) {
                c.setReg(sz, reg, c.reg(sz, rm));
                c.setReg(sz, rm, g);
                return;
            }
            int lin = c.linear(seg, ea(c), sz, true);
            long h = c.rmwHost(lin, 1 << sz);
            int old;
            if (h >= 0) {
                old = AluOps.hostGet(h, sz);
                AluOps.hostPut(h, sz, g);
            } else {
                old = AluOps.readLin(c, sz, lin);
                AluOps.writeLin(c, sz, lin, g);
            }
            c.setReg(sz, reg, old);
        }
    }

    /** CBW / CWDE ({@code sub} 0) and CWD / CDQ ({@code sub} 1). */
    static final class Convert extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            if (sub == 0) {
                if (o32) {
                    c.r[Reg.EAX] = (short) c.r[Reg.EAX];
                } else {
                    c.setReg16(Reg.EAX, (byte) c.r[Reg.EAX]);
                }
            } else if (o32) {
                c.r[Reg.EDX] = c.r[Reg.EAX] >> 31;
            } else {
                c.setReg16(Reg.EDX, ((short) c.r[Reg.EAX]) >> 15);
            }
        }
    }

    /** LAHF ({@code sub} 0), SAHF (1), SALC (2). */
    static final class FlagsByte extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            switch (sub) {
                case 0:
                    c.setReg8(4, (Flags.arith(c) & 0xD5) | Flags.FIXED1);
                    break;
                case 1:
                    c.setArith(c.reg8(4), Flags.SF | Flags.ZF | Flags.AF | Flags.PF | Flags.CF);
                    break;
                default:
                    c.setReg8(0, Flags.cf(c) != 0 ? 0xFF : 0);
                    break;
            }
        }
    }

    static final class Xlat extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            int off = (c.r[Reg.EBX] + (c.r[Reg.EAX] & 0xFF)) & amask;
            c.setReg8(0, c.read8(seg, off));
        }
    }

    static final class SetCc extends Insn {
        @Override
        boolean mayEndBlock() {
            return mem;
        }

        @Override
        public void exec(Cpu c) {
            writeE(c, Flags.cond(c, sub) ? 1 : 0);
        }
    }

    /** CMOVcc: the source is read (and may fault) whether or not the condition holds. */
    static final class CmovCc extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            int v = readE(c);
            if (Flags.cond(c, sub)) {
                c.setReg(sz, reg, v);
            }
        }
    }

    /** BSWAP r32; with a 16-bit operand the result is undefined: the low word is cleared (as P6). */
    static final class Bswap extends Insn {
        @Override
        boolean mayEndBlock() {
            return false;
        }

        @Override
        public void exec(Cpu c) {
            if (o32) {
                c.r[rm] = Integer.reverseBytes(c.r[rm]);
            } else {
                c.setReg16(rm, 0);
            }
        }
    }

    /** MOV r/m16, Sreg (register form with 32-bit operand size zero-extends). */
    static final class FromSreg extends Insn {
        @Override
        public void exec(Cpu c) {
            int v = c.sel[reg];
            if (mem) {
                c.write16(seg, ea(c), v);
            } else if (o32) {
                c.r[rm] = v;
            } else {
                c.setReg16(rm, v);
            }
        }
    }

    /** MOV Sreg, r/m16. */
    static final class ToSreg extends Insn {
        @Override
        public void exec(Cpu c) {
            int v = mem ? c.read16(seg, ea(c)) : c.reg16(rm);
            Segmentation.loadData(c, reg, v);
            if (reg == Reg.SS) {
                c.interruptShadow = true;
            }
        }
    }

    /** LES/LDS/LSS/LFS/LGS: {@code sub} = segment register loaded. */
    static final class LoadFar extends Insn {
        @Override
        public void exec(Cpu c) {
            int off = ea(c);
            int offset = o32 ? c.read32(seg, off) : c.read16(seg, off);
            int selector = c.read16(seg, (off + (o32 ? 4 : 2)) & amask);
            Segmentation.loadData(c, sub, selector);
            c.setReg(sz, reg, offset);
        }
    }
}
