package org.erosim.cpu;

/**
 * Hardware task switching (JMP/CALL to a TSS or task gate, interrupts through task gates,
 * IRET with NT) for 16-bit and 32-bit TSSs, and the inner-level stack pointers that
 * privilege changes read from the current TSS.
 *
 * <p>Order (SDM Vol. 3 §7.3): check the new TSS and probe the pages of both TSSs, save the
 * current state into the old TSS, update busy bits and the back link, load TR (the commit
 * point), then read the new state and load CR3, EFLAGS, EIP, registers, LDTR and the segment
 * registers. Faults before the commit point leave the old task intact; faults after it
 * (LDT and segment checks, the error-code push, the EIP limit) are delivered in the new
 * task's context, as on hardware. Nothing is allocated.
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
            long td = readTss(c, tss, 0);
            switchTo(c, tss, td, source, 0, false, 0);
            return;
        }
        if (type == Descriptor.TYPE_TSS16_BUSY || type == Descriptor.TYPE_TSS32_BUSY) {
            throw Segmentation.gpSel(c, selector);
        }
        if (!Descriptor.present(d)) {
            throw c.exception(Vector.NP, selector & 0xFFFC);
        }
        switchTo(c, selector, d, source, 0, false, 0);
    }

    /** Interrupt or exception through a task gate in the IDT ({@code ext}: EXT bit of error codes). */
    static void viaTaskGate(Cpu c, int tss, int err, boolean hasErr, int ext) {
        long td = readTss(c, tss, ext);
        switchTo(c, tss, td, INT, err, hasErr, ext);
    }

    /**
     * Reads the available TSS descriptor a task gate names. Every error is #GP(TSS selector)
     * (#NP if not present), with EXT for interrupts and exceptions, as in the SDM pseudo-code
     * of CALL, JMP and INT: the TSS must be in the GDT, within its limit, a TSS, and not busy.
     */
    private static long readTss(Cpu c, int tss, int ext) {
        int error = (tss & 0xFFFC) | ext;
        if ((tss & 4) != 0) {
            throw c.gp(error);
        }
        long td = Descriptor.read(c, tss);
        if (td == Descriptor.OUT_OF_LIMIT || Descriptor.isSegment(td)) {
            throw c.gp(error);
        }
        int t = Descriptor.type(td);
        if (t != Descriptor.TYPE_TSS16_AVAIL && t != Descriptor.TYPE_TSS32_AVAIL) {
            throw c.gp(error); // busy, or not a TSS at all
        }
        if (!Descriptor.present(td)) {
            throw c.exception(Vector.NP, error);
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
        switchTo(c, link, d, IRET, 0, false, 0);
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

    /**
     * Faults (#PF) now, before anything changes, unless the bytes {@code [base, base + last]}
     * are present (and writable if {@code write}): SDM step 5, "the old TSS, the new TSS and
     * all descriptors used are paged into memory". A TSS spans at most two pages.
     */
    private static void probe(Cpu c, int base, int last, boolean write) {
        int access = write ? org.erosim.mmu.Mmu.ACC_WRITE : 0;
        c.translate(base, access, false);
        c.translate(base + last, access, false);
    }

    /**
     * The switch proper (SDM Vol. 3 §7.3 steps 5-13). Before the commit point (loading TR)
     * every fault leaves the old task untouched and restartable: the TSS pages are probed
     * first, so saving the old state and updating busy bits and the back link cannot fault
     * half-way. After it, the new task's state is read and loaded; a fault there belongs to
     * the new task ({@link CpuFault#afterCommit}) and is delivered with its EIP. No
     * allocation: the new state goes straight into the registers once the old one is saved.
     */
    static void switchTo(Cpu c, int newSel, long nd, int source, int err, boolean hasErr, int ext) {
        int ntype = Descriptor.type(nd);
        boolean n32 = tss32(ntype);
        int nbase = Descriptor.base(nd);
        int nlimit = Descriptor.limit(nd);
        if (Integer.compareUnsigned(nlimit, n32 ? 0x67 : 0x2B) < 0) {
            throw c.exception(Vector.TS, (newSel & 0xFFFC) | ext);
        }
        int oldSel = c.sel[Reg.TR];
        int obase = c.segBase[Reg.TR];
        boolean o32 = tss32(c.segAttr[Reg.TR] & 0xF);
        probe(c, nbase, n32 ? 0x67 : 0x2B, source == CALL || source == INT);
        if (o32) {
            probe(c, obase + 32, 0x5F - 32, true);
        } else {
            probe(c, obase + 14, 0x29 - 14, true);
        }
        // -- save the current state into the old TSS
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
        }
        if (source != IRET) {
            setBusy(c, newSel, true);
        }
        // -- commit point: TR names the new task
        c.setSegmentCache(Reg.TR, newSel, nbase, nlimit, (Descriptor.attr(nd) & 0xFFF0) | ntype | 2);
        c.cr0 |= Cpu.CR0_TS;
        try {
            loadNewTask(c, n32, nbase, source);
            if (hasErr) {
                c.push(n32, err);
            }
            if (Integer.compareUnsigned(c.eip, c.segLimit[Reg.CS]) > 0) {
                throw c.gp(ext);
            }
        } catch (CpuFault f) {
            f.afterCommit = true;
            throw f;
        }
    }

    /** Loads CR3, EFLAGS, EIP, the registers, LDTR and the segments from the new TSS. */
    private static void loadNewTask(Cpu c, boolean n32, int nbase, int source) {
        // read everything first: the new TSS need not be mapped under the new CR3
        int es;
        int cs;
        int ss;
        int ds;
        int fs = 0;
        int gs = 0;
        int ldt;
        int nEip;
        int nFlags;
        if (n32) {
            int nCr3 = c.readSys32(nbase + 28);
            nEip = c.readSys32(nbase + 32);
            nFlags = c.readSys32(nbase + 36);
            for (int i = 0; i < 8; i++) {
                c.r[i] = c.readSys32(nbase + 40 + 4 * i);
            }
            es = c.readSys16(nbase + 72);
            cs = c.readSys16(nbase + 76);
            ss = c.readSys16(nbase + 80);
            ds = c.readSys16(nbase + 84);
            fs = c.readSys16(nbase + 88);
            gs = c.readSys16(nbase + 92);
            ldt = c.readSys16(nbase + 96);
            if ((c.cr0 & Cpu.CR0_PG) != 0) {
                c.setCr3(nCr3);
            }
        } else {
            nEip = c.readSys16(nbase + 14);
            nFlags = c.readSys16(nbase + 16);
            for (int i = 0; i < 8; i++) {
                // a 16-bit TSS holds the low words; the upper halves are kept
                c.r[i] = (c.r[i] & 0xFFFF0000) | c.readSys16(nbase + 18 + 2 * i);
            }
            es = c.readSys16(nbase + 34);
            cs = c.readSys16(nbase + 36);
            ss = c.readSys16(nbase + 38);
            ds = c.readSys16(nbase + 40);
            ldt = c.readSys16(nbase + 42);
        }
        if (source == CALL || source == INT) {
            nFlags |= Flags.NT;
        }
        c.eip = n32 ? nEip : nEip & 0xFFFF;
        c.setEflags(n32 ? nFlags : (c.eflags() & 0xFFFF0000) | (nFlags & 0xFFFF), Flags.SUPPORTED);
        loadLdt(c, ldt);
        if (c.v86()) {
            c.loadSegmentReal(Reg.ES, es);
            c.loadSegmentReal(Reg.CS, cs);
            c.loadSegmentReal(Reg.SS, ss);
            c.loadSegmentReal(Reg.DS, ds);
            c.loadSegmentReal(Reg.FS, fs);
            c.loadSegmentReal(Reg.GS, gs);
            c.setCpl(3);
        } else {
            int cpl = cs & 3;
            loadTaskCode(c, cs);
            // until SS is loaded a fault is taken at CPL 3, so that its handler switches to a
            // stack from the new TSS instead of running on the old task's SS (as Bochs does)
            c.setCpl(3);
            Segmentation.loadStack(c, ss, cpl, Vector.TS);
            c.setCpl(cpl);
            loadTaskData(c, Reg.DS, ds);
            loadTaskData(c, Reg.ES, es);
            // a 16-bit TSS has no FS and GS: they become null
            loadTaskData(c, Reg.FS, fs);
            loadTaskData(c, Reg.GS, gs);
        }
        c.updateMode();
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
