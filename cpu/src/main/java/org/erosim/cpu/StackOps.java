package org.erosim.cpu;

/**
 * PUSH/POP of registers, immediates, memory and segment registers, PUSHA/POPA, PUSHF/POPF,
 * ENTER and LEAVE. Stack width follows SS.B; operand width follows the operand size.
 * A faulting instruction leaves ESP as it was (restartable).
 */
final class StackOps {
    private StackOps() {
    }

    /** PUSH reg. PUSH ESP pushes the value before the decrement. */
    static final class PushReg extends Insn {
        @Override
        public void exec(Cpu c) {
            c.push(o32, c.r[rm]);
        }
    }

    static final class PushImm extends Insn {
        @Override
        public void exec(Cpu c) {
            c.push(o32, imm);
        }
    }

    /** PUSH r/m: the operand is read with the ESP before the push. */
    static final class PushMem extends Insn {
        @Override
        public void exec(Cpu c) {
            c.push(o32, readE(c));
        }
    }

    /** POP reg. POP ESP loads the popped value into ESP. */
    static final class PopReg extends Insn {
        @Override
        public void exec(Cpu c) {
            int v = c.pop(o32);
            c.setReg(sz, rm, v);
        }
    }

    /** POP r/m: an ESP-based address is computed after the increment. */
    static final class PopMem extends Insn {
        @Override
        public void exec(Cpu c) {
            int oldEsp = c.r[Reg.ESP];
            int v = c.pop(o32);
            try {
                writeE(c, v);
            } catch (CpuFault f) {
                c.r[Reg.ESP] = oldEsp;
                throw f;
            }
        }
    }

    /**
     * PUSH Sreg. With a 32-bit operand the stack pointer moves by 4 and only the low word is
     * written (P6 behaviour).
     */
    static final class PushSreg extends Insn {
        @Override
        public void exec(Cpu c) {
            int v = c.sel[sub];
            if (o32) {
                int sp = (c.r[Reg.ESP] - 4) & c.stackMask;
                c.write16(Reg.SS, sp, v);
                c.setSp(sp);
            } else {
                c.push16(v);
            }
        }
    }

    /** POP Sreg: the segment is loaded (and may fault) before ESP moves. */
    static final class PopSreg extends Insn {
        @Override
        public void exec(Cpu c) {
            int v = c.peek(o32, 0) & 0xFFFF;
            Segmentation.loadData(c, sub, v);
            c.setSp(c.sp() + (o32 ? 4 : 2));
            if (sub == Reg.SS) {
                c.interruptShadow = true;
            }
        }
    }

    static final class Pusha extends Insn {
        @Override
        public void exec(Cpu c) {
            int oldEsp = c.r[Reg.ESP];
            int n = o32 ? 4 : 2;
            int sp = c.sp();
            try {
                for (int k = 0; k < 8; k++) {
                    int v = k == Reg.ESP ? oldEsp : c.r[k];
                    sp = (sp - n) & c.stackMask;
                    if (o32) {
                        c.write32(Reg.SS, sp, v);
                    } else {
                        c.write16(Reg.SS, sp, v);
                    }
                }
            } catch (CpuFault f) {
                c.r[Reg.ESP] = oldEsp;
                throw f;
            }
            c.setSp(sp);
        }
    }

    /** POPA: all values are read before any register changes; ESP's slot is skipped. */
    static final class Popa extends Insn {
        @Override
        public void exec(Cpu c) {
            int n = o32 ? 4 : 2;
            int sp = c.sp();
            int edi = c.peek(o32, 0);
            int esi = c.peek(o32, n);
            int ebp = c.peek(o32, 2 * n);
            int ebx = c.peek(o32, 4 * n);
            int edx = c.peek(o32, 5 * n);
            int ecx = c.peek(o32, 6 * n);
            int eax = c.peek(o32, 7 * n);
            int sz = o32 ? 2 : 1;
            c.setReg(sz, Reg.EDI, edi);
            c.setReg(sz, Reg.ESI, esi);
            c.setReg(sz, Reg.EBP, ebp);
            c.setReg(sz, Reg.EBX, ebx);
            c.setReg(sz, Reg.EDX, edx);
            c.setReg(sz, Reg.ECX, ecx);
            c.setReg(sz, Reg.EAX, eax);
            c.setSp(sp + 8 * n);
        }
    }

    /** PUSHF/PUSHFD: VM and RF read as zero in the pushed image. V86 needs IOPL 3. */
    static final class Pushf extends Insn {
        @Override
        public void exec(Cpu c) {
            if (c.v86() && c.iopl() < 3) {
                throw c.gp(0);
            }
            int f = c.eflags() & ~(Flags.VM | Flags.RF);
            c.push(o32, f);
        }
    }

    /** POPF/POPFD with the privilege rules for IOPL, IF and VM. */
    static final class Popf extends Insn {
        @Override
        public void exec(Cpu c) {
            if (c.v86() && c.iopl() < 3) {
                throw c.gp(0);
            }
            int v = c.peek(o32, 0);
            c.setSp(c.sp() + (o32 ? 4 : 2));
            popFlags(c, v, o32);
        }
    }

    /** Applies a popped flags image (POPF and the 16-bit part of IRET in real/V86 mode). */
    static void popFlags(Cpu c, int v, boolean o32) {
        int mask = Flags.ARITH | Flags.TF | Flags.DF | Flags.NT;
        if (o32) {
            mask |= Flags.AC | Flags.ID;
        }
        if (!c.protectedMode() || c.cpl == 0) {
            mask |= Flags.IOPL | Flags.IF;
        } else if (c.cpl <= c.iopl()) {
            mask |= Flags.IF;
        }
        if (c.v86()) {
            mask |= Flags.IF; // IOPL == 3 here
            mask &= ~Flags.IOPL;
        }
        boolean ifWas = (c.eflags & Flags.IF) != 0;
        c.setEflags(v, mask);
        if (!ifWas && (c.eflags & Flags.IF) != 0) {
            c.exitBlock = true;
        }
    }

    /** ENTER size, level. */
    static final class Enter extends Insn {
        @Override
        public void exec(Cpu c) {
            int size = imm & 0xFFFF;
            int level = imm2 & 31;
            int oldEsp = c.r[Reg.ESP];
            int oldEbp = c.r[Reg.EBP];
            int n = o32 ? 4 : 2;
            try {
                c.push(o32, oldEbp);
                int frame = c.sp();
                if (level > 0) {
                    int bp = oldEbp;
                    for (int k = 1; k < level; k++) {
                        bp = (bp - n) & c.stackMask;
                        int v = o32 ? c.read32(Reg.SS, bp) : c.read16(Reg.SS, bp);
                        c.push(o32, v);
                    }
                    c.push(o32, frame);
                }
                int sp = (c.sp() - size) & c.stackMask;
                // the new stack top must be writable (hardware probes it)
                c.linear(Reg.SS, sp, 0, true);
                if (o32) {
                    c.r[Reg.EBP] = frame;
                } else {
                    c.setReg16(Reg.EBP, frame);
                }
                c.setSp(sp);
            } catch (CpuFault f) {
                c.r[Reg.ESP] = oldEsp;
                c.r[Reg.EBP] = oldEbp;
                throw f;
            }
        }
    }

    /** LEAVE: ESP = EBP (stack width), then pop EBP. */
    static final class Leave extends Insn {
        @Override
        public void exec(Cpu c) {
            int bp = c.r[Reg.EBP] & c.stackMask;
            int v = o32 ? c.read32(Reg.SS, bp) : c.read16(Reg.SS, bp);
            c.setSp(bp + (o32 ? 4 : 2));
            if (o32) {
                c.r[Reg.EBP] = v;
            } else {
                c.setReg16(Reg.EBP, v);
            }
        }
    }
}
