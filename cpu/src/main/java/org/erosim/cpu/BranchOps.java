package org.erosim.cpu;

/**
 * Control transfers: Jcc, JMP, CALL, RET, LOOP/JCXZ (near, {@code imm} holds the absolute
 * target), far JMP/CALL/RET, INT n/INT3/INTO/INT1 and IRET. Conditional transfers sit
 * inside blocks; when one is taken, EIP no longer equals its {@code next}, which is how
 * the interpreter and compiled blocks notice that the rest of the block is skipped. Far transfers in protected
 * mode go through {@link Segmentation}; interrupts through {@link Interrupts}.
 *
 * <p>A near target beyond the CS limit raises #GP(0) at the branch (EIP unchanged); for
 * relative targets this is decided once at decode time ({@link Insn#targetInLimit}).
 */
final class BranchOps {
    private BranchOps() {
    }

    static void checkTarget(Cpu c, int target) {
        if (Integer.compareUnsigned(target, c.segLimit[Reg.CS]) > 0) {
            throw c.gp(0);
        }
    }

    /**
     * Jcc: one subclass per condition so the test is known statically (inlined in compiled
     * blocks); {@code imm} is the target, {@code imm2} the extra cycles when taken.
     */
    abstract static class Jcc extends Insn {
        abstract boolean taken(Cpu c);

        @Override
        final boolean isConditionalBranch() {
            return true;
        }

        @Override
        public final void exec(Cpu c) {
            if (taken(c)) {
                if (!targetInLimit) {
                    checkTarget(c, imm);
                }
                c.eip = imm;
                c.cycles += imm2;
            }
        }
    }

    static final class Jo extends Jcc {
        @Override
        boolean taken(Cpu c) {
            return Flags.of(c);
        }
    }

    static final class Jno extends Jcc {
        @Override
        boolean taken(Cpu c) {
            return !Flags.of(c);
        }
    }

    static final class Jb extends Jcc {
        @Override
        boolean taken(Cpu c) {
            return Flags.below(c);
        }
    }

    static final class Jae extends Jcc {
        @Override
        boolean taken(Cpu c) {
            return !Flags.below(c);
        }
    }

    static final class Je extends Jcc {
        @Override
        boolean taken(Cpu c) {
            return Flags.zf(c);
        }
    }

    static final class Jne extends Jcc {
        @Override
        boolean taken(Cpu c) {
            return !Flags.zf(c);
        }
    }

    static final class Jbe extends Jcc {
        @Override
        boolean taken(Cpu c) {
            return Flags.belowOrEqual(c);
        }
    }

    static final class Ja extends Jcc {
        @Override
        boolean taken(Cpu c) {
            return !Flags.belowOrEqual(c);
        }
    }

    static final class Js extends Jcc {
        @Override
        boolean taken(Cpu c) {
            return Flags.sf(c);
        }
    }

    static final class Jns extends Jcc {
        @Override
        boolean taken(Cpu c) {
            return !Flags.sf(c);
        }
    }

    static final class Jp extends Jcc {
        @Override
        boolean taken(Cpu c) {
            return Flags.pf(c);
        }
    }

    static final class Jnp extends Jcc {
        @Override
        boolean taken(Cpu c) {
            return !Flags.pf(c);
        }
    }

    static final class Jl extends Jcc {
        @Override
        boolean taken(Cpu c) {
            return Flags.less(c);
        }
    }

    static final class Jge extends Jcc {
        @Override
        boolean taken(Cpu c) {
            return !Flags.less(c);
        }
    }

    static final class Jle extends Jcc {
        @Override
        boolean taken(Cpu c) {
            return Flags.lessOrEqual(c);
        }
    }

    static final class Jg extends Jcc {
        @Override
        boolean taken(Cpu c) {
            return !Flags.lessOrEqual(c);
        }
    }

    /** The Jcc class for condition code {@code cc} (0..15). */
    static Jcc jcc(int cc) {
        switch (cc) {
            case 0: return new Jo();
            case 1: return new Jno();
            case 2: return new Jb();
            case 3: return new Jae();
            case 4: return new Je();
            case 5: return new Jne();
            case 6: return new Jbe();
            case 7: return new Ja();
            case 8: return new Js();
            case 9: return new Jns();
            case 10: return new Jp();
            case 11: return new Jnp();
            case 12: return new Jl();
            case 13: return new Jge();
            case 14: return new Jle();
            default: return new Jg();
        }
    }

    /** JMP rel. */
    static final class Jmp extends Insn {
        @Override
        public void exec(Cpu c) {
            if (!targetInLimit) {
                checkTarget(c, imm);
            }
            c.eip = imm;
        }
    }

    /** JMP r/m. */
    static final class JmpIndirect extends Insn {
        @Override
        public void exec(Cpu c) {
            int t = readE(c);
            checkTarget(c, t);
            c.eip = t;
        }
    }

    /** CALL rel: pushes the return address, then jumps. */
    static final class Call extends Insn {
        @Override
        public void exec(Cpu c) {
            if (!targetInLimit) {
                checkTarget(c, imm);
            }
            c.push(o32, next);
            c.eip = imm;
        }
    }

    /** CALL r/m: the target is read before the push. */
    static final class CallIndirect extends Insn {
        @Override
        public void exec(Cpu c) {
            int t = readE(c);
            checkTarget(c, t);
            c.push(o32, next);
            c.eip = t;
        }
    }

    /** RET [imm16]. */
    static final class Ret extends Insn {
        @Override
        public void exec(Cpu c) {
            int t = c.peek(o32, 0);
            if (!o32) {
                t &= 0xFFFF;
            }
            checkTarget(c, t);
            c.setSp(c.sp() + (o32 ? 4 : 2) + imm);
            c.eip = t;
        }
    }

    /** LOOPNE ({@code sub} 0), LOOPE (1), LOOP (2); the counter is CX or ECX by address size. */
    static final class Loop extends Insn {
        @Override
        boolean isConditionalBranch() {
            return true;
        }

        @Override
        public void exec(Cpu c) {
            int count;
            if (a32) {
                count = c.r[Reg.ECX] - 1;
            } else {
                count = (c.r[Reg.ECX] - 1) & 0xFFFF;
            }
            boolean take = count != 0;
            if (take && sub == 0) {
                take = !Flags.zf(c);
            } else if (take && sub == 1) {
                take = Flags.zf(c);
            }
            if (take && !targetInLimit) {
                checkTarget(c, imm);
            }
            if (a32) {
                c.r[Reg.ECX] = count;
            } else {
                c.setReg16(Reg.ECX, count);
            }
            if (take) {
                c.eip = imm;
            }
        }
    }

    static final class Jcxz extends Insn {
        @Override
        boolean isConditionalBranch() {
            return true;
        }

        @Override
        public void exec(Cpu c) {
            int count = a32 ? c.r[Reg.ECX] : c.r[Reg.ECX] & 0xFFFF;
            if (count == 0) {
                if (!targetInLimit) {
                    checkTarget(c, imm);
                }
                c.eip = imm;
            }
        }
    }

    /** JMP ptr16:16/32 ({@code sub} 0, immediate) or JMP m16:16/32 ({@code sub} 1). */
    static final class JmpFar extends Insn {
        @Override
        public void exec(Cpu c) {
            int offset;
            int selector;
            if (sub == 0) {
                offset = imm;
                selector = imm2;
            } else {
                int off = ea(c);
                offset = o32 ? c.read32(seg, off) : c.read16(seg, off);
                selector = c.read16(seg, (off + (o32 ? 4 : 2)) & amask);
            }
            if (!c.protectedMode() || c.v86()) {
                if (!o32) {
                    offset &= 0xFFFF;
                }
                checkTarget(c, offset);
                c.loadSegmentReal(Reg.CS, selector);
                c.eip = offset;
                return;
            }
            Segmentation.farJump(c, selector, offset, o32);
        }
    }

    /** CALL ptr16:16/32 ({@code sub} 0) or CALL m16:16/32 ({@code sub} 1). */
    static final class CallFar extends Insn {
        @Override
        public void exec(Cpu c) {
            int offset;
            int selector;
            if (sub == 0) {
                offset = imm;
                selector = imm2;
            } else {
                int off = ea(c);
                offset = o32 ? c.read32(seg, off) : c.read16(seg, off);
                selector = c.read16(seg, (off + (o32 ? 4 : 2)) & amask);
            }
            if (!c.protectedMode() || c.v86()) {
                if (!o32) {
                    offset &= 0xFFFF;
                }
                checkTarget(c, offset);
                int oldEsp = c.r[Reg.ESP];
                try {
                    c.push(o32, c.sel[Reg.CS]);
                    c.push(o32, next);
                } catch (CpuFault f) {
                    c.r[Reg.ESP] = oldEsp;
                    throw f;
                }
                c.loadSegmentReal(Reg.CS, selector);
                c.eip = offset;
                return;
            }
            Segmentation.farCall(c, selector, offset, o32, next);
        }
    }

    /** RETF [imm16]. */
    static final class RetFar extends Insn {
        @Override
        public void exec(Cpu c) {
            if (!c.protectedMode() || c.v86()) {
                int n = o32 ? 4 : 2;
                int offset = c.peek(o32, 0);
                int selector = c.peek(o32, n) & 0xFFFF;
                if (!o32) {
                    offset &= 0xFFFF;
                }
                checkTarget(c, offset);
                c.loadSegmentReal(Reg.CS, selector);
                c.setSp(c.sp() + 2 * n + imm);
                c.eip = offset;
                return;
            }
            Segmentation.farReturn(c, o32, imm);
        }
    }

    /** INT n ({@code sub} 0), INT3 (1), INTO (2), INT1/ICEBP (3). */
    static final class Int extends Insn {
        @Override
        public void exec(Cpu c) {
            switch (sub) {
                case 0:
                    Interrupts.software(c, imm & 0xFF, true);
                    break;
                case 1:
                    Interrupts.software(c, Vector.BP, false);
                    break;
                case 2:
                    if (Flags.of(c)) {
                        Interrupts.software(c, Vector.OF, false);
                    }
                    break;
                default:
                    Interrupts.debugTrap(c);
                    break;
            }
        }
    }

    static final class Iret extends Insn {
        @Override
        public void exec(Cpu c) {
            Interrupts.iret(c, o32);
        }
    }
}
