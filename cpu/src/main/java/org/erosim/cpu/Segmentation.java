package org.erosim.cpu;

/**
 * Protected-mode segment register loads and far transfers (JMP, CALL, RET) with every
 * privilege and type check of the SDM, including call gates with stack switching and
 * parameter copying, and transfers to TSS descriptors and task gates.
 *
 * <p>Discipline: every check that can fault is done, and every push to a new stack is
 * written, before any register changes, so a fault leaves the old state intact and the
 * instruction restartable.
 */
final class Segmentation {
    private Segmentation() {
    }

    static CpuFault gpSel(Cpu c, int selector) {
        return c.gp(selector & 0xFFFC);
    }

    /** MOV/POP/LxS into ES, SS, DS, FS or GS. CS is never loaded here (#UD by the decoder). */
    static void loadData(Cpu c, int s, int selector) {
        if (s == Reg.CS || s > Reg.GS) {
            throw c.ud();
        }
        if (!c.protectedMode() || c.v86()) {
            c.loadSegmentReal(s, selector);
            return;
        }
        if (s == Reg.SS) {
            loadStack(c, selector, c.cpl, Vector.GP);
            return;
        }
        if ((selector & 0xFFFC) == 0) {
            c.setSegmentCache(s, selector, 0, 0, 0); // null: unusable until reloaded
            return;
        }
        long d = Descriptor.read(c, selector);
        if (d == Descriptor.OUT_OF_LIMIT) {
            throw gpSel(c, selector);
        }
        if (!Descriptor.isSegment(d) || !Descriptor.isReadable(d)) {
            throw gpSel(c, selector);
        }
        if (!Descriptor.isConforming(d)) {
            int dpl = Descriptor.dpl(d);
            if ((selector & 3) > dpl || c.cpl > dpl) {
                throw gpSel(c, selector);
            }
        }
        if (!Descriptor.present(d)) {
            throw c.exception(Vector.NP, selector & 0xFFFC);
        }
        Descriptor.setAccessed(c, selector, d);
        Descriptor.loadCache(c, s, selector, d);
    }

    /**
     * Validates and loads SS for privilege level {@code cpl}. {@code vec} is the exception
     * for selector/type errors: #GP for MOV/POP SS, #TS for stack switches.
     */
    static void loadStack(Cpu c, int selector, int cpl, int vec) {
        long d = checkStack(c, selector, cpl, vec);
        Descriptor.setAccessed(c, selector, d);
        Descriptor.loadCache(c, Reg.SS, selector, d);
    }

    static long checkStack(Cpu c, int selector, int cpl, int vec) {
        if ((selector & 0xFFFC) == 0) {
            throw c.exception(vec, 0);
        }
        if ((selector & 3) != cpl) {
            throw c.exception(vec, selector & 0xFFFC);
        }
        long d = Descriptor.read(c, selector);
        if (d == Descriptor.OUT_OF_LIMIT || !Descriptor.isWritableData(d) || Descriptor.dpl(d) != cpl) {
            throw c.exception(vec, selector & 0xFFFC);
        }
        if (!Descriptor.present(d)) {
            throw c.exception(Vector.SS, selector & 0xFFFC);
        }
        return d;
    }

    /** Loads CS from a code descriptor with RPL forced to {@code cpl}, and sets CPL. */
    static void loadCode(Cpu c, int selector, long d, int cpl) {
        selector = (selector & 0xFFFC) | cpl;
        Descriptor.setAccessed(c, selector, d);
        Descriptor.loadCache(c, Reg.CS, selector, d);
        if (c.cpl != cpl) {
            c.setCpl(cpl);
        }
    }

    /** Checks the target of a direct (non-gate) JMP/CALL to a code segment. */
    private static void checkDirectCode(Cpu c, int selector, long d) {
        int dpl = Descriptor.dpl(d);
        if (Descriptor.isConforming(d)) {
            if (dpl > c.cpl) {
                throw gpSel(c, selector);
            }
        } else if ((selector & 3) > c.cpl || dpl != c.cpl) {
            throw gpSel(c, selector);
        }
        if (!Descriptor.present(d)) {
            throw c.exception(Vector.NP, selector & 0xFFFC);
        }
    }

    static void farJump(Cpu c, int selector, int offset, boolean o32) {
        if ((selector & 0xFFFC) == 0) {
            throw c.gp(0);
        }
        long d = Descriptor.read(c, selector);
        if (d == Descriptor.OUT_OF_LIMIT) {
            throw gpSel(c, selector);
        }
        if (Descriptor.isCode(d)) {
            checkDirectCode(c, selector, d);
            if (!o32) {
                offset &= 0xFFFF;
            }
            if (Integer.compareUnsigned(offset, Descriptor.limit(d)) > 0) {
                throw c.gp(0);
            }
            loadCode(c, selector, d, c.cpl);
            c.eip = offset;
            return;
        }
        if (Descriptor.isSegment(d)) {
            throw gpSel(c, selector);
        }
        int type = Descriptor.type(d);
        int dpl = Descriptor.dpl(d);
        switch (type) {
            case Descriptor.TYPE_CALLGATE16:
            case Descriptor.TYPE_CALLGATE32: {
                if (dpl < c.cpl || dpl < (selector & 3)) {
                    throw gpSel(c, selector);
                }
                if (!Descriptor.present(d)) {
                    throw c.exception(Vector.NP, selector & 0xFFFC);
                }
                int target = Descriptor.gateSelector(d);
                int off = Descriptor.gateOffset(d, type == Descriptor.TYPE_CALLGATE32);
                if ((target & 0xFFFC) == 0) {
                    throw c.gp(0);
                }
                long cd = Descriptor.read(c, target);
                if (cd == Descriptor.OUT_OF_LIMIT || !Descriptor.isCode(cd)) {
                    throw gpSel(c, target);
                }
                int cdpl = Descriptor.dpl(cd);
                if (Descriptor.isConforming(cd) ? cdpl > c.cpl : cdpl != c.cpl) {
                    throw gpSel(c, target);
                }
                if (!Descriptor.present(cd)) {
                    throw c.exception(Vector.NP, target & 0xFFFC);
                }
                if (Integer.compareUnsigned(off, Descriptor.limit(cd)) > 0) {
                    throw c.gp(0);
                }
                loadCode(c, target, cd, c.cpl);
                c.eip = off;
                return;
            }
            case Descriptor.TYPE_TASKGATE:
            case Descriptor.TYPE_TSS16_AVAIL:
            case Descriptor.TYPE_TSS32_AVAIL:
            case Descriptor.TYPE_TSS16_BUSY:
            case Descriptor.TYPE_TSS32_BUSY:
                TaskSwitch.viaDescriptor(c, selector, d, TaskSwitch.JMP);
                return;
            default:
                throw gpSel(c, selector);
        }
    }

    static void farCall(Cpu c, int selector, int offset, boolean o32, int returnEip) {
        if ((selector & 0xFFFC) == 0) {
            throw c.gp(0);
        }
        long d = Descriptor.read(c, selector);
        if (d == Descriptor.OUT_OF_LIMIT) {
            throw gpSel(c, selector);
        }
        if (Descriptor.isCode(d)) {
            checkDirectCode(c, selector, d);
            if (!o32) {
                offset &= 0xFFFF;
            }
            // the pushes are checked before anything changes
            int n = o32 ? 4 : 2;
            int sp = c.sp();
            c.linear(Reg.SS, (sp - 2 * n) & c.stackMask, o32 ? 2 : 1, true);
            if (Integer.compareUnsigned(offset, Descriptor.limit(d)) > 0) {
                throw c.gp(0);
            }
            int oldEsp = c.r[Reg.ESP];
            try {
                c.push(o32, c.sel[Reg.CS]);
                c.push(o32, returnEip);
            } catch (CpuFault f) {
                c.r[Reg.ESP] = oldEsp;
                throw f;
            }
            loadCode(c, selector, d, c.cpl);
            c.eip = offset;
            return;
        }
        if (Descriptor.isSegment(d)) {
            throw gpSel(c, selector);
        }
        int type = Descriptor.type(d);
        switch (type) {
            case Descriptor.TYPE_CALLGATE16:
            case Descriptor.TYPE_CALLGATE32:
                callGate(c, selector, d, returnEip);
                return;
            case Descriptor.TYPE_TASKGATE:
            case Descriptor.TYPE_TSS16_AVAIL:
            case Descriptor.TYPE_TSS32_AVAIL:
            case Descriptor.TYPE_TSS16_BUSY:
            case Descriptor.TYPE_TSS32_BUSY:
                TaskSwitch.viaDescriptor(c, selector, d, TaskSwitch.CALL);
                return;
            default:
                throw gpSel(c, selector);
        }
    }

    private static void callGate(Cpu c, int selector, long gate, int returnEip) {
        int gdpl = Descriptor.dpl(gate);
        if (gdpl < c.cpl || gdpl < (selector & 3)) {
            throw gpSel(c, selector);
        }
        if (!Descriptor.present(gate)) {
            throw c.exception(Vector.NP, selector & 0xFFFC);
        }
        boolean gate32 = Descriptor.type(gate) == Descriptor.TYPE_CALLGATE32;
        int target = Descriptor.gateSelector(gate);
        int offset = Descriptor.gateOffset(gate, gate32);
        if ((target & 0xFFFC) == 0) {
            throw c.gp(0);
        }
        long cd = Descriptor.read(c, target);
        if (cd == Descriptor.OUT_OF_LIMIT || !Descriptor.isCode(cd) || Descriptor.dpl(cd) > c.cpl) {
            throw gpSel(c, target);
        }
        if (!Descriptor.present(cd)) {
            throw c.exception(Vector.NP, target & 0xFFFC);
        }
        if (Integer.compareUnsigned(offset, Descriptor.limit(cd)) > 0) {
            throw c.gp(0);
        }
        int n = gate32 ? 4 : 2;
        int cdpl = Descriptor.dpl(cd);
        if (!Descriptor.isConforming(cd) && cdpl < c.cpl) {
            // more privileged: switch to the inner stack named by the TSS
            int newSs = TaskSwitch.stackSelector(c, cdpl);
            int newEsp = TaskSwitch.stackPointer(c, cdpl);
            long sd = checkStack(c, newSs, cdpl, Vector.TS);
            int params = Descriptor.gateParams(gate);
            boolean ss32 = (Descriptor.attr(sd) & 0x4000) != 0;
            int ssMask = ss32 ? -1 : 0xFFFF;
            int ssBase = Descriptor.base(sd);
            long ssLimit = Descriptor.limit(sd) & 0xFFFFFFFFL;
            boolean expandDown = (Descriptor.type(sd) & 0x4) != 0;
            int oldSs = c.sel[Reg.SS];
            int oldEsp = c.r[Reg.ESP];
            int total = (4 + params) * n;
            int sp = newEsp;
            checkRoom(c, sp, total, ssMask, ssLimit, expandDown, ss32, newSs & 0xFFFC);
            // write the new frame: SS, ESP, parameters, CS, EIP
            sp = pushTo(c, ssBase, sp, ssMask, n, oldSs);
            sp = pushTo(c, ssBase, sp, ssMask, n, oldEsp);
            for (int k = params - 1; k >= 0; k--) {
                int from = (oldEsp + k * n) & c.stackMask;
                int v = n == 4 ? c.read32(Reg.SS, from) : c.read16(Reg.SS, from);
                sp = pushTo(c, ssBase, sp, ssMask, n, v);
            }
            sp = pushTo(c, ssBase, sp, ssMask, n, c.sel[Reg.CS]);
            sp = pushTo(c, ssBase, sp, ssMask, n, returnEip);
            Descriptor.setAccessed(c, newSs, sd);
            Descriptor.loadCache(c, Reg.SS, newSs, sd);
            // ESP is loaded from the TSS; a 16-bit stack then moves only SP
            c.r[Reg.ESP] = ss32 ? sp : (newEsp & 0xFFFF0000) | (sp & 0xFFFF);
            loadCode(c, target, cd, cdpl);
            c.eip = offset;
            return;
        }
        int sp = c.sp();
        c.linear(Reg.SS, (sp - 2 * n) & c.stackMask, n == 4 ? 2 : 1, true);
        int oldEsp = c.r[Reg.ESP];
        try {
            c.push(gate32, c.sel[Reg.CS]);
            c.push(gate32, returnEip);
        } catch (CpuFault f) {
            c.r[Reg.ESP] = oldEsp;
            throw f;
        }
        loadCode(c, target, cd, c.cpl);
        c.eip = offset;
    }

    /** #SS({@code error}) unless {@code total} bytes below {@code sp} fit in the stack segment. */
    static void checkRoom(Cpu c, int sp, int total, int ssMask, long limit, boolean expandDown, boolean big,
        int error) {
        long lowest = ((sp - total) & ssMask) & 0xFFFFFFFFL;
        long highest = ((sp - 1) & ssMask) & 0xFFFFFFFFL;
        boolean ok;
        if (expandDown) {
            long upper = big ? 0xFFFFFFFFL : 0xFFFFL;
            ok = lowest > limit && highest <= upper;
        } else {
            ok = highest <= limit && lowest <= limit;
        }
        if (!ok) {
            throw c.exception(Vector.SS, error);
        }
    }

    /** Pushes onto a stack that is not (yet) SS; returns the new stack pointer. */
    static int pushTo(Cpu c, int ssBase, int sp, int ssMask, int n, int v) {
        sp = (sp - n) & ssMask;
        if (n == 4) {
            c.writeSys32(ssBase + sp, v);
        } else {
            c.writeSys16(ssBase + sp, v);
        }
        return sp;
    }

    static void farReturn(Cpu c, boolean o32, int imm) {
        int n = o32 ? 4 : 2;
        int offset = c.peek(o32, 0);
        int selector = c.peek(o32, n) & 0xFFFF;
        if (!o32) {
            offset &= 0xFFFF;
        }
        if ((selector & 0xFFFC) == 0) {
            throw c.gp(0);
        }
        int rpl = selector & 3;
        if (rpl < c.cpl) {
            throw gpSel(c, selector);
        }
        long d = Descriptor.read(c, selector);
        if (d == Descriptor.OUT_OF_LIMIT || !Descriptor.isCode(d)) {
            throw gpSel(c, selector);
        }
        int dpl = Descriptor.dpl(d);
        if (Descriptor.isConforming(d) ? dpl > rpl : dpl != rpl) {
            throw gpSel(c, selector);
        }
        if (!Descriptor.present(d)) {
            throw c.exception(Vector.NP, selector & 0xFFFC);
        }
        if (rpl == c.cpl) {
            if (Integer.compareUnsigned(offset, Descriptor.limit(d)) > 0) {
                throw c.gp(0);
            }
            loadCode(c, selector, d, c.cpl);
            c.setSp(c.sp() + 2 * n + imm);
            c.eip = offset;
            return;
        }
        // return to an outer privilege level: ESP and SS follow the parameters
        int espOut = c.peek(o32, 2 * n + imm);
        int ssOut = c.peek(o32, 3 * n + imm) & 0xFFFF;
        long sd = checkStack(c, ssOut, rpl, Vector.GP);
        if (Integer.compareUnsigned(offset, Descriptor.limit(d)) > 0) {
            throw c.gp(0);
        }
        loadCode(c, selector, d, rpl);
        Descriptor.setAccessed(c, ssOut, sd);
        Descriptor.loadCache(c, Reg.SS, ssOut, sd);
        if (!o32) {
            espOut &= 0xFFFF;
        }
        c.setSp(espOut + imm); // width of the new SS
        c.eip = offset;
        invalidateOuter(c);
    }

    /**
     * After a return to an outer level: data segment registers whose descriptors are more
     * privileged than the new CPL are loaded with null.
     */
    static void invalidateOuter(Cpu c) {
        for (int s = 0; s <= Reg.GS; s++) {
            if (s == Reg.CS || s == Reg.SS) {
                continue;
            }
            int attr = c.segAttr[s];
            boolean conformingCode = (attr & 0x1C) == 0x1C;
            int dpl = (attr >>> 5) & 3;
            if ((c.sel[s] & 0xFFFC) != 0 && !conformingCode && dpl < c.cpl) {
                c.setSegmentCache(s, 0, 0, 0, 0);
            }
        }
    }
}
