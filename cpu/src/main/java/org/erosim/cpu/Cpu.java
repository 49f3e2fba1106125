package org.erosim.cpu;

import org.agrona.UnsafeApi;
import org.erosim.mmu.Mmu;
import org.erosim.mmu.PhysicalMemory;
import org.erosim.mmu.Tlb;

/**
 * The architectural state of one IA-32 processor and its memory access paths.
 *
 * <p>This class holds state and the hot helpers every instruction uses (register access,
 * segment-checked memory access through the software TLB, the stack, lazy flags). The
 * instruction loop is {@link Interpreter}; instruction semantics live in the {@code op}
 * classes; protected-mode transfers in {@link Segmentation}, {@link Interrupts} and
 * {@link TaskSwitch}. Keep it that way: this class must not grow into a monolith.
 *
 * <p>Invariants:
 * <ul>
 *   <li>{@code r[Reg.ZERO] == 0} always (effective-address arithmetic relies on it).</li>
 *   <li>{@code segBase/segLimit/segAttr} are the descriptor caches; {@link #chkLo} and
 *   {@link #chkSpan} are derived from them by {@link #refreshChecks} and must be refreshed
 *   whenever a cache, CPL or the mode changes.</li>
 *   <li>{@code tlbSet} is the supervisor set (0) iff CPL &lt; 3; at CPL 3 it is
 *   {@link Tlb#NEVER_SET} iff CR0.AM and EFLAGS.AC are both set (every data access takes
 *   the slow path, which checks alignment), else {@link Tlb#USER_SET}.</li>
 *   <li>The arithmetic flags live in the lazy fields {@code cc*}; {@link #eflags} holds
 *   every other EFLAGS bit.</li>
 * </ul>
 */
public final class Cpu {
    // ------------------------------------------------------------------ registers
    /** General registers, indexed by {@link Reg}; slot 8 is the constant zero. */
    public final int[] r = new int[9];
    public int eip;

    /** Segment selectors and descriptor caches, indexed ES, CS, SS, DS, FS, GS, LDTR, TR. */
    public final int[] sel = new int[Reg.SEG_COUNT];
    public final int[] segBase = new int[Reg.SEG_COUNT];
    /** Effective byte-granular limit. */
    public final int[] segLimit = new int[Reg.SEG_COUNT];
    /** Access rights: bits 0-7 = descriptor byte 5 (type, S, DPL, P), bits 12-15 = AVL, L, D/B, G. */
    public final int[] segAttr = new int[Reg.SEG_COUNT];

    /** Segment check tables, index {@code seg * 6 + (write ? 3 : 0) + size}: offset range start. */
    final long[] chkLo = new long[36];
    /** Allowed span of {@code offset - lo} for the access (unsigned). */
    final long[] chkSpan = new long[36];
    /**
     * Bit s set: segment s is flat for reads (writes) — base 0, limit 4 GiB - 1, expand-up,
     * usable and readable (writable) — so an access needs only the 4 GiB wrap check. Derived
     * by {@link #refreshChecks} with the ranges above.
     */
    int flatRead;
    int flatWrite;
    private static final long EMPTY = 1L << 40;

    // ------------------------------------------------------------------ flags
    /** Non-arithmetic EFLAGS bits (always includes bit 1). */
    public int eflags = Flags.FIXED1;
    int ccOp = Flags.EXPLICIT;
    int ccRes;
    int ccDst;
    int ccSrc;
    int ccAux;

    // ------------------------------------------------------------------ system state
    public int cr0 = CR0_ET;
    public int cr2;
    public int cr3;
    public int cr4;
    public final int[] dr = new int[8];
    public int gdtBase;
    public int gdtLimit = 0xFFFF;
    public int idtBase;
    public int idtLimit = 0x3FF;
    /** Current privilege level. */
    public int cpl;
    /** CS.D: default operand and address size of the code segment is 32 bits. */
    public boolean code32;
    /** SS.B: the stack pointer is ESP (otherwise SP). */
    public boolean stack32;
    int stackMask = 0xFFFF;
    int tlbSet;
    /**
     * The TLB's index salt for the current address space ({@link Tlb#salt}, 0 unless the MMU
     * tags spaces), copied here on every paging change so the access fast paths read a field
     * of this object.
     */
    int tlbSalt;

    public static final int CR0_PE = 1;
    public static final int CR0_MP = 2;
    public static final int CR0_EM = 4;
    public static final int CR0_TS = 8;
    public static final int CR0_ET = 0x10;
    public static final int CR0_NE = 0x20;
    public static final int CR0_WP = 0x10000;
    public static final int CR0_AM = 0x40000;
    public static final int CR0_NW = 0x20000000;
    public static final int CR0_CD = 0x40000000;
    public static final int CR0_PG = 0x80000000;
    public static final int CR4_VME = 1;
    public static final int CR4_PVI = 2;
    public static final int CR4_TSD = 4;
    public static final int CR4_DE = 8;
    public static final int CR4_PSE = 0x10;
    public static final int CR4_PGE = 0x80;
    public static final int CR4_PCE = 0x100;

    // ------------------------------------------------------------------ counters
    /** Instructions retired. */
    public long instructions;
    /** Emulated cycles (the time-stamp counter before {@link #tscOffset}). */
    public long cycles;
    long tscOffset;

    // ------------------------------------------------------------------ run control
    /**
     * Changes whenever decoded-block links may be stale for a reason the TLB does not see:
     * CS reload, CPL or mode change, code invalidation.
     */
    long codeEpoch;
    /** Set by anything that must end the current block early (code write, mode change, IF). */
    boolean exitBlock;
    /** Index within the block of the instruction that faulted in a {@link CompiledBlock}. */
    int faultIndex;
    /** Instructions a self-looping compiled block retired in earlier passes before it faulted. */
    int faultLoopDone;
    /** Most instructions a compiled block may retire in one call (self-loops stop before). */
    int chainBudget;
    /** Emulated cycle at which a device event is due: self-loops stop there. */
    long eventCycle = Long.MAX_VALUE;
    /** Interrupt shadow after MOV SS / POP SS / STI: no interrupt before the next instruction. */
    boolean interruptShadow;
    public boolean halted;
    /** Shutdown after a triple fault; the machine cannot continue. */
    public boolean shutdown;
    /** Vector and error of the exception that caused the shutdown (diagnostics). */
    public String shutdownReason;

    // ------------------------------------------------------------------ collaborators
    public final PhysicalMemory mem;
    public final Mmu mmu;
    final long[] tlbRead;
    final long[] tlbWrite;
    final long[] tlbHost;
    final int[] tlbPhys;
    final Tlb tlb;
    public IoBus io = IoBus.OPEN_BUS;
    /** Source of external interrupts (the PIC), or null. */
    public InterruptSource interrupts;
    /** Host-side interception of interrupts/exceptions (the capability kernel), or null. */
    public TrapHook trapHook;
    public final CodeCache codeCache;
    public final CycleTable cycleTable;
    final CpuFault fault = new CpuFault();
    public final Msrs msrs = new Msrs();

    public Cpu(PhysicalMemory mem) {
        this(mem, CycleTable.defaults());
    }

    public Cpu(PhysicalMemory mem, CycleTable cycleTable) {
        this.mem = mem;
        this.mmu = new Mmu(mem);
        this.tlb = mmu.tlb;
        this.tlbRead = tlb.readTag;
        this.tlbWrite = tlb.writeTag;
        this.tlbHost = tlb.host;
        this.tlbPhys = tlb.phys;
        this.cycleTable = cycleTable;
        this.codeCache = new CodeCache(this);
        mem.setCodeWriteListener(codeCache);
        reset();
    }

    /** Processor reset state: real mode at F000:FFF0, as after RESET# on a P6. */
    public void reset() {
        java.util.Arrays.fill(r, 0);
        r[Reg.EDX] = 0x0633; // family 6 model 3 stepping 3 (see Cpuid)
        eflags = Flags.FIXED1;
        ccOp = Flags.EXPLICIT;
        ccRes = 0;
        cr0 = CR0_ET | CR0_CD | CR0_NW;
        cr2 = 0;
        cr3 = 0;
        cr4 = 0;
        java.util.Arrays.fill(dr, 0);
        dr[6] = 0xFFFF0FF0;
        dr[7] = 0x400;
        gdtBase = 0;
        gdtLimit = 0xFFFF;
        idtBase = 0;
        idtLimit = 0x3FF;
        for (int s = 0; s < Reg.SEG_COUNT; s++) {
            setSegmentCache(s, 0, 0, 0xFFFF, s == Reg.CS ? 0x9B : 0x93);
        }
        segAttr[Reg.LDTR] = 0x82;
        segAttr[Reg.TR] = 0x8B;
        setSegmentCache(Reg.CS, 0xF000, 0xFFFF0000, 0xFFFF, 0x9B);
        eip = 0xFFF0;
        cpl = 0;
        halted = false;
        shutdown = false;
        shutdownReason = null;
        interruptShadow = false;
        msrs.reset();
        configurePaging(); // CR0.PG, CR3 and CR4 were cleared: the MMU must stop translating
        updateMode();
    }

    // ================================================================== registers

    public int reg8(int n) {
        return n < 4 ? r[n] & 0xFF : (r[n - 4] >>> 8) & 0xFF;
    }

    public void setReg8(int n, int v) {
        if (n < 4) {
            r[n] = (r[n] & ~0xFF) | (v & 0xFF);
        } else {
            r[n - 4] = (r[n - 4] & ~0xFF00) | ((v & 0xFF) << 8);
        }
    }

    public int reg16(int n) {
        return r[n] & 0xFFFF;
    }

    public void setReg16(int n, int v) {
        r[n] = (r[n] & 0xFFFF0000) | (v & 0xFFFF);
    }

    /** Reads a register of operand size {@code sz} (0 byte, 1 word, 2 dword), zero-extended. */
    public int reg(int sz, int n) {
        return sz == 2 ? r[n] : sz == 1 ? r[n] & 0xFFFF : reg8(n);
    }

    public void setReg(int sz, int n, int v) {
        if (sz == 2) {
            r[n] = v;
        } else if (sz == 1) {
            r[n] = (r[n] & 0xFFFF0000) | (v & 0xFFFF);
        } else {
            setReg8(n, v);
        }
    }

    // ================================================================== flags

    /** The full EFLAGS value. */
    public int eflags() {
        return eflags | Flags.arith(this);
    }

    /** Replaces the EFLAGS bits in {@code mask} (callers apply privilege rules). */
    public void setEflags(int value, int mask) {
        // A whole new EFLAGS (IRET, POPF in a 32-bit frame, the kernel's resume) needs no
        // evaluation of the lazy arithmetic flags it replaces.
        int full = mask == -1 ? value : ((eflags | Flags.arith(this)) & ~mask) | (value & mask);
        full = (full & Flags.SUPPORTED) | Flags.FIXED1;
        int old = eflags;
        eflags = full & ~Flags.ARITH;
        ccOp = Flags.EXPLICIT;
        ccRes = full & Flags.ARITH;
        if (((full ^ old) & Flags.VM) != 0) {
            updateMode();
        } else if (((full ^ old) & Flags.AC) != 0) {
            refreshTlbSet();
        }
        exitBlock = true;
    }

    /** Records a lazy flags state. */
    final void cc(int op, int res, int dst, int src) {
        ccOp = op;
        ccRes = res;
        ccDst = dst;
        ccSrc = src;
    }

    public int cf() {
        return Flags.cf(this);
    }

    /** Replaces only the arithmetic flags in {@code mask}, materialising the others. */
    final void setArith(int value, int mask) {
        int f = Flags.arith(this);
        ccRes = (f & ~mask) | (value & mask);
        ccOp = Flags.EXPLICIT;
    }

    public boolean df() {
        return (eflags & Flags.DF) != 0;
    }

    public boolean v86() {
        return (eflags & Flags.VM) != 0;
    }

    public boolean protectedMode() {
        return (cr0 & CR0_PE) != 0;
    }

    public int iopl() {
        return (eflags >>> 12) & 3;
    }

    // ================================================================== mode and segment caches

    /**
     * Recomputes derived mode state after CR0, EFLAGS.VM, CS or SS change: CPL-dependent
     * TLB set, default sizes, stack mask and every segment check table.
     */
    void updateMode() {
        if (!protectedMode()) {
            cpl = 0;
        } else if (v86()) {
            cpl = 3;
        }
        code32 = protectedMode() && !v86() && (segAttr[Reg.CS] & 0x4000) != 0;
        stack32 = protectedMode() && !v86() && (segAttr[Reg.SS] & 0x4000) != 0;
        stackMask = stack32 ? -1 : 0xFFFF;
        refreshTlbSet();
        for (int s = 0; s < 6; s++) {
            refreshChecks(s);
        }
        exitBlock = true;
        codeEpoch++;
    }

    /** Loads a descriptor cache directly (reset, real-mode loads, descriptor loads). */
    public void setSegmentCache(int s, int selector, int base, int limit, int attr) {
        sel[s] = selector & 0xFFFF;
        segBase[s] = base;
        segLimit[s] = limit;
        segAttr[s] = attr;
        if (s < 6) {
            refreshChecks(s);
        }
        if (s == Reg.CS || s == Reg.SS) {
            code32 = protectedMode() && !v86() && (segAttr[Reg.CS] & 0x4000) != 0;
            stack32 = protectedMode() && !v86() && (segAttr[Reg.SS] & 0x4000) != 0;
            stackMask = stack32 ? -1 : 0xFFFF;
            exitBlock = true;
            codeEpoch++;
        }
    }

    /** Real-mode / V86 segment load: base = selector * 16; V86 also resets limit and rights. */
    public void loadSegmentReal(int s, int selector) {
        selector &= 0xFFFF;
        if (v86()) {
            setSegmentCache(s, selector, selector << 4, 0xFFFF, s == Reg.CS ? 0xFB : 0xF3);
        } else {
            sel[s] = selector;
            segBase[s] = selector << 4;
            if (s != Reg.CS) {
                // the cache becomes a present read/write data segment (as Bochs models it);
                // limit, DPL, D/B and G are kept ("unreal" mode). A segment nulled in
                // protected mode is thus usable again once reloaded in real mode.
                segAttr[s] = (segAttr[s] & 0xF060) | 0x93;
            }
            if (s == Reg.CS) {
                // a real-mode far transfer leaves a 16-bit, readable code segment
                segAttr[s] = (segAttr[s] & 0xB000) | 0x9B;
                code32 = false;
                exitBlock = true;
                codeEpoch++;
            }
            refreshChecks(s);
        }
    }

    /** Recomputes the fast segment-check ranges of data segment cache {@code s}. */
    void refreshChecks(int s) {
        int attr = segAttr[s];
        long lo;
        long hi;
        boolean readable;
        boolean writable;
        // A null selector load leaves a cache with P = 0, so usability is the P bit alone: the
        // selector value itself is not checked at use (real-mode caches stay usable after
        // CR0.PE is set, whatever their selector, until the register is reloaded)
        boolean usable = (attr & 0x80) != 0;
        if (!protectedMode() || v86()) {
            readable = true;
            writable = true;
            usable = true;
        } else if ((attr & 0x10) == 0) {
            readable = false; // system descriptor in a data register: unusable
            writable = false;
        } else if ((attr & 0x8) != 0) { // code
            readable = (attr & 0x2) != 0;
            writable = false;
        } else {
            readable = true;
            writable = (attr & 0x2) != 0;
        }
        long limit = segLimit[s] & 0xFFFFFFFFL;
        if ((attr & 0x18) == 0x10 && (attr & 0x4) != 0 && protectedMode() && !v86()) {
            lo = limit + 1; // expand-down data
            hi = (attr & 0x4000) != 0 ? 0xFFFFFFFFL : 0xFFFFL;
        } else {
            lo = 0;
            hi = limit;
        }
        boolean flat = usable && segBase[s] == 0 && lo == 0 && hi == 0xFFFFFFFFL;
        flatRead = flat && readable ? flatRead | (1 << s) : flatRead & ~(1 << s);
        flatWrite = flat && writable ? flatWrite | (1 << s) : flatWrite & ~(1 << s);
        for (int sz = 0; sz < 3; sz++) {
            int n = 1 << sz;
            long span = hi - lo - (n - 1);
            boolean ok = usable && span >= 0;
            chkLo[s * 6 + sz] = ok && readable ? lo : EMPTY;
            chkSpan[s * 6 + sz] = ok && readable ? span : 0;
            chkLo[s * 6 + 3 + sz] = ok && writable ? lo : EMPTY;
            chkSpan[s * 6 + 3 + sz] = ok && writable ? span : 0;
        }
    }

    // ================================================================== faults

    public CpuFault exception(int vector, int errorCode) {
        return fault.set(vector, errorCode, Vector.hasErrorCode(vector));
    }

    public CpuFault gp(int errorCode) {
        return fault.set(Vector.GP, errorCode, true);
    }

    public CpuFault ud() {
        return fault.set(Vector.UD, 0, false);
    }

    public CpuFault pageFault(int linear, int errorCode) {
        cr2 = linear;
        return fault.set(Vector.PF, errorCode, true);
    }

    /** #GP(0), or #SS(0) for the stack segment: a segment limit or rights violation. */
    CpuFault segmentViolation(int s) {
        if (protectedMode() && !v86() && s != Reg.SS && s != Reg.CS && (sel[s] & 0xFFFC) == 0) {
            return gp(0);
        }
        return s == Reg.SS ? fault.set(Vector.SS, 0, true) : gp(0);
    }

    // ================================================================== segmented memory access

    /**
     * True if an access at offset {@code off} fails segment check {@code k}: valid offsets
     * satisfy {@code 0 <= off - lo <= span}, tested with one sign check on longs (an empty
     * range has lo = 2^40, so off - lo is always negative).
     */
    private boolean outside(int off, int k) {
        long x = (off & 0xFFFFFFFFL) - chkLo[k];
        return (x | (chkSpan[k] - x)) < 0;
    }

    /** Linear address of a checked access of {@code 1 << sz} bytes; raises #GP/#SS otherwise. */
    public final int linear(int s, int off, int sz, boolean write) {
        int k = s * 6 + (write ? 3 : 0) + sz;
        if (outside(off, k)) {
            throw segmentViolation(s);
        }
        return segBase[s] + off;
    }

    public final int read8(int s, int off) {
        if (((flatRead >>> s) & 1) != 0) {
            return readLin8(off); // flat segment: base 0, every offset valid
        }
        int k = s * 6;
        if (outside(off, k)) {
            throw segmentViolation(s);
        }
        return readLin8(segBase[s] + off);
    }

    public final int read16(int s, int off) {
        if (((flatRead >>> s) & 1) != 0 && Integer.compareUnsigned(off, -2) <= 0) {
            return readLin16(off); // flat segment: base 0, every offset valid
        }
        int k = s * 6 + 1;
        if (outside(off, k)) {
            throw segmentViolation(s);
        }
        return readLin16(segBase[s] + off);
    }

    public final int read32(int s, int off) {
        if (((flatRead >>> s) & 1) != 0 && Integer.compareUnsigned(off, -4) <= 0) {
            return readLin32(off); // flat segment: base 0, every offset valid
        }
        int k = s * 6 + 2;
        if (outside(off, k)) {
            throw segmentViolation(s);
        }
        return readLin32(segBase[s] + off);
    }

    public final int read(int sz, int s, int off) {
        return sz == 2 ? read32(s, off) : sz == 1 ? read16(s, off) : read8(s, off);
    }

    public final void write8(int s, int off, int v) {
        if (((flatWrite >>> s) & 1) != 0) {
            writeLin8(off, v);
            return;
        }
        int k = s * 6 + 3;
        if (outside(off, k)) {
            throw segmentViolation(s);
        }
        writeLin8(segBase[s] + off, v);
    }

    public final void write16(int s, int off, int v) {
        if (((flatWrite >>> s) & 1) != 0 && Integer.compareUnsigned(off, -2) <= 0) {
            writeLin16(off, v);
            return;
        }
        int k = s * 6 + 4;
        if (outside(off, k)) {
            throw segmentViolation(s);
        }
        writeLin16(segBase[s] + off, v);
    }

    public final void write32(int s, int off, int v) {
        if (((flatWrite >>> s) & 1) != 0 && Integer.compareUnsigned(off, -4) <= 0) {
            writeLin32(off, v);
            return;
        }
        int k = s * 6 + 5;
        if (outside(off, k)) {
            throw segmentViolation(s);
        }
        writeLin32(segBase[s] + off, v);
    }

    public final void write(int sz, int s, int off, int v) {
        if (sz == 2) {
            write32(s, off, v);
        } else if (sz == 1) {
            write16(s, off, v);
        } else {
            write8(s, off, v);
        }
    }

    // ================================================================== linear memory access (TLB)

    public final int readLin8(int lin) {
        int i = (((lin >>> 12) ^ tlbSalt) & Tlb.MASK) + tlbSet;
        if (tlbRead[i] == (tlb.readGen | (lin & 0xFFFFF000L))) {
            return UnsafeApi.getByte(tlbHost[i] + (lin & 0xFFF)) & 0xFF;
        }
        return readSlow(lin, 1, tlbSet != 0);
    }

    public final int readLin16(int lin) {
        int i = (((lin >>> 12) ^ tlbSalt) & Tlb.MASK) + tlbSet;
        if (tlbRead[i] == (tlb.readGen | (lin & 0xFFFFF000L)) && (lin & 0xFFF) <= 0xFFE) {
            return UnsafeApi.getShort(tlbHost[i] + (lin & 0xFFF)) & 0xFFFF;
        }
        return readSlow(lin, 2, tlbSet != 0);
    }

    public final int readLin32(int lin) {
        int i = (((lin >>> 12) ^ tlbSalt) & Tlb.MASK) + tlbSet;
        if (tlbRead[i] == (tlb.readGen | (lin & 0xFFFFF000L)) && (lin & 0xFFF) <= 0xFFC) {
            return UnsafeApi.getInt(tlbHost[i] + (lin & 0xFFF));
        }
        return readSlow(lin, 4, tlbSet != 0);
    }

    public final void writeLin8(int lin, int v) {
        int i = (((lin >>> 12) ^ tlbSalt) & Tlb.MASK) + tlbSet;
        if (tlbWrite[i] == (tlb.writeGen | (lin & 0xFFFFF000L))) {
            UnsafeApi.putByte(tlbHost[i] + (lin & 0xFFF), (byte) v);
            return;
        }
        writeSlow(lin, 1, v, tlbSet != 0);
    }

    public final void writeLin16(int lin, int v) {
        int i = (((lin >>> 12) ^ tlbSalt) & Tlb.MASK) + tlbSet;
        if (tlbWrite[i] == (tlb.writeGen | (lin & 0xFFFFF000L)) && (lin & 0xFFF) <= 0xFFE) {
            UnsafeApi.putShort(tlbHost[i] + (lin & 0xFFF), (short) v);
            return;
        }
        writeSlow(lin, 2, v, tlbSet != 0);
    }

    public final void writeLin32(int lin, int v) {
        int i = (((lin >>> 12) ^ tlbSalt) & Tlb.MASK) + tlbSet;
        if (tlbWrite[i] == (tlb.writeGen | (lin & 0xFFFFF000L)) && (lin & 0xFFF) <= 0xFFC) {
            UnsafeApi.putInt(tlbHost[i] + (lin & 0xFFF), v);
            return;
        }
        writeSlow(lin, 4, v, tlbSet != 0);
    }

    /**
     * For read-modify-write: returns a host address for {@code n} bytes at {@code lin} that
     * may be read and written directly, or -1 after checking (and faulting on) write
     * access to every page touched; the caller then uses readLin/writeLin.
     */
    public final long rmwHost(int lin, int n) {
        int i = (((lin >>> 12) ^ tlbSalt) & Tlb.MASK) + tlbSet;
        if (tlbWrite[i] == (tlb.writeGen | (lin & 0xFFFFF000L)) && (lin & 0xFFF) <= 0x1000 - n) {
            return tlbHost[i] + (lin & 0xFFF);
        }
        boolean user = tlbSet != 0;
        translate(lin, Mmu.ACC_WRITE, user);
        if (((lin ^ (lin + n - 1)) & 0xFFFFF000) != 0) {
            translate((lin + n - 1) & 0xFFFFF000, Mmu.ACC_WRITE, user);
        } else if (tlbWrite[i] == (tlb.writeGen | (lin & 0xFFFFF000L))) {
            return tlbHost[i] + (lin & 0xFFF);
        }
        return -1;
    }

    /** Reads at supervisor privilege (descriptor tables, TSS), whatever the CPL. */
    public final int readSys8(int lin) {
        return readSlow(lin, 1, false);
    }

    public final int readSys16(int lin) {
        return readSlow(lin, 2, false);
    }

    public final int readSys32(int lin) {
        return readSlow(lin, 4, false);
    }

    public final void writeSys8(int lin, int v) {
        writeSlow(lin, 1, v, false);
    }

    public final void writeSys16(int lin, int v) {
        writeSlow(lin, 2, v, false);
    }

    public final void writeSys32(int lin, int v) {
        writeSlow(lin, 4, v, false);
    }

    /** Translates (filling the TLB) and returns the physical address; raises #PF. */
    final long translate(int lin, int access, boolean user) {
        if (mmu.pagingEnabled() && tlb.modelWalk(lin, user)) {
            cycles += cycleTable.pageWalk; // a data TLB miss (in the cost model) costs a walk
        }
        return walk(lin, access, user);
    }

    /**
     * Translates for an instruction fetch. Fetch misses are not charged: how often the
     * code cache consults the TLB depends on its own caching, and cycle counts must not
     * change with host-side optimisations (see docs/performance.md, cost model).
     */
    final long translateFetch(int lin, boolean user) {
        return walk(lin, 0, user);
    }

    private long walk(int lin, int access, boolean user) {
        long res = mmu.fill(lin, access | (user ? Mmu.ACC_USER : 0));
        if (res < 0) {
            throw pageFault(lin, Mmu.faultErrorCode(res));
        }
        return res & 0xFFFFFFFFL;
    }

    /** Slow read: page-crossing, TLB miss, MMIO or open bus. */
    final int readSlow(int lin, int n, boolean user) {
        if (user && (lin & (n - 1)) != 0 && tlbSet == Tlb.NEVER_SET) {
            throw fault.set(Vector.AC, 0, true);
        }
        if (((lin ^ (lin + n - 1)) & 0xFFFFF000) != 0) {
            // page-crossing: both pages must translate before any byte is used; a fault on
            // the second page reports its first byte in CR2 (the access is split there)
            long p0 = translate(lin, 0, user);
            long p1 = translate((lin + n - 1) & 0xFFFFF000, 0, user);
            int v = 0;
            for (int k = 0; k < n; k++) {
                int l = lin + k;
                long pa = ((l ^ lin) & 0xFFFFF000) == 0 ? p0 + k : (p1 & ~0xFFFL) + (l & 0xFFF);
                v |= mem.read8(pa) << (8 * k);
            }
            return v;
        }
        long pa = translate(lin, 0, user);
        return n == 1 ? mem.read8(pa) : n == 2 ? mem.read16(pa) : mem.read32(pa);
    }

    /** Slow write: page-crossing, TLB miss or no fast write permission, code pages, MMIO. */
    final void writeSlow(int lin, int n, int v, boolean user) {
        if (user && (lin & (n - 1)) != 0 && tlbSet == Tlb.NEVER_SET) {
            throw fault.set(Vector.AC, 0, true);
        }
        if (((lin ^ (lin + n - 1)) & 0xFFFFF000) != 0) {
            long p0 = translate(lin, Mmu.ACC_WRITE, user);
            long p1 = translate((lin + n - 1) & 0xFFFFF000, Mmu.ACC_WRITE, user);
            for (int k = 0; k < n; k++) {
                int l = lin + k;
                long pa = ((l ^ lin) & 0xFFFFF000) == 0 ? p0 + k : (p1 & ~0xFFFL) + (l & 0xFFF);
                mem.write8(pa, v >>> (8 * k));
            }
            return;
        }
        long pa = translate(lin, Mmu.ACC_WRITE, user);
        if (n == 1) {
            mem.write8(pa, v);
        } else if (n == 2) {
            mem.write16(pa, v);
        } else {
            mem.write32(pa, v);
        }
    }

    // ================================================================== stack

    /** Current stack pointer value as an offset in SS (ESP or SP). */
    public final int sp() {
        return r[Reg.ESP] & stackMask;
    }

    final void setSp(int v) {
        if (stack32) {
            r[Reg.ESP] = v;
        } else {
            r[Reg.ESP] = (r[Reg.ESP] & 0xFFFF0000) | (v & 0xFFFF);
        }
    }

    public final void push16(int v) {
        int sp = (r[Reg.ESP] - 2) & stackMask;
        write16(Reg.SS, sp, v);
        setSp(sp);
    }

    public final void push32(int v) {
        int sp = (r[Reg.ESP] - 4) & stackMask;
        write32(Reg.SS, sp, v);
        setSp(sp);
    }

    public final void push(boolean o32, int v) {
        if (o32) {
            push32(v);
        } else {
            push16(v);
        }
    }

    public final int pop16() {
        int sp = r[Reg.ESP] & stackMask;
        int v = read16(Reg.SS, sp);
        setSp(sp + 2);
        return v;
    }

    public final int pop32() {
        int sp = r[Reg.ESP] & stackMask;
        int v = read32(Reg.SS, sp);
        setSp(sp + 4);
        return v;
    }

    public final int pop(boolean o32) {
        return o32 ? pop32() : pop16();
    }

    /** Reads the stack at {@code SP + delta} without popping. */
    final int peek(boolean o32, int delta) {
        int sp = (r[Reg.ESP] + delta) & stackMask;
        return o32 ? read32(Reg.SS, sp) : read16(Reg.SS, sp);
    }

    // ================================================================== time

    /** The time-stamp counter as RDTSC returns it. */
    public long tsc() {
        return cycles + tscOffset;
    }

    public void setTsc(long value) {
        tscOffset = value - cycles;
    }

    // ================================================================== control registers

    /** MOV CR0 / LMSW / CLTS / task switch: applies side effects on paging and mode. */
    public void setCr0(int v) {
        v |= CR0_ET;
        int old = cr0;
        cr0 = v;
        if (((old ^ v) & (CR0_PE | CR0_PG | CR0_WP)) != 0) {
            configurePaging();
            updateMode();
        } else if (((old ^ v) & CR0_AM) != 0) {
            refreshTlbSet();
        }
    }

    public void setCr3(int v) {
        cr3 = v;
        configurePaging();
    }

    public void setCr4(int v) {
        int old = cr4;
        cr4 = v;
        if (((old ^ v) & (CR4_PSE | CR4_PGE)) != 0) {
            configurePaging();
        }
    }

    /**
     * Turns the MMU's address-space tagging on or off ({@link Mmu#setSpaceTagging}): for the
     * capability kernel's machine, whose page tables only the host changes.
     */
    public void setSpaceTagging(boolean on) {
        mmu.setSpaceTagging(on);
        tlbSalt = tlb.salt;
        exitBlock = true;
    }

    void configurePaging() {
        mmu.configure((cr0 & CR0_PG) != 0, (cr0 & CR0_WP) != 0, (cr4 & CR4_PSE) != 0, cr3);
        tlbSalt = tlb.salt;
        exitBlock = true;
    }

    /**
     * Selects the TLB set for data accesses: supervisor, user, or — while alignment
     * checking is on (CR0.AM, EFLAGS.AC, CPL 3) — the never-hitting set that routes every
     * user access through the slow path, which raises #AC for misaligned words and dwords.
     */
    void refreshTlbSet() {
        if (cpl != 3) {
            tlbSet = 0;
        } else if ((cr0 & CR0_AM) != 0 && (eflags & Flags.AC) != 0) {
            tlbSet = Tlb.NEVER_SET;
        } else {
            tlbSet = Tlb.USER_SET;
        }
    }

    /** TLB set for instruction fetches (never alignment-checked). */
    int fetchSet() {
        return tlbSet == Tlb.NEVER_SET ? Tlb.USER_SET : tlbSet;
    }

    /**
     * Sets CPL (protected-mode transfers) and the derived state. Public for hosts that own
     * ring 0 themselves (the capability kernel enters ring-3 processes without guest
     * ring-0 code); they must load CS/SS caches whose DPL matches.
     */
    public void setCpl(int newCpl) {
        cpl = newCpl;
        refreshTlbSet();
        for (int s = 0; s < 6; s++) {
            refreshChecks(s);
        }
        exitBlock = true;
        codeEpoch++;
    }

    /** Requests that the interpreter stop after the current instruction (used by hooks). */
    public void requestExit() {
        exitBlock = true;
    }

    @Override
    public String toString() {
        return String.format(
            "EAX=%08x EBX=%08x ECX=%08x EDX=%08x ESI=%08x EDI=%08x EBP=%08x ESP=%08x%n"
                + "EIP=%08x EFLAGS=%08x CPL=%d CR0=%08x CR2=%08x CR3=%08x CR4=%08x%n"
                + "CS=%04x(%08x) SS=%04x(%08x) DS=%04x(%08x) ES=%04x(%08x) FS=%04x GS=%04x",
            r[0], r[3], r[1], r[2], r[6], r[7], r[5], r[4], eip, eflags(), cpl, cr0, cr2, cr3, cr4,
            sel[1], segBase[1], sel[2], segBase[2], sel[3], segBase[3], sel[0], segBase[0], sel[4], sel[5]);
    }
}
