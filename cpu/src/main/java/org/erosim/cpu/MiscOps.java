package org.erosim.cpu;

/**
 * Everything without operands worth a family: #UD, NOP, HLT, flag bit operations,
 * WAIT/ESC (no FPU), CPUID, RDTSC, RDMSR/WRMSR/RDPMC, IN/OUT, BOUND, XADD, CMPXCHG,
 * CMPXCHG8B.
 */
final class MiscOps {
    private MiscOps() {
    }

    /** An undefined opcode (#UD), or an instruction longer than 15 bytes (#GP(0), {@code sub} 1). */
    static final class Ud extends Insn {
        @Override
        public void exec(Cpu c) {
            throw sub == 1 ? c.gp(0) : c.ud();
        }
    }

    static final class Nop extends Insn {
        @Override
        public void exec(Cpu c) {
        }
    }

    /** HLT: privileged; the interpreter idles until an interrupt (or ends the run). */
    static final class Hlt extends Insn {
        @Override
        public void exec(Cpu c) {
            if (c.protectedMode() && c.cpl != 0) {
                throw c.gp(0);
            }
            c.halted = true;
            c.exitBlock = true;
        }
    }

    /** CMC, CLC, STC, CLI, STI, CLD, STD ({@code sub} 0..6). */
    static final class FlagOp extends Insn {
        @Override
        public void exec(Cpu c) {
            switch (sub) {
                case 0:
                    c.setArith(Flags.cf(c) ^ 1, Flags.CF);
                    break;
                case 1:
                    c.setArith(0, Flags.CF);
                    break;
                case 2:
                    c.setArith(Flags.CF, Flags.CF);
                    break;
                case 3:
                    checkIopl(c);
                    c.eflags &= ~Flags.IF;
                    break;
                case 4:
                    checkIopl(c);
                    if ((c.eflags & Flags.IF) == 0) {
                        c.eflags |= Flags.IF;
                        c.interruptShadow = true;
                        c.exitBlock = true;
                    }
                    break;
                case 5:
                    c.eflags &= ~Flags.DF;
                    break;
                default:
                    c.eflags |= Flags.DF;
                    break;
            }
        }

        private static void checkIopl(Cpu c) {
            if (c.protectedMode() && c.cpl > c.iopl()) {
                throw c.gp(0);
            }
        }
    }

    /** WAIT: #NM if CR0.MP and CR0.TS; otherwise nothing (there is no FPU to wait for). */
    static final class Wait extends Insn {
        @Override
        public void exec(Cpu c) {
            if ((c.cr0 & (Cpu.CR0_MP | Cpu.CR0_TS)) == (Cpu.CR0_MP | Cpu.CR0_TS)) {
                throw c.exception(Vector.NM, 0);
            }
        }
    }

    /**
     * ESC (x87 opcodes D8-DF): #NM if CR0.EM or CR0.TS; otherwise, with no FPU present,
     * nothing happens beyond the segment check of a memory operand — which is how
     * FNINIT/FNSTSW probes detect the missing coprocessor.
     */
    static final class Esc extends Insn {
        @Override
        public void exec(Cpu c) {
            if ((c.cr0 & (Cpu.CR0_EM | Cpu.CR0_TS)) != 0) {
                throw c.exception(Vector.NM, 0);
            }
            if (mem) {
                // the memory operand is still addressed: its first word must lie within the
                // segment (what an FPU-less 80286 checks; see docs/conformance.md)
                c.linear(seg, ea(c), 1, false);
            }
        }
    }

    static final class Cpuid extends Insn {
        @Override
        public void exec(Cpu c) {
            CpuidLeaves.execute(c);
        }
    }

    static final class Rdtsc extends Insn {
        @Override
        public void exec(Cpu c) {
            if ((c.cr4 & Cpu.CR4_TSD) != 0 && c.cpl != 0 && c.protectedMode()) {
                throw c.gp(0);
            }
            long t = c.tsc();
            c.r[Reg.EAX] = (int) t;
            c.r[Reg.EDX] = (int) (t >>> 32);
        }
    }

    /** RDMSR ({@code sub} 0), WRMSR (1), RDPMC (2). */
    static final class Msr extends Insn {
        @Override
        public void exec(Cpu c) {
            if (sub == 2) {
                if ((c.cpl != 0 && (c.cr4 & Cpu.CR4_PCE) == 0) || Integer.compareUnsigned(c.r[Reg.ECX], 1) > 0) {
                    throw c.gp(0);
                }
                c.r[Reg.EAX] = 0; // no performance counters are modelled
                c.r[Reg.EDX] = 0;
                return;
            }
            if (c.cpl != 0 || c.v86()) {
                throw c.gp(0);
            }
            int msr = c.r[Reg.ECX];
            if (!Msrs.exists(msr)) {
                throw c.gp(0);
            }
            if (sub == 0) {
                long v = c.msrs.read(c, msr);
                c.r[Reg.EAX] = (int) v;
                c.r[Reg.EDX] = (int) (v >>> 32);
            } else {
                c.msrs.write(c, msr, ((long) c.r[Reg.EDX] << 32) | (c.r[Reg.EAX] & 0xFFFFFFFFL));
            }
        }
    }

    /** IN acc, imm8|DX ({@code imm2} = 1: port in DX). */
    static final class In extends Insn {
        @Override
        public void exec(Cpu c) {
            int port = imm2 != 0 ? c.r[Reg.EDX] & 0xFFFF : imm & 0xFF;
            int n = 1 << sz;
            Io.checkPort(c, port, n);
            c.setReg(sz, Reg.EAX, c.io.in(port, n));
        }
    }

    /** OUT imm8|DX, acc ({@code imm2} = 1: port in DX). */
    static final class Out extends Insn {
        @Override
        public void exec(Cpu c) {
            int port = imm2 != 0 ? c.r[Reg.EDX] & 0xFFFF : imm & 0xFF;
            int n = 1 << sz;
            Io.checkPort(c, port, n);
            c.io.out(port, n, c.reg(sz, Reg.EAX));
            c.exitBlock = true; // a device may have raised an interrupt or ended the run
        }
    }

    /** BOUND reg, m16&16 | m32&32: #BR if the signed index is outside [lower, upper]. */
    static final class Bound extends Insn {
        @Override
        public void exec(Cpu c) {
            int off = ea(c);
            int idx;
            int lo;
            int hi;
            if (o32) {
                idx = c.r[reg];
                lo = c.read32(seg, off);
                hi = c.read32(seg, (off + 4) & amask);
            } else {
                idx = (short) c.r[reg];
                lo = (short) c.read16(seg, off);
                hi = (short) c.read16(seg, (off + 2) & amask);
            }
            if (idx < lo || idx > hi) {
                throw c.exception(Vector.BR, 0);
            }
        }
    }

    /** XADD r/m, reg. */
    static final class Xadd extends Insn {
        @Override
        public void exec(Cpu c) {
            int s = c.reg(sz, reg);
            if (!mem) {
                int d = c.reg(sz, rm);
                int r = AluOps.alu(c, AluOps.ADD, sz, d, s);
                c.setReg(sz, reg, d);
                c.setReg(sz, rm, r);
                return;
            }
            int lin = c.linear(seg, ea(c), sz, true);
            long h = c.rmwHost(lin, 1 << sz);
            int d = h >= 0 ? AluOps.hostGet(h, sz) : AluOps.readLin(c, sz, lin);
            int r = AluOps.alu(c, AluOps.ADD, sz, d, s);
            if (h >= 0) {
                AluOps.hostPut(h, sz, r);
            } else {
                AluOps.writeLin(c, sz, lin, r);
            }
            c.setReg(sz, reg, d);
        }
    }

    /** CMPXCHG r/m, reg: the destination is always written (with itself when unequal). */
    static final class Cmpxchg extends Insn {
        @Override
        public void exec(Cpu c) {
            int acc = c.reg(sz, Reg.EAX);
            int s = c.reg(sz, reg);
            if (!mem) {
                int d = c.reg(sz, rm);
                AluOps.alu(c, AluOps.CMP, sz, acc, d);
                if (Flags.zf(c)) {
                    c.setReg(sz, rm, s);
                } else {
                    c.setReg(sz, Reg.EAX, d);
                }
                return;
            }
            int lin = c.linear(seg, ea(c), sz, true);
            long h = c.rmwHost(lin, 1 << sz);
            int d = h >= 0 ? AluOps.hostGet(h, sz) : AluOps.readLin(c, sz, lin);
            AluOps.alu(c, AluOps.CMP, sz, acc, d);
            boolean eq = Flags.zf(c);
            int w = eq ? s : d;
            if (h >= 0) {
                AluOps.hostPut(h, sz, w);
            } else {
                AluOps.writeLin(c, sz, lin, w);
            }
            if (!eq) {
                c.setReg(sz, Reg.EAX, d);
            }
        }
    }

    /** CMPXCHG8B m64. */
    static final class Cmpxchg8b extends Insn {
        @Override
        public void exec(Cpu c) {
            int off = ea(c);
            int lin = c.linear(seg, off, 2, true);
            c.linear(seg, (off + 4) & amask, 2, true);
            long h = c.rmwHost(lin, 8);
            int lo = h >= 0 ? org.agrona.UnsafeApi.getInt(h) : c.readLin32(lin);
            int hi = h >= 0 ? org.agrona.UnsafeApi.getInt(h + 4) : c.readLin32(lin + 4);
            boolean eq = lo == c.r[Reg.EAX] && hi == c.r[Reg.EDX];
            int wlo = eq ? c.r[Reg.EBX] : lo;
            int whi = eq ? c.r[Reg.ECX] : hi;
            if (h >= 0) {
                org.agrona.UnsafeApi.putInt(h, wlo);
                org.agrona.UnsafeApi.putInt(h + 4, whi);
            } else {
                c.writeLin32(lin, wlo);
                c.writeLin32(lin + 4, whi);
            }
            if (!eq) {
                c.r[Reg.EAX] = lo;
                c.r[Reg.EDX] = hi;
            }
            c.setArith(eq ? Flags.ZF : 0, Flags.ZF);
        }
    }
}
