package org.erosim.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import org.erosim.mmu.MmioHandler;
import org.erosim.mmu.PhysicalMemory;
import org.erosim.mmu.Tlb;

/**
 * A machine with random memory, started in one processor mode from a random state; shared by
 * the seeded property tests ({@link RandomCodeTest}) and the Jazzer targets
 * ({@link CpuFuzzTest}).
 *
 * <p>Every choice comes from a {@link Choices}: a seeded {@link java.util.Random} or the
 * fuzzer's input. RAM starts as a window, picked by one choice, of a fixed block of random
 * bytes; the system structures the mode needs are written over it (their bulk detail from a
 * PRNG seeded by another choice), then the chosen code bytes at CS:EIP. The structures are
 * valid (a guest in ring 3 or V86 mode traps to working ring-0 handlers), but nothing
 * protects them from the random code itself where its privilege reaches them.
 *
 * <pre>
 *  physical (RAM is 1 MiB + 64 KiB, so the HMA exists and higher addresses are open bus)
 *  0x90000  GDT, 32 entries (14..31 random)      0x90800  LDT, 8 random entries
 *  0x91000  IDT, 256 gates to the stubs          0x92000  TSS (32-bit) + I/O bitmap
 *  0x94100  second TSS (target of task gates)    0x95000  handler stubs, 8 bytes each
 *  0x98000  ring-0 stack top / page directory    0x99000  page table for linear 0..4 MiB
 *  0xA0000  device window (sometimes), 6 KiB
 * </pre>
 *
 * <p>A handler stub drops the error code, increments the saved EIP and returns, so a guest
 * that faults moves on by one byte instead of faulting at the same place forever.
 */
final class RandomMachine implements AutoCloseable {
    enum Mode {
        REAL, PROT16, FLAT32, PAGED32, RING3, RING3_PAGED, V86
    }

    /** Source of every decision a scenario makes. */
    interface Choices {
        /** A value in {@code [0, n)}. */
        int below(int n);

        int any();

        long anyLong();

        /** At most {@code max} bytes (the code placed at the start address). */
        byte[] bytes(int max);

        /** True with the given probability; true when a fuzzer's input is used up. */
        default boolean chance(int percent) {
            return below(100) < percent;
        }

        /**
         * True with the given probability; false when a fuzzer's input is used up, so that
         * short inputs give the common case, not every rare feature at once.
         */
        default boolean rarely(int percent) {
            return below(100) >= 100 - percent;
        }
    }

    static final long RAM = 0x110000;
    static final int GDT = 0x90000;
    static final int GDT_ENTRIES = 32;
    static final int LDT = 0x90800;
    static final int IDT = 0x91000;
    static final int TSS = 0x92000;
    static final int IO_BITMAP = 0x68;
    static final int TSS_LIMIT = IO_BITMAP + 8192;
    static final int TSS2 = 0x94100;
    static final int STUBS = 0x95000;
    static final int STACK0_TOP = 0x98000;
    static final int PAGE_DIR = 0x98000;
    static final int PAGE_TABLE = 0x99000;
    /** Physical pages from here up hold the structures above; ring 3 never gets them. */
    static final int SYSTEM_START = 0x90000;
    static final int SYSTEM_END = 0x9A000;
    /** A device window, in some cases; it ends inside a page on purpose. */
    static final int MMIO = 0xA0000;
    static final int MMIO_SIZE = 0x1800;

    static final int SEL_CODE0 = 0x08;
    static final int SEL_DATA0 = 0x10;
    static final int SEL_CODE3 = 0x1B;
    static final int SEL_DATA3 = 0x23;
    static final int SEL_TSS = 0x28;
    static final int SEL_CODE16 = 0x30;
    static final int SEL_DATA16 = 0x38;
    static final int SEL_LDT = 0x40;
    static final int SEL_CALL_GATE = 0x4B;
    static final int SEL_TSS2 = 0x50;
    static final int SEL_CONFORMING = 0x58;
    static final int SEL_EXPAND_DOWN = 0x60;
    static final int SEL_TASK_GATE = 0x68;

    final Mode mode;
    final PhysicalMemory mem;
    final Cpu cpu;
    final Interpreter interp;
    /** Summary of the start state, for failure messages. */
    final String start;

    private RandomMachine(Mode mode, PhysicalMemory mem, String start) {
        this.mode = mode;
        this.mem = mem;
        this.cpu = new Cpu(mem);
        this.interp = new Interpreter(cpu);
        this.start = start;
    }

    @Override
    public void close() {
        mem.close();
    }

    /** Builds a machine in {@code mode}; every other decision is taken from {@code ch}. */
    static RandomMachine build(Mode mode, Choices ch) {
        PhysicalMemory mem = new PhysicalMemory(RAM);
        fill(mem, ch.anyLong());
        boolean rom = mode == Mode.REAL && ch.rarely(20);
        if (rom) {
            byte[] image = new byte[0x10000];
            new SplittableRandom(ch.anyLong()).nextBytes(image);
            mem.mapRom(image);
        }
        RandomMachine m = new RandomMachine(mode, mem, mode + (rom ? " with ROM" : ""));
        m.setUp(ch);
        return m;
    }

    /** Random bytes shared by every machine: each starts with a window of them as its RAM. */
    private static final byte[] NOISE = noise();

    private static byte[] noise() {
        byte[] b = new byte[(int) RAM * 4];
        new SplittableRandom(0x6E6F697365L).nextBytes(b);
        return b;
    }

    private static void fill(PhysicalMemory mem, long seed) {
        int windows = NOISE.length - (int) RAM + 1;
        mem.writeBytes(0, NOISE, (int) Long.remainderUnsigned(seed, windows), (int) RAM);
    }

    private void setUp(Choices ch) {
        Cpu c = cpu;
        if (ch.rarely(30)) {
            c.interrupts = new Timer(1 + ch.below(ch.rarely(20) ? 64 : 20000), ch.below(256), ch.rarely(20));
        }
        c.io = new RandomIo(ch.anyLong());
        if (ch.rarely(30)) {
            // a device window inside RAM, like VGA memory: slow-path accesses and uncached code
            mem.mapMmio(MMIO, MMIO_SIZE, new Latch());
        }
        for (int i = 0; i < 8; i++) {
            // small values address RAM; selector-sized ones name the descriptors that exist
            int kind = ch.below(4);
            c.r[i] = kind < 2 ? ch.any() : kind == 2 ? ch.below(0x20000) : ch.below(GDT_ENTRIES * 8);
        }
        int flags = ch.any() & (Flags.ARITH | Flags.DF | Flags.IF | Flags.IOPL | Flags.AC);
        if (ch.rarely(10)) {
            flags |= Flags.TF;
        }
        if (ch.rarely(5)) {
            flags |= Flags.NT;
        }
        if (mode == Mode.REAL) {
            setUpReal(ch, flags);
        } else {
            setUpProtected(ch, flags);
        }
        byte[] code = ch.bytes(64);
        long lin = (c.segBase[Reg.CS] + c.eip) & 0xFFFFFFFFL;
        if (lin + code.length <= RAM) {
            mem.writeBytes(lin, code, 0, code.length); // identity-mapped in every mode
        }
    }

    private void setUpReal(Choices ch, int flags) {
        Cpu c = cpu;
        if (ch.rarely(20)) {
            return; // reset state: F000:FFF0, in ROM or open bus
        }
        c.mmu.setA20(ch.chance(70));
        for (int s = 0; s < 6; s++) {
            c.loadSegmentReal(s, ch.any());
        }
        if (ch.rarely(15)) {
            // "unreal" mode: a 4 GiB data limit left over from protected mode
            c.setSegmentCache(Reg.DS, c.sel[Reg.DS], c.segBase[Reg.DS], -1, 0x93);
        }
        if (ch.rarely(10)) {
            c.idtLimit = ch.below(0x400);
        }
        c.setEflags(flags, Flags.SUPPORTED & ~Flags.VM);
        c.eip = ch.any() & 0xFFFF;
    }

    private void setUpProtected(Choices ch, int flags) {
        Cpu c = cpu;
        // bulk detail (descriptor tables, page tables) comes from a PRNG so that a fuzzer's
        // input is spent on the state that matters: mode, registers, flags and code
        Choices bulk = new PrngChoices(ch.anyLong());
        boolean paged = mode == Mode.PAGED32 || mode == Mode.RING3_PAGED || (mode == Mode.V86 && ch.chance(50));
        boolean ring3 = mode == Mode.RING3 || mode == Mode.RING3_PAGED || mode == Mode.V86;
        // ring-3 segments stop below the system area unless paging protects it
        int userLimit = !paged && ch.chance(70) ? SYSTEM_START - 1 : -1;
        writeGdt(ch, bulk, userLimit);
        writeIdt(bulk);
        writeTss(ch);
        c.gdtBase = GDT;
        c.gdtLimit = GDT_ENTRIES * 8 - 1;
        c.idtBase = IDT;
        c.idtLimit = ch.chance(90) ? 256 * 8 - 1 : ch.below(0x10000);
        int cr0 = Cpu.CR0_PE | Cpu.CR0_ET | (ch.any() & (Cpu.CR0_MP | Cpu.CR0_EM | Cpu.CR0_TS | Cpu.CR0_NE
            | Cpu.CR0_WP | Cpu.CR0_AM));
        c.setCr0(cr0);
        SystemOps.ltr(c, SEL_TSS);
        SystemOps.lldt(c, ch.chance(50) ? SEL_LDT : 0);
        switch (mode) {
            case PROT16:
                loadSeg(Reg.CS, SEL_CODE16);
                loadSeg(Reg.SS, SEL_DATA16);
                for (int s : new int[] {Reg.DS, Reg.ES, Reg.FS, Reg.GS}) {
                    loadSeg(s, new int[] {SEL_DATA16, SEL_DATA0, SEL_EXPAND_DOWN, 0}[ch.below(4)]);
                }
                c.eip = ch.any() & 0xFFFF;
                c.r[Reg.ESP] = stackPointer(ch, 0xFFFF);
                break;
            case FLAT32:
            case PAGED32:
                loadSeg(Reg.CS, ch.chance(85) ? SEL_CODE0 : SEL_CONFORMING);
                for (int s : new int[] {Reg.SS, Reg.DS, Reg.ES, Reg.FS, Reg.GS}) {
                    loadSeg(s, SEL_DATA0);
                }
                c.eip = ch.chance(80) ? ch.below((int) RAM) : ch.any();
                c.r[Reg.ESP] = stackPointer(ch, -1);
                break;
            default: // RING3, RING3_PAGED, V86
                loadSeg(Reg.CS, SEL_CODE3);
                for (int s : new int[] {Reg.SS, Reg.DS, Reg.ES, Reg.FS, Reg.GS}) {
                    loadSeg(s, SEL_DATA3);
                }
                c.setCpl(3);
                c.eip = ch.chance(80) ? ch.below(SYSTEM_START) : ch.any();
                c.r[Reg.ESP] = stackPointer(ch, -1);
                break;
        }
        if (ch.rarely(10)) {
            c.gdtLimit = ch.below(0x10000); // the caches above stay loaded, as after a later LGDT
        }
        if (paged) {
            writePageTables(bulk, ring3);
            c.setCr4(ch.chance(50) ? Cpu.CR4_PSE : 0);
            c.setCr3(PAGE_DIR);
            c.setCr0(c.cr0 | Cpu.CR0_PG);
        }
        if (mode == Mode.V86) {
            c.setEflags(flags | Flags.VM, Flags.SUPPORTED);
            for (int s = 0; s < 6; s++) {
                c.loadSegmentReal(s, ch.any());
            }
            c.eip = ch.any() & 0xFFFF;
            c.r[Reg.ESP] = stackPointer(ch, 0xFFFF);
        } else {
            c.setEflags(flags, Flags.SUPPORTED & ~Flags.VM);
        }
        c.updateMode();
    }

    /** Mostly a stack pointer with room below it, sometimes anything. */
    private static int stackPointer(Choices ch, int mask) {
        return ch.chance(80) ? (0x1000 + ch.below(0x7000)) & mask & ~3 : ch.any() & mask;
    }

    private void loadSeg(int s, int selector) {
        if ((selector & 0xFFFC) == 0) {
            cpu.setSegmentCache(s, selector, 0, 0, 0);
            return;
        }
        Descriptor.loadCache(cpu, s, selector, Descriptor.read(cpu, selector));
    }

    // ------------------------------------------------------------------ running and checking

    /**
     * Runs at most {@code budget} instructions and checks what must hold whatever the guest
     * did: the run ends normally (a Java exception propagates to the caller), the budget is
     * respected and the derived CPU state agrees with the architectural state.
     */
    Interpreter.Stop runChecked(long budget) {
        long before = cpu.instructions;
        Interpreter.Stop stop = interp.run(budget);
        checkRun(stop, cpu.instructions - before, budget);
        return stop;
    }

    /**
     * Like {@link #runChecked}, one {@link Interpreter#step} at a time, checking the CPU state
     * at every instruction boundary. Without an interrupt source the outcome must equal that
     * of one {@link #runChecked} call: how the run is cut into blocks is not observable.
     */
    Interpreter.Stop runStepped(long budget) {
        long before = cpu.instructions;
        Interpreter.Stop stop = Interpreter.Stop.BUDGET;
        // each step retires an instruction or accepts an interrupt: at most budget of them
        for (long n = 0; n < budget && cpu.instructions - before < budget && stop == Interpreter.Stop.BUDGET; n++) {
            stop = interp.step();
            Interpreter.Stop s = stop;
            checkState(() -> "after step " + (cpu.instructions - before) + ", " + describe(s));
        }
        checkRun(stop, cpu.instructions - before, budget);
        return stop;
    }

    private String describe(Interpreter.Stop stop) {
        return start + ", stopped " + stop + (cpu.shutdownReason != null ? " (" + cpu.shutdownReason + ")" : "")
            + "\n" + cpu;
    }

    private void checkRun(Interpreter.Stop stop, long executed, long budget) {
        Cpu c = cpu;
        Supplier<String> state = () -> describe(stop);
        assertTrue(executed >= 0 && executed <= budget, () -> executed + " instructions, budget " + budget + ": "
            + state.get());
        if (stop == Interpreter.Stop.BUDGET && c.interrupts == null) {
            assertEquals(budget, executed, state); // accepted interrupts take budget too
        }
        assertEquals(stop == Interpreter.Stop.SHUTDOWN, c.shutdown, state);
        if (stop == Interpreter.Stop.HALTED) {
            assertTrue(c.halted, state);
        }
        checkTlb(state);
        checkState(state);
    }

    /** Derived CPU state that must agree with the architectural state at every boundary. */
    private void checkState(Supplier<String> state) {
        Cpu c = cpu;
        assertEquals(0, c.r[Reg.ZERO], () -> "the zero register changed: " + state.get());
        if (c.shutdown) {
            return; // a triple fault may stop in the middle of a transfer
        }
        boolean pe = c.protectedMode();
        boolean vm = c.v86();
        assertTrue(pe || !vm, () -> "VM without PE: " + state.get());
        assertTrue(pe || c.cpl == 0, () -> "real mode at CPL " + c.cpl + ": " + state.get());
        assertTrue(!vm || c.cpl == 3, () -> "V86 mode at CPL " + c.cpl + ": " + state.get());
        if (pe && !vm) {
            // the stack is always at CPL; code at CPL, or below it if conforming
            int csDpl = (c.segAttr[Reg.CS] >>> 5) & 3;
            boolean conforming = (c.segAttr[Reg.CS] & 0x1C) == 0x1C;
            assertEquals(c.cpl, (c.segAttr[Reg.SS] >>> 5) & 3, () -> "SS.DPL is not CPL: " + state.get());
            assertTrue(conforming ? csDpl <= c.cpl : csDpl == c.cpl, () -> "CS.DPL does not fit CPL: "
                + state.get());
        }
        int expectedSet = c.cpl != 3 ? 0
            : (c.cr0 & Cpu.CR0_AM) != 0 && (c.eflags() & Flags.AC) != 0 ? Tlb.NEVER_SET : Tlb.USER_SET;
        assertEquals(expectedSet, c.tlbSet, () -> "TLB set: " + state.get());
        assertEquals(pe && !vm && (c.segAttr[Reg.CS] & 0x4000) != 0, c.code32, () -> "code32: " + state.get());
        assertEquals(pe && !vm && (c.segAttr[Reg.SS] & 0x4000) != 0, c.stack32, () -> "stack32: " + state.get());
        assertEquals(c.stack32 ? -1 : 0xFFFF, c.stackMask, () -> "stack mask: " + state.get());
        assertEquals(0, c.eflags & Flags.ARITH, () -> "arithmetic flags outside the lazy state: " + state.get());
        assertEquals(Flags.FIXED1, c.eflags() & ~Flags.SUPPORTED, () -> "reserved EFLAGS bits: " + state.get());
        assertEquals((c.cr0 & Cpu.CR0_PG) != 0, c.mmu.pagingEnabled(), () -> "MMU disagrees with CR0.PG: "
            + state.get());
        long[] lo = c.chkLo.clone();
        long[] span = c.chkSpan.clone();
        for (int s = 0; s < 6; s++) {
            c.refreshChecks(s);
        }
        assertArrayEquals(lo, c.chkLo, () -> "stale segment checks: " + state.get());
        assertArrayEquals(span, c.chkSpan, () -> "stale segment checks: " + state.get());
    }

    /**
     * Every current TLB entry points at the page {@link PhysicalMemory#hostPage} names for
     * its physical address (so fast-path accesses stay inside the allocated blocks), and a
     * fast write permission never covers ROM, MMIO or a page holding decoded code.
     */
    private void checkTlb(Supplier<String> state) {
        Tlb t = cpu.mmu.tlb;
        long genMask = 0xFFFFFFFF00000000L;
        for (int i = 0; i < t.readTag.length; i++) {
            boolean read = t.readTag[i] != Tlb.INVALID && (t.readTag[i] & genMask) == t.readGen;
            boolean write = t.writeTag[i] != Tlb.INVALID && (t.writeTag[i] & genMask) == t.writeGen;
            long pa = t.phys[i] & 0xFFFFFFFFL;
            int k = i;
            if (read) {
                long host = mem.hostPage(pa);
                assertTrue(host != PhysicalMemory.NO_HOST && host == t.host[i],
                    () -> String.format("TLB entry %d: host %x for physical %x: %s", k, t.host[k], pa, state.get()));
            }
            if (write) {
                assertTrue(read && (t.writeTag[i] & 0xFFFFF000L) == (t.readTag[i] & 0xFFFFF000L),
                    () -> "write tag without read tag at " + k + ": " + state.get());
                assertTrue(mem.isFastWritable(pa) && !mem.isCode(pa),
                    () -> String.format("fast write to physical %x: %s", pa, state.get()));
            }
        }
    }

    /** The outcome of a run, for determinism checks. */
    record Outcome(long instructions, long cycles, List<Integer> regs, int eip, int eflags, List<Integer> sels,
        int cr0, int cr2, int cr3, int cpl, boolean halted, boolean shutdown, long ramCrc) {
    }

    Outcome outcome() {
        Cpu c = cpu;
        byte[] ram = new byte[(int) RAM];
        mem.ramView(0, (int) RAM).getBytes(0, ram);
        CRC32 crc = new CRC32();
        crc.update(ram);
        return new Outcome(c.instructions, c.cycles, Arrays.stream(c.r).boxed().toList(), c.eip, c.eflags(),
            Arrays.stream(c.sel).boxed().toList(), c.cr0, c.cr2, c.cr3, c.cpl, c.halted, c.shutdown, crc.getValue());
    }

    // ------------------------------------------------------------------ system structures

    private void writeGdt(Choices ch, Choices bulk, int userLimit) {
        int base16 = ch.below(0x9000) << 4;
        desc(GDT, 0L);
        desc(GDT + SEL_CODE0, seg(0, -1, 0x9B, 0xC));
        desc(GDT + SEL_DATA0, seg(0, -1, 0x93, 0xC));
        desc(GDT + (SEL_CODE3 & ~3), seg(0, userLimit, 0xFB, 0xC));
        desc(GDT + (SEL_DATA3 & ~3), seg(0, userLimit, 0xF3, 0xC));
        desc(GDT + SEL_TSS, seg(TSS, TSS_LIMIT, 0x89, 0));
        desc(GDT + SEL_CODE16, seg(base16, 0xFFFF, 0x9B, 0));
        desc(GDT + SEL_DATA16, seg(base16, 0xFFFF, 0x93, 0));
        desc(GDT + SEL_LDT, seg(LDT, 8 * 8 - 1, 0x82, 0));
        // a call gate for ring 3 that copies a few parameters; its target returns past them
        int params = ch.below(4);
        long callGate = gate(SEL_CODE0, STUBS + 0x800, Descriptor.TYPE_CALLGATE32, 3) | ((long) params << 32);
        desc(GDT + (SEL_CALL_GATE & ~3), callGate);
        byte[] ret = {(byte) 0xFF, 0x04, 0x24, (byte) 0xCA, (byte) (4 * params), 0}; // inc dword [esp]; retf n
        mem.writeBytes(STUBS + 0x800, ret, 0, ret.length);
        desc(GDT + SEL_TSS2, seg(TSS2, 0x67, 0x89, 0));
        desc(GDT + SEL_CONFORMING, seg(0, -1, 0x9F, 0xC));
        desc(GDT + SEL_EXPAND_DOWN, seg(0, ch.below(0x10000), 0x97, ch.chance(50) ? 0x4 : 0));
        desc(GDT + SEL_TASK_GATE, gate(SEL_TSS2, 0, Descriptor.TYPE_TASKGATE, 3));
        for (int a = GDT + SEL_TASK_GATE + 8; a < GDT + GDT_ENTRIES * 8; a += 8) {
            desc(a, randomDescriptor(bulk));
        }
        for (int a = LDT; a < LDT + 64; a += 8) {
            desc(a, randomDescriptor(bulk));
        }
    }

    /** Mostly well-formed segments and gates with random fields, sometimes raw bits. */
    private static long randomDescriptor(Choices ch) {
        if (ch.chance(25)) {
            return ((long) ch.any() << 32) | (ch.any() & 0xFFFFFFFFL);
        }
        int type = ch.below(16);
        int dpl = ch.below(4);
        if (ch.chance(60)) {
            int access = 0x10 | type | (dpl << 5) | (ch.chance(90) ? 0x80 : 0);
            return seg(ch.chance(50) ? 0 : ch.below((int) RAM), ch.chance(50) ? -1 : ch.below(0x100000), access,
                ch.below(16));
        }
        int[] gates = {Descriptor.TYPE_CALLGATE16, Descriptor.TYPE_CALLGATE32, Descriptor.TYPE_TASKGATE,
            Descriptor.TYPE_TSS16_AVAIL, Descriptor.TYPE_TSS32_AVAIL, Descriptor.TYPE_LDT};
        int t = gates[ch.below(gates.length)];
        if (t == Descriptor.TYPE_TSS16_AVAIL || t == Descriptor.TYPE_TSS32_AVAIL || t == Descriptor.TYPE_LDT) {
            return seg(ch.below((int) RAM), ch.below(0x3000), 0x80 | t | (dpl << 5), 0);
        }
        int sel = (ch.below(GDT_ENTRIES + 2) << 3) | ch.below(8);
        return gate(sel, ch.chance(50) ? STUBS + 8 * ch.below(256) : ch.any(), t, dpl) | ((long) ch.below(32) << 32);
    }

    private void writeIdt(Choices bulk) {
        for (int v = 0; v < 256; v++) {
            int stub = STUBS + 8 * v;
            byte[] code = Vector.hasErrorCode(v)
                ? new byte[] {(byte) 0x83, (byte) 0xC4, 0x04, (byte) 0xFF, 0x04, 0x24, (byte) 0xCF} // add esp,4
                : new byte[] {(byte) 0xFF, 0x04, 0x24, (byte) 0xCF}; // inc dword [esp]; iretd
            mem.writeBytes(stub, code, 0, code.length);
            long g;
            if (v == Vector.DF && bulk.chance(30)) {
                g = gate(SEL_TSS2, 0, Descriptor.TYPE_TASKGATE, 0);
            } else if (bulk.chance(97)) {
                int type = bulk.chance(50) ? Descriptor.TYPE_INTGATE32 : Descriptor.TYPE_TRAPGATE32;
                g = gate(bulk.chance(95) ? SEL_CODE0 : SEL_CONFORMING, stub, type, bulk.chance(70) ? 3 : 0);
            } else {
                g = randomDescriptor(bulk);
            }
            desc(IDT + 8 * v, g);
        }
        byte[] hlt = {(byte) 0xF4, (byte) 0xEB, (byte) 0xFD}; // hlt; jmp $-1
        mem.writeBytes(STUBS + 0x810, hlt, 0, hlt.length);
    }

    private void writeTss(Choices ch) {
        for (int a = TSS; a < TSS + IO_BITMAP; a += 4) {
            mem.write32(a, 0);
        }
        mem.write32(TSS + 4, STACK0_TOP); // ESP0
        mem.write32(TSS + 8, SEL_DATA0); // SS0
        mem.write16(TSS + 102, ch.chance(90) ? IO_BITMAP : ch.below(0x10000));
        // the I/O bitmap keeps its random contents, plus the terminating byte
        mem.write8(TSS + IO_BITMAP + 8192, 0xFF);
        // the second task halts in ring 0 on its own stack
        for (int a = TSS2; a < TSS2 + 0x68; a += 4) {
            mem.write32(a, 0);
        }
        mem.write32(TSS2 + 28, PAGE_DIR);
        mem.write32(TSS2 + 32, STUBS + 0x810);
        mem.write32(TSS2 + 36, Flags.FIXED1);
        mem.write32(TSS2 + 56, STACK0_TOP - 0x800); // ESP
        int[] segs = {SEL_DATA0, SEL_CODE0, SEL_DATA0, SEL_DATA0, 0, 0};
        for (int s = 0; s < 6; s++) {
            mem.write16(TSS2 + 72 + 4 * s, segs[s]);
        }
    }

    /**
     * Identity maps the first 4 MiB: the system area for the supervisor only, other RAM pages
     * mostly present and writable (and user-accessible for ring-3 modes), pages above RAM
     * mostly absent. Other page directory entries are absent, random, or 4 MiB pages.
     */
    private void writePageTables(Choices bulk, boolean ring3) {
        mem.write32(PAGE_DIR, PAGE_TABLE | 7);
        for (int i = 1; i < 1024; i++) {
            int pde = bulk.chance(90) ? 0 : bulk.chance(50) ? bulk.any() : (bulk.any() & 0xFFC00000) | 0x87 | (bulk.any() & 0x78);
            mem.write32(PAGE_DIR + 4 * i, pde);
        }
        for (int p = 0; p < 1024; p++) {
            long pa = (long) p << 12;
            int pte;
            if (pa >= SYSTEM_START && pa < SYSTEM_END) {
                pte = (int) pa | 3;
            } else if (pa < RAM || bulk.chance(10)) {
                pte = (int) pa | (bulk.chance(95) ? 1 : 0) | (bulk.chance(85) ? 2 : 0) | (ring3 && bulk.chance(95) ? 4 : 0)
                    | (bulk.any() & 0x60);
            } else {
                pte = bulk.chance(90) ? 0 : bulk.any();
            }
            mem.write32(PAGE_TABLE + 4 * p, pte);
        }
    }

    private void desc(int addr, long d) {
        mem.write32(addr, (int) d);
        mem.write32(addr + 4, (int) (d >>> 32));
    }

    /**
     * A code/data/system segment descriptor. {@code limit} is in bytes (-1: 4 GiB); limits
     * above 1 MiB set G. {@code flags} is the AVL/L/DB/G nibble.
     */
    static long seg(int base, int limit, int access, int flags) {
        long l = limit & 0xFFFFFFFFL;
        if (l > 0xFFFFF) {
            l >>>= 12;
            flags |= 0x8;
        }
        int lo = (base << 16) | (int) (l & 0xFFFF);
        int hi = ((base >>> 16) & 0xFF) | (access << 8) | (int) (l & 0xF0000) | ((flags & 0xF) << 20)
            | (base & 0xFF000000);
        return (lo & 0xFFFFFFFFL) | ((long) hi << 32);
    }

    /** A present gate (call, interrupt, trap or task). */
    static long gate(int selector, int offset, int type, int dpl) {
        int lo = (selector << 16) | (offset & 0xFFFF);
        int hi = (offset & 0xFFFF0000) | 0x8000 | (dpl << 13) | (type << 8);
        return (lo & 0xFFFFFFFFL) | ((long) hi << 32);
    }

    /** Choices from a PRNG. */
    private static final class PrngChoices implements Choices {
        private final SplittableRandom rng;

        PrngChoices(long seed) {
            rng = new SplittableRandom(seed);
        }

        @Override
        public int below(int n) {
            return rng.nextInt(n);
        }

        @Override
        public int any() {
            return rng.nextInt();
        }

        @Override
        public long anyLong() {
            return rng.nextLong();
        }

        @Override
        public byte[] bytes(int max) {
            byte[] b = new byte[rng.nextInt(max + 1)];
            rng.nextBytes(b);
            return b;
        }
    }

    // ------------------------------------------------------------------ devices

    /**
     * A periodic interrupt request, acknowledged like an edge-triggered PIC input; a masked
     * one keeps its period but never requests (a timer masked at the PIC).
     */
    static final class Timer implements InterruptSource {
        private final int period;
        private final int vector;
        private final boolean masked;
        private long next;
        private boolean raised;

        Timer(int period, int vector, boolean masked) {
            this.period = period;
            this.vector = vector;
            this.masked = masked;
            this.next = period;
        }

        @Override
        public boolean pending() {
            return raised;
        }

        @Override
        public int acknowledge() {
            raised = false;
            return vector;
        }

        @Override
        public long nextEventCycle() {
            return next;
        }

        @Override
        public void advanceTo(long cycle) {
            raised = !masked;
            next = cycle + period;
        }
    }

    /** Memory-mapped registers that read back what was last written, whatever the size. */
    static final class Latch implements MmioHandler {
        private final int[] words = new int[MMIO_SIZE / 4];

        @Override
        public int read(long pa, int size) {
            int v = words[(int) ((pa - MMIO) >>> 2)] >>> (8 * (int) (pa & 3));
            return size == 4 ? v : v & ((1 << (8 * size)) - 1);
        }

        @Override
        public void write(long pa, int size, int value) {
            words[(int) ((pa - MMIO) >>> 2)] = value;
        }
    }

    /** Ports that answer deterministic noise. */
    static final class RandomIo implements IoBus {
        private final SplittableRandom rng;

        RandomIo(long seed) {
            rng = new SplittableRandom(seed);
        }

        @Override
        public int in(int port, int size) {
            int v = rng.nextInt();
            return size == 1 ? v & 0xFF : size == 2 ? v & 0xFFFF : v;
        }

        @Override
        public void out(int port, int size, int value) {
        }
    }
}
