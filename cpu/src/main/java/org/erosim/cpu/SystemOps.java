package org.erosim.cpu;

/**
 * System instructions: SLDT, STR, LLDT, LTR, VERR, VERW, SGDT, SIDT, LGDT, LIDT, SMSW,
 * LMSW, INVLPG, LAR, LSL, CLTS, INVD, WBINVD ({@code sub} 0..17), MOV to/from CRn and DRn,
 * and ARPL. Privilege: CPL 0 where the SDM requires it (#GP(0) otherwise, including
 * virtual-8086 mode); the protected-mode-only ones raise #UD in real and V86 mode.
 */
final class SystemOps {
    private SystemOps() {
    }

    static final int SLDT = 0;
    static final int STR = 1;
    static final int LLDT = 2;
    static final int LTR = 3;
    static final int VERR = 4;
    static final int VERW = 5;
    static final int SGDT = 6;
    static final int SIDT = 7;
    static final int LGDT = 8;
    static final int LIDT = 9;
    static final int SMSW = 10;
    static final int LMSW = 11;
    static final int INVLPG = 12;
    static final int LAR = 13;
    static final int LSL = 14;
    static final int CLTS = 15;
    static final int INVD = 16;
    static final int WBINVD = 17;

    static void requireCpl0(Cpu c) {
        if (c.protectedMode() && (c.cpl != 0 || c.v86())) {
            throw c.gp(0);
        }
    }

    static void requireProtected(Cpu c) {
        if (!c.protectedMode() || c.v86()) {
            throw c.ud();
        }
    }

    static final class Sys extends Insn {
        @Override
        public void exec(Cpu c) {
            switch (sub) {
                case SLDT:
                case STR: {
                    requireProtected(c);
                    int v = c.sel[sub == SLDT ? Reg.LDTR : Reg.TR];
                    if (mem) {
                        c.write16(seg, ea(c), v);
                    } else {
                        c.setReg(o32 ? 2 : 1, rm, v);
                    }
                    break;
                }
                case LLDT:
                    requireProtected(c);
                    requireCpl0(c);
                    lldt(c, mem ? c.read16(seg, ea(c)) : c.reg16(rm));
                    break;
                case LTR:
                    requireProtected(c);
                    requireCpl0(c);
                    ltr(c, mem ? c.read16(seg, ea(c)) : c.reg16(rm));
                    break;
                case VERR:
                case VERW:
                    requireProtected(c);
                    verify(c, mem ? c.read16(seg, ea(c)) : c.reg16(rm), sub == VERW);
                    break;
                case SGDT:
                case SIDT: {
                    int off = ea(c);
                    int base = sub == SGDT ? c.gdtBase : c.idtBase;
                    int limit = sub == SGDT ? c.gdtLimit : c.idtLimit;
                    c.linear(seg, off, 1, true);
                    c.linear(seg, (off + 2) & amask, 2, true);
                    c.write16(seg, off, limit);
                    c.write32(seg, (off + 2) & amask, o32 ? base : base & 0x00FFFFFF);
                    break;
                }
                case LGDT:
                case LIDT: {
                    requireCpl0(c);
                    int off = ea(c);
                    int limit = c.read16(seg, off);
                    int base = c.read32(seg, (off + 2) & amask);
                    if (!o32) {
                        base &= 0x00FFFFFF;
                    }
                    if (sub == LGDT) {
                        c.gdtBase = base;
                        c.gdtLimit = limit;
                    } else {
                        c.idtBase = base;
                        c.idtLimit = limit;
                    }
                    break;
                }
                case SMSW:
                    if (mem) {
                        c.write16(seg, ea(c), c.cr0);
                    } else {
                        c.setReg(o32 ? 2 : 1, rm, c.cr0);
                    }
                    break;
                case LMSW: {
                    requireCpl0(c);
                    int v = mem ? c.read16(seg, ea(c)) : c.reg16(rm);
                    // PE can be set but not cleared; MP, EM, TS are loaded
                    int n = (c.cr0 & ~0xE) | (v & 0xF) | (c.cr0 & 1);
                    c.setCr0(n);
                    break;
                }
                case INVLPG:
                    requireCpl0(c);
                    c.mmu.invalidatePage(c.segBase[seg] + ea(c));
                    c.exitBlock = true;
                    break;
                case LAR:
                case LSL:
                    requireProtected(c);
                    larLsl(c, mem ? c.read16(seg, ea(c)) : c.reg16(rm));
                    break;
                case CLTS:
                    requireCpl0(c);
                    c.cr0 &= ~Cpu.CR0_TS;
                    break;
                default: // INVD, WBINVD: no caches are modelled
                    requireCpl0(c);
                    break;
            }
        }

        private void larLsl(Cpu c, int selector) {
            if ((selector & 0xFFFC) == 0) {
                c.setArith(0, Flags.ZF);
                return;
            }
            long d = Descriptor.read(c, selector);
            boolean ok = d != Descriptor.OUT_OF_LIMIT;
            if (ok) {
                int t = Descriptor.type(d);
                if (!Descriptor.isSegment(d)) {
                    ok = sub == LAR ? (t == 1 || t == 2 || t == 3 || t == 4 || t == 5 || t == 9 || t == 11 || t == 12)
                        : (t == 1 || t == 2 || t == 3 || t == 9 || t == 11);
                }
                if (ok && !Descriptor.isConforming(d)) {
                    int dpl = Descriptor.dpl(d);
                    ok = dpl >= c.cpl && dpl >= (selector & 3);
                }
            }
            if (!ok) {
                c.setArith(0, Flags.ZF);
                return;
            }
            int v = sub == LAR ? Descriptor.hi(d) & (o32 ? 0x00F0FF00 : 0xFF00) : Descriptor.limit(d);
            c.setReg(o32 ? 2 : 1, reg, v);
            c.setArith(Flags.ZF, Flags.ZF);
        }
    }

    static void lldt(Cpu c, int selector) {
        if ((selector & 0xFFFC) == 0) {
            c.setSegmentCache(Reg.LDTR, selector, 0, 0, 0);
            return;
        }
        if ((selector & 4) != 0) {
            throw Segmentation.gpSel(c, selector);
        }
        long d = Descriptor.read(c, selector);
        if (d == Descriptor.OUT_OF_LIMIT || Descriptor.isSegment(d) || Descriptor.type(d) != Descriptor.TYPE_LDT) {
            throw Segmentation.gpSel(c, selector);
        }
        if (!Descriptor.present(d)) {
            throw c.exception(Vector.NP, selector & 0xFFFC);
        }
        c.setSegmentCache(Reg.LDTR, selector, Descriptor.base(d), Descriptor.limit(d), Descriptor.attr(d));
    }

    static void ltr(Cpu c, int selector) {
        if ((selector & 0xFFFC) == 0) {
            throw c.gp(0);
        }
        if ((selector & 4) != 0) {
            throw Segmentation.gpSel(c, selector);
        }
        long d = Descriptor.read(c, selector);
        int t = d == Descriptor.OUT_OF_LIMIT ? -1 : Descriptor.type(d);
        if (d == Descriptor.OUT_OF_LIMIT || Descriptor.isSegment(d)
            || (t != Descriptor.TYPE_TSS16_AVAIL && t != Descriptor.TYPE_TSS32_AVAIL)) {
            throw Segmentation.gpSel(c, selector);
        }
        if (!Descriptor.present(d)) {
            throw c.exception(Vector.NP, selector & 0xFFFC);
        }
        long a = Descriptor.address(c, selector);
        c.writeSys32((int) a + 4, Descriptor.hi(d) | 0x200);
        c.setSegmentCache(Reg.TR, selector, Descriptor.base(d), Descriptor.limit(d), Descriptor.attr(d) | 0x2);
    }

    private static void verify(Cpu c, int selector, boolean write) {
        boolean ok = false;
        if ((selector & 0xFFFC) != 0) {
            long d = Descriptor.read(c, selector);
            if (d != Descriptor.OUT_OF_LIMIT && Descriptor.isSegment(d)) {
                boolean access = write ? Descriptor.isWritableData(d) : Descriptor.isReadable(d);
                boolean priv = Descriptor.isConforming(d)
                    || (Descriptor.dpl(d) >= c.cpl && Descriptor.dpl(d) >= (selector & 3));
                ok = access && priv;
            }
        }
        c.setArith(ok ? Flags.ZF : 0, Flags.ZF);
    }

    /** MOV r32, CRn ({@code sub} 0) / MOV CRn, r32 ({@code sub} 1); n in {@code reg}. */
    static final class MovCr extends Insn {
        @Override
        public void exec(Cpu c) {
            requireCpl0(c);
            if (reg != 0 && reg != 2 && reg != 3 && reg != 4) {
                throw c.ud();
            }
            if (sub == 0) {
                int v = reg == 0 ? c.cr0 : reg == 2 ? c.cr2 : reg == 3 ? c.cr3 : c.cr4;
                c.r[rm] = v;
                return;
            }
            int v = c.r[rm];
            switch (reg) {
                case 0:
                    if ((v & Cpu.CR0_PG) != 0 && (v & Cpu.CR0_PE) == 0) {
                        throw c.gp(0);
                    }
                    if ((v & Cpu.CR0_NW) != 0 && (v & Cpu.CR0_CD) == 0) {
                        throw c.gp(0);
                    }
                    c.setCr0(v);
                    break;
                case 2:
                    c.cr2 = v;
                    break;
                case 3:
                    c.setCr3(v);
                    break;
                default:
                    if ((v & ~(Cpu.CR4_TSD | Cpu.CR4_DE | Cpu.CR4_PSE | Cpu.CR4_PGE | Cpu.CR4_PCE)) != 0) {
                        throw c.gp(0);
                    }
                    c.setCr4(v);
                    break;
            }
        }
    }

    /** MOV r32, DRn ({@code sub} 0) / MOV DRn, r32 ({@code sub} 1). */
    static final class MovDr extends Insn {
        @Override
        public void exec(Cpu c) {
            requireCpl0(c);
            int n = reg;
            if (n == 4 || n == 5) {
                if ((c.cr4 & Cpu.CR4_DE) != 0) {
                    throw c.ud();
                }
                n += 2;
            }
            if (sub == 0) {
                c.r[rm] = c.dr[n];
            } else {
                int v = c.r[rm];
                if (n == 6) {
                    v = (v & 0x0000E00F) | 0xFFFF0FF0;
                } else if (n == 7) {
                    v = (v & 0xFFFF2FFF) | 0x400;
                }
                c.dr[n] = v;
            }
        }
    }

    /** ARPL r/m16, r16: raises the destination RPL to the source RPL. */
    static final class Arpl extends Insn {
        @Override
        public void exec(Cpu c) {
            requireProtected(c);
            int src = c.reg16(reg);
            if (!mem) {
                int d = c.reg16(rm);
                if ((d & 3) < (src & 3)) {
                    c.setReg16(rm, (d & ~3) | (src & 3));
                    c.setArith(Flags.ZF, Flags.ZF);
                } else {
                    c.setArith(0, Flags.ZF);
                }
                return;
            }
            int off = ea(c);
            int d = c.read16(seg, off);
            if ((d & 3) < (src & 3)) {
                c.write16(seg, off, (d & ~3) | (src & 3));
                c.setArith(Flags.ZF, Flags.ZF);
            } else {
                c.setArith(0, Flags.ZF);
            }
        }
    }
}
