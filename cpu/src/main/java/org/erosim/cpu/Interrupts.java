package org.erosim.cpu;

/**
 * Delivery of interrupts and exceptions (real mode through the IVT; protected and
 * virtual-8086 mode through interrupt, trap and task gates with stack switching), the
 * double-fault and triple-fault rules, and IRET.
 *
 * <p>Kinds: a <em>software</em> interrupt (INT n, INT3, INTO) is checked against the gate's
 * DPL and pushes no error code; an <em>exception</em> or <em>external</em> interrupt is not
 * DPL-checked and sets EXT in error codes raised while delivering it.
 *
 * <p>Every push to the handler's stack is written before registers change, so a fault
 * while delivering leaves the interrupted state intact for the double-fault logic.
 */
public final class Interrupts {
    private Interrupts() {
    }

    static final int SOFTWARE = 0;
    static final int EXCEPTION = 1;
    static final int EXTERNAL = 2;

    /**
     * INT n ({@code intN}), INT3 or INTO: EIP already points past the instruction. Only INT n
     * is IOPL-sensitive in virtual-8086 mode; INT3 and INTO go through the IDT (where the gate
     * DPL must be 3) whatever the IOPL.
     */
    static void software(Cpu c, int vector, boolean intN) {
        if (intN && c.v86() && c.iopl() < 3) {
            throw c.gp(0);
        }
        if (c.trapHook != null && c.trapHook.trap(c, vector, 0, false, true)) {
            c.exitBlock = true;
            return;
        }
        deliver(c, vector, 0, false, SOFTWARE);
    }

    /** INT1 / ICEBP: a #DB trap that is not DPL-checked. */
    static void debugTrap(Cpu c) {
        deliver(c, Vector.DB, 0, false, EXCEPTION);
    }

    /** An external interrupt acknowledged from the PIC (EIP is the next instruction). */
    public static void external(Cpu c, int vector) {
        c.halted = false;
        try {
            deliver(c, vector, 0, false, EXTERNAL);
        } catch (CpuFault f) {
            exception(c, f.vector, f.errorCode, f.hasErrorCode);
        }
    }

    /**
     * Delivers an exception raised by an instruction (EIP already restored to the faulting
     * instruction for faults), applying the double- and triple-fault rules.
     */
    public static void exception(Cpu c, int vector, int errorCode, boolean hasErrorCode) {
        if (c.trapHook != null && c.trapHook.trap(c, vector, errorCode, hasErrorCode, false)) {
            c.exitBlock = true;
            return;
        }
        int first = vector;
        int v = vector;
        int e = errorCode;
        boolean he = hasErrorCode;
        for (int depth = 0; depth < 4; depth++) {
            try {
                deliver(c, v, e, he, EXCEPTION);
                return;
            } catch (CpuFault f) {
                if (v == Vector.DF) {
                    shutdown(c, "triple fault: " + Vector.name(f.vector) + " while delivering #DF (first "
                        + Vector.name(first) + ")");
                    return;
                }
                int c1 = Vector.faultClass(v);
                int c2 = Vector.faultClass(f.vector);
                if ((c1 == 1 && c2 == 1) || (c1 == 2 && c2 != 0)) {
                    v = Vector.DF;
                    e = 0;
                    he = true;
                } else {
                    v = f.vector; // benign: handle the second exception serially
                    e = f.errorCode;
                    he = f.hasErrorCode;
                }
            }
        }
        shutdown(c, "exception storm while delivering " + Vector.name(first));
    }

    static void shutdown(Cpu c, String why) {
        c.shutdown = true;
        c.shutdownReason = why;
        c.exitBlock = true;
    }

    static void deliver(Cpu c, int vector, int err, boolean hasErr, int kind) {
        c.interruptShadow = false;
        if (!c.protectedMode()) {
            deliverReal(c, vector);
        } else {
            deliverProtected(c, vector, err, hasErr, kind);
        }
        c.exitBlock = true;
    }

    private static void deliverReal(Cpu c, int vector) {
        if (Integer.compareUnsigned(vector * 4 + 3, c.idtLimit) > 0) {
            throw c.gp(vector * 8 + 2);
        }
        int base = c.idtBase + vector * 4;
        int offset = c.readSys16(base);
        int selector = c.readSys16(base + 2);
        int flags = c.eflags();
        int oldEsp = c.r[Reg.ESP];
        try {
            c.push16(flags);
            c.push16(c.sel[Reg.CS]);
            c.push16(c.eip);
        } catch (CpuFault f) {
            c.r[Reg.ESP] = oldEsp;
            throw f;
        }
        c.eflags &= ~(Flags.IF | Flags.TF | Flags.AC | Flags.RF);
        c.loadSegmentReal(Reg.CS, selector);
        c.eip = offset;
    }

    private static void deliverProtected(Cpu c, int vector, int err, boolean hasErr, int kind) {
        int ext = kind == SOFTWARE ? 0 : 1;
        int idtErr = vector * 8 + 2 + ext;
        if (Integer.compareUnsigned(vector * 8 + 7, c.idtLimit) > 0) {
            throw c.gp(idtErr);
        }
        int ga = c.idtBase + vector * 8;
        long g = (c.readSys32(ga) & 0xFFFFFFFFL) | ((long) c.readSys32(ga + 4) << 32);
        int type = Descriptor.type(g);
        boolean okType = !Descriptor.isSegment(g) && (type == Descriptor.TYPE_TASKGATE
            || type == Descriptor.TYPE_INTGATE16 || type == Descriptor.TYPE_TRAPGATE16
            || type == Descriptor.TYPE_INTGATE32 || type == Descriptor.TYPE_TRAPGATE32);
        if (!okType) {
            throw c.gp(idtErr);
        }
        if (kind == SOFTWARE && Descriptor.dpl(g) < c.cpl) {
            throw c.gp(vector * 8 + 2);
        }
        if (!Descriptor.present(g)) {
            throw c.exception(Vector.NP, idtErr);
        }
        if (type == Descriptor.TYPE_TASKGATE) {
            TaskSwitch.viaTaskGate(c, Descriptor.gateSelector(g), err, hasErr, ext);
            return;
        }
        boolean gate32 = type >= Descriptor.TYPE_INTGATE32;
        boolean trapGate = (type & 1) != 0;
        int sel = Descriptor.gateSelector(g);
        int offset = Descriptor.gateOffset(g, gate32);
        if ((sel & 0xFFFC) == 0) {
            throw c.gp(ext);
        }
        long cd = Descriptor.read(c, sel);
        if (cd == Descriptor.OUT_OF_LIMIT || !Descriptor.isCode(cd) || Descriptor.dpl(cd) > c.cpl) {
            throw c.gp((sel & 0xFFFC) | ext);
        }
        if (!Descriptor.present(cd)) {
            throw c.exception(Vector.NP, (sel & 0xFFFC) | ext);
        }
        int dpl = Descriptor.dpl(cd);
        boolean inner = !Descriptor.isConforming(cd) && dpl < c.cpl;
        boolean fromV86 = c.v86();
        if (fromV86 && (!inner || dpl != 0)) {
            throw c.gp((sel & 0xFFFC) | ext);
        }
        if (Integer.compareUnsigned(offset, Descriptor.limit(cd)) > 0) {
            throw c.gp(ext);
        }
        int n = gate32 ? 4 : 2;
        int flagsImage = c.eflags();
        if (inner) {
            int newSs;
            int newEsp;
            long sd;
            try {
                newSs = TaskSwitch.stackSelector(c, dpl);
                newEsp = TaskSwitch.stackPointer(c, dpl);
                sd = Segmentation.checkStack(c, newSs, dpl, Vector.TS);
            } catch (CpuFault f) {
                if (f.vector == Vector.TS || f.vector == Vector.SS) {
                    f.errorCode |= ext;
                }
                throw f;
            }
            boolean ss32 = (Descriptor.attr(sd) & 0x4000) != 0;
            int ssMask = ss32 ? -1 : 0xFFFF;
            int ssBase = Descriptor.base(sd);
            int words = (fromV86 ? 9 : 5) + (hasErr ? 1 : 0);
            Segmentation.checkRoom(c, newEsp, words * n, ssMask, Descriptor.limit(sd) & 0xFFFFFFFFL,
                (Descriptor.type(sd) & 4) != 0, ss32, (newSs & 0xFFFC) | ext);
            int sp = newEsp;
            if (fromV86) {
                sp = Segmentation.pushTo(c, ssBase, sp, ssMask, n, c.sel[Reg.GS]);
                sp = Segmentation.pushTo(c, ssBase, sp, ssMask, n, c.sel[Reg.FS]);
                sp = Segmentation.pushTo(c, ssBase, sp, ssMask, n, c.sel[Reg.DS]);
                sp = Segmentation.pushTo(c, ssBase, sp, ssMask, n, c.sel[Reg.ES]);
            }
            sp = Segmentation.pushTo(c, ssBase, sp, ssMask, n, c.sel[Reg.SS]);
            sp = Segmentation.pushTo(c, ssBase, sp, ssMask, n, c.r[Reg.ESP]);
            sp = Segmentation.pushTo(c, ssBase, sp, ssMask, n, flagsImage);
            sp = Segmentation.pushTo(c, ssBase, sp, ssMask, n, c.sel[Reg.CS]);
            sp = Segmentation.pushTo(c, ssBase, sp, ssMask, n, c.eip);
            if (hasErr) {
                sp = Segmentation.pushTo(c, ssBase, sp, ssMask, n, err);
            }
            // commit
            if (fromV86) {
                c.eflags &= ~Flags.VM;
                for (int s = 0; s <= Reg.GS; s++) {
                    if (s != Reg.CS && s != Reg.SS) {
                        c.setSegmentCache(s, 0, 0, 0, 0);
                    }
                }
            }
            Descriptor.setAccessed(c, newSs, sd);
            Descriptor.loadCache(c, Reg.SS, newSs, sd);
            // SS:ESP <- TSS(SS:ESP), then the pushes: a 16-bit stack moves only SP, so the
            // upper half of ESP is the TSS value's, not the interrupted one's
            c.r[Reg.ESP] = ss32 ? sp : (newEsp & 0xFFFF0000) | (sp & 0xFFFF);
            Segmentation.loadCode(c, sel, cd, dpl);
            c.updateMode();
        } else {
            int words = 3 + (hasErr ? 1 : 0);
            int sp = c.sp();
            c.linear(Reg.SS, (sp - words * n) & c.stackMask, 0, true);
            c.linear(Reg.SS, (sp - 1) & c.stackMask, 0, true);
            int oldEsp = c.r[Reg.ESP];
            try {
                c.push(gate32, flagsImage);
                c.push(gate32, c.sel[Reg.CS]);
                c.push(gate32, c.eip);
                if (hasErr) {
                    c.push(gate32, err);
                }
            } catch (CpuFault f) {
                c.r[Reg.ESP] = oldEsp;
                throw f;
            }
            Segmentation.loadCode(c, sel, cd, c.cpl);
        }
        c.eip = offset;
        c.eflags &= ~(Flags.TF | Flags.NT | Flags.RF | Flags.VM);
        if (!trapGate) {
            c.eflags &= ~Flags.IF;
        }
    }

    /** IRET / IRETD in every mode. */
    static void iret(Cpu c, boolean o32) {
        if (!c.protectedMode()) {
            iretReal(c, o32);
            return;
        }
        if (c.v86()) {
            if (c.iopl() < 3) {
                throw c.gp(0);
            }
            iretReal(c, o32);
            return;
        }
        if ((c.eflags & Flags.NT) != 0) {
            TaskSwitch.iretTask(c);
            return;
        }
        int n = o32 ? 4 : 2;
        int newEip = c.peek(o32, 0);
        int newCs = c.peek(o32, n) & 0xFFFF;
        int newFlags = c.peek(o32, 2 * n);
        if (o32 && (newFlags & Flags.VM) != 0 && c.cpl == 0) {
            iretToV86(c, newEip, newCs, newFlags);
            return;
        }
        if (!o32) {
            newEip &= 0xFFFF;
        }
        if ((newCs & 0xFFFC) == 0) {
            throw c.gp(0);
        }
        int rpl = newCs & 3;
        if (rpl < c.cpl) {
            throw Segmentation.gpSel(c, newCs);
        }
        long d = Descriptor.read(c, newCs);
        if (d == Descriptor.OUT_OF_LIMIT || !Descriptor.isCode(d)) {
            throw Segmentation.gpSel(c, newCs);
        }
        int dpl = Descriptor.dpl(d);
        if (Descriptor.isConforming(d) ? dpl > rpl : dpl != rpl) {
            throw Segmentation.gpSel(c, newCs);
        }
        if (!Descriptor.present(d)) {
            throw c.exception(Vector.NP, newCs & 0xFFFC);
        }
        if (Integer.compareUnsigned(newEip, Descriptor.limit(d)) > 0) {
            throw c.gp(0);
        }
        int oldCpl = c.cpl;
        int mask = Flags.ARITH | Flags.TF | Flags.DF | Flags.NT;
        if (o32) {
            mask |= Flags.RF | Flags.AC | Flags.ID;
        }
        if (oldCpl <= c.iopl()) {
            mask |= Flags.IF;
        }
        if (oldCpl == 0) {
            mask |= Flags.IOPL;
        }
        if (rpl == oldCpl) {
            Segmentation.loadCode(c, newCs, d, oldCpl);
            c.setSp(c.sp() + 3 * n);
            c.setEflags(newFlags, mask);
            c.eip = newEip;
            return;
        }
        int espOut = c.peek(o32, 3 * n);
        int ssOut = c.peek(o32, 4 * n) & 0xFFFF;
        long sd = Segmentation.checkStack(c, ssOut, rpl, Vector.GP);
        Segmentation.loadCode(c, newCs, d, rpl);
        c.setEflags(newFlags, mask);
        Descriptor.setAccessed(c, ssOut, sd);
        Descriptor.loadCache(c, Reg.SS, ssOut, sd);
        c.setSp(o32 ? espOut : espOut & 0xFFFF);
        c.eip = newEip;
        Segmentation.invalidateOuter(c);
    }

    private static void iretReal(Cpu c, boolean o32) {
        int n = o32 ? 4 : 2;
        int newEip = c.peek(o32, 0);
        int newCs = c.peek(o32, n) & 0xFFFF;
        int newFlags = c.peek(o32, 2 * n);
        if (!o32) {
            newEip &= 0xFFFF;
        }
        BranchOps.checkTarget(c, newEip);
        c.setSp(c.sp() + 3 * n);
        c.loadSegmentReal(Reg.CS, newCs);
        c.eip = newEip;
        if (c.v86()) {
            int mask = Flags.ARITH | Flags.TF | Flags.DF | Flags.NT | Flags.IF;
            if (o32) {
                mask |= Flags.AC | Flags.ID | Flags.RF;
            }
            c.setEflags(newFlags, mask);
        } else if (o32) {
            c.setEflags(newFlags, Flags.ARITH | Flags.TF | Flags.IF | Flags.DF | Flags.IOPL | Flags.NT
                | Flags.RF | Flags.AC | Flags.ID);
        } else {
            c.setEflags(newFlags, 0xFFFF);
        }
    }

    private static void iretToV86(Cpu c, int newEip, int newCs, int newFlags) {
        int espV = c.peek(true, 12);
        int ssV = c.peek(true, 16) & 0xFFFF;
        int esV = c.peek(true, 20) & 0xFFFF;
        int dsV = c.peek(true, 24) & 0xFFFF;
        int fsV = c.peek(true, 28) & 0xFFFF;
        int gsV = c.peek(true, 32) & 0xFFFF;
        c.setEflags(newFlags, Flags.SUPPORTED);
        // VM is now set: segment loads are V86 loads and CPL becomes 3
        c.loadSegmentReal(Reg.CS, newCs);
        c.loadSegmentReal(Reg.SS, ssV);
        c.loadSegmentReal(Reg.ES, esV);
        c.loadSegmentReal(Reg.DS, dsV);
        c.loadSegmentReal(Reg.FS, fsV);
        c.loadSegmentReal(Reg.GS, gsV);
        c.r[Reg.ESP] = espV;
        c.eip = newEip & 0xFFFF;
        c.setCpl(3);
        c.updateMode();
    }
}
