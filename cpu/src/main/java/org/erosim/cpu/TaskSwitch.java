package org.erosim.cpu;

/**
 * Hardware task switching (JMP/CALL to a TSS or task gate, interrupts through task gates,
 * IRET with NT) for 16-bit and 32-bit TSSs, and the inner-level stack pointers that
 * privilege changes read from the current TSS.
 *
 * <p>Order (SDM Vol. 3 §7.3): check the new TSS, read its whole state, save the current
 * state into the old TSS, update busy bits and the back link, load TR, CR3, registers,
 * LDTR and the segment registers. Faults raised by the segment checks of the new task are
 * delivered in the new task's context, as on hardware.
 */
final class TaskSwitch {
    private TaskSwitch() {
    }

    static final int JMP = 0;
    static final int CALL = 1;
    static final int IRET = 2;
    static final int INT = 3;

    private static boolean tss32(int type) {
        return (type & 8) != 0;
    }

    /** JMP/CALL to a TSS descriptor or a task gate. */
    static void viaDescriptor(Cpu c, int selector, long d, int source) {
        int type = Descriptor.type(d);
        int rpl = selector & 3;
        if (Descriptor.dpl(d) < c.cpl || Descriptor.dpl(d) < rpl) {
            throw Segmentation.gpSel(c, selector);
        }
        if (type == Descriptor.TYPE_TASKGATE) {
            if (!Descriptor.present(d)) {
                throw c.exception(Vector.NP, selector & 0xFFFC);
            }
            int tss = Descriptor.gateSelector(d);
            long td = readTss(c, tss, Vector.GP, Vector.GP);
            switchTo(c, tss, td, source, 0, false);
            return;
        }
        if (type == Descriptor.TYPE_TSS16_BUSY || type == Descriptor.TYPE_TSS32_BUSY) {
            throw Segmentation.gpSel(c, selector);
        }
        if (!Descriptor.present(d)) {
            throw c.exception(Vector.NP, selector & 0xFFFC);
        }
        switchTo(c, selector, d, source, 0, false);
    }

    /** Interrupt or exception through a task gate in the IDT. */
    static void viaTaskGate(Cpu c, int tss, int err, boolean hasErr, int ext) {
        long td = readTss(c, tss, Vector.TS, Vector.GP);
        switchTo(c, tss, td, INT, err, hasErr);
    }

    /** Reads an available TSS descriptor from the GDT, with the checks of a task gate target. */
    private static long readTss(Cpu c, int tss, int badVec, int busyVec) {
        if ((tss & 4) != 0) {
            throw c.exception(badVec, tss & 0xFFFC);
        }
        long td = Descriptor.read(c, tss);
        if (td == Descriptor.OUT_OF_LIMIT || Descriptor.isSegment(td)) {
            throw c.exception(badVec, tss & 0xFFFC);
        }
        int t = Descriptor.type(td);
        if (t == Descriptor.TYPE_TSS16_BUSY || t == Descriptor.TYPE_TSS32_BUSY) {
            throw c.exception(busyVec, tss & 0xFFFC);
        }
        if (t != Descriptor.TYPE_TSS16_AVAIL && t != Descriptor.TYPE_TSS32_AVAIL) {
            throw c.exception(badVec, tss & 0xFFFC);
        }
        if (!Descriptor.present(td)) {
            throw c.exception(Vector.NP, tss & 0xFFFC);
        }
        return td;
    }

    /** IRET with NT set: return to the task named by the back link of the current TSS. */
    static void iretTask(Cpu c) {
        int link = c.readSys16(c.segBase[Reg.TR]);
        if ((link & 4) != 0) {
            throw c.exception(Vector.TS, link & 0xFFFC);
        }
        long d = Descriptor.read(c, link);
        int t = d == Descriptor.OUT_OF_LIMIT ? -1 : Descriptor.type(d);
        if (d == Descriptor.OUT_OF_LIMIT || Descriptor.isSegment(d)
            || (t != Descriptor.TYPE_TSS16_BUSY && t != Descriptor.TYPE_TSS32_BUSY)) {
            throw c.exception(Vector.TS, link & 0xFFFC);
        }
        if (!Descriptor.present(d)) {
            throw c.exception(Vector.NP, link & 0xFFFC);
        }
        switchTo(c, link, d, IRET, 0, false);
    }

    private static void setBusy(Cpu c, int selector, boolean busy) {
        long a = Descriptor.address(c, selector & ~4);
        if (a < 0) {
            return;
        }
        int hi = c.readSys32((int) a + 4);
        hi = busy ? hi | 0x200 : hi & ~0x200;
        c.writeSys32((int) a + 4, hi);
    }

    static void switchTo(Cpu c, int newSel, long nd, int source, int err, boolean hasErr) {
        int ntype = Descriptor.type(nd);
        boolean n32 = tss32(ntype);
        int nbase = Descriptor.base(nd);
        int nlimit = Descriptor.limit(nd);
        if (Integer.compareUnsigned(nlimit, n32 ? 0x67 : 0x2B) < 0) {
            throw c.exception(Vector.TS, newSel & 0xFFFC);
        }
        // -- read the new task's state (faults here change nothing)
        int[] regs = new int[8];
        int[] segs = new int[6];
        int nEip;
        int nFlags;
        int nLdt;
        int nCr3 = c.cr3;
        if (n32) {
            nCr3 = c.readSys32(nbase + 28);
            nEip = c.readSys32(nbase + 32);
            nFlags = c.readSys32(nbase + 36);
            for (int i = 0; i < 8; i++) {
                regs[i] = c.readSys32(nbase + 40 + 4 * i);
            }
            for (int s = 0; s < 6; s++) {
                segs[s] = c.readSys16(nbase + 72 + 4 * s);
            }
            nLdt = c.readSys16(nbase + 96);
        } else {
            nEip = c.readSys16(nbase + 14);
            nFlags = c.readSys16(nbase + 16);
            for (int i = 0; i < 8; i++) {
                regs[i] = 0xFFFF0000 | c.readSys16(nbase + 18 + 2 * i);
            }
            for (int s = 0; s < 4; s++) {
                segs[s] = c.readSys16(nbase + 34 + 2 * s);
            }
            nLdt = c.readSys16(nbase + 42);
        }
        // -- save the current state into the old TSS
        int oldSel = c.sel[Reg.TR];
        int obase = c.segBase[Reg.TR];
        boolean o32 = tss32(c.segAttr[Reg.TR] & 0xF);
        int flagsImage = c.eflags();
        if (source == IRET) {
            flagsImage &= ~Flags.NT;
        }
        if (o32) {
            c.writeSys32(obase + 32, c.eip);
            c.writeSys32(obase + 36, flagsImage);
            for (int i = 0; i < 8; i++) {
                c.writeSys32(obase + 40 + 4 * i, c.r[i]);
            }
            for (int s = 0; s < 6; s++) {
                c.writeSys16(obase + 72 + 4 * s, c.sel[s]);
            }
        } else {
            c.writeSys16(obase + 14, c.eip);
            c.writeSys16(obase + 16, flagsImage);
            for (int i = 0; i < 8; i++) {
                c.writeSys16(obase + 18 + 2 * i, c.r[i]);
            }
            for (int s = 0; s < 4; s++) {
                c.writeSys16(obase + 34 + 2 * s, c.sel[s]);
            }
        }
        if (source == JMP || source == IRET) {
            setBusy(c, oldSel, false);
        }
        if (source == CALL || source == INT) {
            c.writeSys16(nbase, oldSel);
            nFlags |= Flags.NT;
        }
        if (source != IRET) {
            setBusy(c, newSel, true);
        }
        // -- load the new task
        c.setSegmentCache(Reg.TR, newSel, nbase, nlimit, (Descriptor.attr(nd) & 0xFFF0) | ntype | 2);
        c.cr0 |= Cpu.CR0_TS;
        if (n32 && (c.cr0 & Cpu.CR0_PG) != 0) {
            c.setCr3(nCr3);
        }
        c.eip = n32 ? nEip : nEip & 0xFFFF;
        c.setEflags(n32 ? nFlags : (c.eflags() & 0xFFFF0000) | (nFlags & 0xFFFF), Flags.SUPPORTED);
        for (int i = 0; i < 8; i++) {
            c.r[i] = n32 ? regs[i] : (c.r[i] & 0xFFFF0000) | (regs[i] & 0xFFFF);
        }
        loadLdt(c, nLdt);
        if (c.v86()) {
            for (int s = 0; s < 6; s++) {
                c.loadSegmentReal(s, segs[s]);
            }
            c.setCpl(3);
        } else {
            int cpl = segs[Reg.CS] & 3;
            loadTaskCode(c, segs[Reg.CS]);
            // until SS is loaded a fault is taken at CPL 3, so that its handler switches to a
            // stack from the new TSS instead of running on the old task's SS (as Bochs does)
            c.setCpl(3);
            Segmentation.loadStack(c, segs[Reg.SS], cpl, Vector.TS);
            c.setCpl(cpl);
            for (int s : new int[] {Reg.DS, Reg.ES, Reg.FS, Reg.GS}) {
                if (!n32 && s >= Reg.FS) {
                    c.setSegmentCache(s, 0, 0, 0, 0);
                    continue;
                }
                loadTaskData(c, s, segs[s]);
            }
        }
        c.updateMode();
        if (hasErr) {
            c.push(n32, err);
        }
        if (Integer.compareUnsigned(c.eip, c.segLimit[Reg.CS]) > 0) {
            throw c.gp(0);
        }
    }

    private static void loadLdt(Cpu c, int sel) {
        if ((sel & 0xFFFC) == 0) {
            c.setSegmentCache(Reg.LDTR, sel, 0, 0, 0);
            return;
        }
        if ((sel & 4) != 0) {
            throw c.exception(Vector.TS, sel & 0xFFFC);
        }
        long d = Descriptor.read(c, sel);
        if (d == Descriptor.OUT_OF_LIMIT || Descriptor.isSegment(d) || Descriptor.type(d) != Descriptor.TYPE_LDT) {
            throw c.exception(Vector.TS, sel & 0xFFFC);
        }
        if (!Descriptor.present(d)) {
            throw c.exception(Vector.TS, sel & 0xFFFC);
        }
        c.setSegmentCache(Reg.LDTR, sel, Descriptor.base(d), Descriptor.limit(d), Descriptor.attr(d));
    }

    private static void loadTaskCode(Cpu c, int sel) {
        if ((sel & 0xFFFC) == 0) {
            throw c.exception(Vector.TS, 0);
        }
        long d = Descriptor.read(c, sel);
        if (d == Descriptor.OUT_OF_LIMIT || !Descriptor.isCode(d)) {
            throw c.exception(Vector.TS, sel & 0xFFFC);
        }
        int dpl = Descriptor.dpl(d);
        int rpl = sel & 3;
        if (Descriptor.isConforming(d) ? dpl > rpl : dpl != rpl) {
            throw c.exception(Vector.TS, sel & 0xFFFC);
        }
        if (!Descriptor.present(d)) {
            throw c.exception(Vector.NP, sel & 0xFFFC);
        }
        Descriptor.setAccessed(c, sel, d);
        Descriptor.loadCache(c, Reg.CS, sel, d);
    }

    private static void loadTaskData(Cpu c, int s, int sel) {
        if ((sel & 0xFFFC) == 0) {
            c.setSegmentCache(s, sel, 0, 0, 0);
            return;
        }
        long d = Descriptor.read(c, sel);
        if (d == Descriptor.OUT_OF_LIMIT || !Descriptor.isSegment(d) || !Descriptor.isReadable(d)) {
            throw c.exception(Vector.TS, sel & 0xFFFC);
        }
        if (!Descriptor.isConforming(d)) {
            int dpl = Descriptor.dpl(d);
            if ((sel & 3) > dpl || c.cpl > dpl) {
                throw c.exception(Vector.TS, sel & 0xFFFC);
            }
        }
        if (!Descriptor.present(d)) {
            throw c.exception(Vector.NP, sel & 0xFFFC);
        }
        Descriptor.setAccessed(c, sel, d);
        Descriptor.loadCache(c, s, sel, d);
    }

    /** SS for privilege level {@code dpl} from the current TSS (#TS if TR cannot supply it). */
    static int stackSelector(Cpu c, int dpl) {
        boolean t32 = tss32(c.segAttr[Reg.TR] & 0xF);
        int off = t32 ? 8 + 8 * dpl : 4 + 4 * dpl;
        checkTssRoom(c, off + 1);
        return c.readSys16(c.segBase[Reg.TR] + off);
    }

    /** ESP (or SP) for privilege level {@code dpl} from the current TSS. */
    static int stackPointer(Cpu c, int dpl) {
        boolean t32 = tss32(c.segAttr[Reg.TR] & 0xF);
        int off = t32 ? 4 + 8 * dpl : 2 + 4 * dpl;
        checkTssRoom(c, off + (t32 ? 3 : 1));
        return t32 ? c.readSys32(c.segBase[Reg.TR] + off) : c.readSys16(c.segBase[Reg.TR] + off);
    }

    private static void checkTssRoom(Cpu c, int lastByte) {
        if ((c.sel[Reg.TR] & 0xFFFC) == 0 || Integer.compareUnsigned(lastByte, c.segLimit[Reg.TR]) > 0) {
            throw c.exception(Vector.TS, c.sel[Reg.TR] & 0xFFFC);
        }
    }
}
