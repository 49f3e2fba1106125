package org.erosim.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.erosim.mmu.PhysicalMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One test per robustness bug the random-code tests and the fuzzers found. */
class RobustnessTest {
    private static final int GDT = 0x1000;
    private static final int IDT = 0x1800;
    private static final int CODE = 0x3000;

    /** A flat 32-bit ring-0 machine whose IDT entry 0x20 is a trap gate to {@code CODE}. */
    private static Cpu flatMachine(PhysicalMemory mem) {
        Cpu c = new Cpu(mem);
        put(mem, GDT + 0x08, RandomMachine.seg(0, -1, 0x9B, 0xC));
        put(mem, GDT + 0x10, RandomMachine.seg(0, -1, 0x93, 0xC));
        put(mem, IDT + 0x20 * 8, RandomMachine.gate(0x08, CODE, Descriptor.TYPE_TRAPGATE32, 0));
        c.gdtBase = GDT;
        c.gdtLimit = 0x17;
        c.idtBase = IDT;
        c.idtLimit = 0x20 * 8 + 7;
        c.setCr0(Cpu.CR0_PE | Cpu.CR0_ET);
        Descriptor.loadCache(c, Reg.CS, 0x08, Descriptor.read(c, 0x08));
        for (int s : new int[] {Reg.SS, Reg.DS, Reg.ES}) {
            Descriptor.loadCache(c, s, 0x10, Descriptor.read(c, 0x10));
        }
        mem.write8(CODE, 0xEB); // jmp $
        mem.write8(CODE + 1, 0xFE);
        c.eip = CODE;
        c.r[Reg.ESP] = 0x8000;
        return c;
    }

    private static void put(PhysicalMemory mem, int addr, long descriptor) {
        mem.write32(addr, (int) descriptor);
        mem.write32(addr + 4, (int) (descriptor >>> 32));
    }

    /**
     * A source that requests again as soon as it is acknowledged, behind a trap gate (IF
     * stays set), used to keep {@link Interpreter#run} delivering forever without retiring
     * an instruction.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void interruptStormEndsTheRunWithinItsBudget() {
        try (PhysicalMemory mem = new PhysicalMemory(1 << 20)) {
            Cpu c = flatMachine(mem);
            c.r[Reg.ESP] = 0; // the frames go to open bus at the top of 4 GiB: nothing ever faults
            c.setEflags(Flags.IF, Flags.IF);
            c.interrupts = new InterruptSource() {
                @Override
                public boolean pending() {
                    return true;
                }

                @Override
                public int acknowledge() {
                    return 0x20;
                }
            };
            assertEquals(Interpreter.Stop.BUDGET, new Interpreter(c).run(1_000));
        }
    }

    /**
     * HLT with IF set while a periodic timer's requests are masked (at the PIC, say): the
     * interpreter used to idle from event to event forever.
     */
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void haltWithMaskedTimerEndsTheRunWithinItsBudget() {
        try (PhysicalMemory mem = new PhysicalMemory(1 << 20)) {
            Cpu c = flatMachine(mem);
            mem.write8(CODE, 0xF4); // hlt
            c.setEflags(Flags.IF, Flags.IF);
            c.interrupts = new InterruptSource() {
                private long next = 100;

                @Override
                public boolean pending() {
                    return false;
                }

                @Override
                public int acknowledge() {
                    throw new AssertionError("nothing was requested");
                }

                @Override
                public long nextEventCycle() {
                    return next;
                }

                @Override
                public void advanceTo(long cycle) {
                    next = cycle + 100;
                }
            };
            assertEquals(Interpreter.Stop.BUDGET, new Interpreter(c).run(1_000));
            assertTrue(c.halted);
        }
    }

    /** A flat machine with {@code call_sweep.bin} loaded at {@code CODE}, sweeping [from, to). */
    private static Cpu sweep(PhysicalMemory mem, int from, int to, int step) throws IOException {
        Cpu c = flatMachine(mem);
        byte[] program;
        try (InputStream in = RobustnessTest.class.getResourceAsStream("/guest/call_sweep.bin")) {
            program = in.readAllBytes();
        }
        mem.writeBytes(CODE, program, 0, program.length);
        c.r[Reg.ESI] = from;
        c.r[Reg.EDI] = to;
        c.r[Reg.EBX] = step;
        return c;
    }

    /** Code run on more pages than the code cache holds: the cache flushes, not grows. */
    @Test
    void codeCacheStaysBoundedInPages() throws IOException {
        int pages = CodeCache.MAX_PAGES + 64;
        try (PhysicalMemory mem = new PhysicalMemory(16 << 20)) {
            for (int p = 0; p < pages; p++) {
                mem.write8(0x100000 + ((long) p << 12), 0xC3); // ret
            }
            Cpu c = sweep(mem, 0x100000, 0x100000 + (pages << 12), 0x1000);
            assertEquals(Interpreter.Stop.HALTED, new Interpreter(c).run(10 * pages));
            assertTrue(c.codeCache.cachedPages() <= CodeCache.MAX_PAGES, () -> c.codeCache.cachedPages() + " pages");
        }
    }

    /** Blocks decoded at every byte offset of many pages: the cache flushes, not grows. */
    @Test
    void codeCacheStaysBoundedInInstructions() throws IOException {
        int bytes = 48 << 12; // 48 pages of "nop x 7; ret": about 4 instructions per offset
        try (PhysicalMemory mem = new PhysicalMemory(16 << 20)) {
            for (int k = 0; k < bytes; k++) {
                mem.write8(0x100000 + k, (k & 7) == 7 ? 0xC3 : 0x90);
            }
            Cpu c = sweep(mem, 0x100000, 0x100000 + bytes, 1);
            assertEquals(Interpreter.Stop.HALTED, new Interpreter(c).run(20L * bytes));
            assertTrue(c.codeCache.blocksDecoded() > CodeCache.MAX_INSNS, "the sweep must overflow the cache");
            assertTrue(c.codeCache.cachedInstructions() <= CodeCache.MAX_INSNS + CodeCache.MAX_BLOCK,
                () -> c.codeCache.cachedInstructions() + " instructions");
        }
    }

    /**
     * Ring 3 jumps to a task whose SS is a code segment: the #TS raised in the new task at
     * CPL 0 used to run its handler on the old task's ring-3 stack segment.
     */
    @Test
    void faultLoadingANewTasksStackSwitchesToItsRingZeroStack() {
        int tss0 = 0x4000;
        int tss1 = 0x5000;
        try (PhysicalMemory mem = new PhysicalMemory(1 << 20)) {
            Cpu c = flatMachine(mem);
            put(mem, GDT + 0x18, RandomMachine.seg(0, -1, 0xFB, 0xC));
            put(mem, GDT + 0x20, RandomMachine.seg(0, -1, 0xF3, 0xC));
            put(mem, GDT + 0x28, RandomMachine.seg(tss0, 0x67, 0x89, 0));
            put(mem, GDT + 0x30, RandomMachine.seg(tss1, 0x67, 0xE9, 0)); // available, DPL 3
            c.gdtLimit = 0x37;
            c.idtLimit = 0x7FF;
            put(mem, IDT + Vector.TS * 8, RandomMachine.gate(0x08, CODE + 0x10, Descriptor.TYPE_INTGATE32, 0));
            mem.write8(CODE + 0x10, 0xF4); // the #TS handler halts
            mem.write32(tss1 + 32, 0x7000); // EIP
            mem.write32(tss1 + 36, Flags.FIXED1); // EFLAGS
            mem.write32(tss1 + 56, 0x8800); // ESP
            mem.write16(tss1 + 72, 0x10); // ES
            mem.write16(tss1 + 76, 0x08); // CS: ring 0
            mem.write16(tss1 + 80, 0x18); // SS: a code segment, so #TS(0x18)
            mem.write32(tss1 + 4, 0xA000); // ESP0
            mem.write32(tss1 + 8, 0x10); // SS0
            SystemOps.ltr(c, 0x28);
            Descriptor.loadCache(c, Reg.CS, 0x1B, Descriptor.read(c, 0x1B));
            Descriptor.loadCache(c, Reg.SS, 0x23, Descriptor.read(c, 0x23));
            c.setCpl(3);
            byte[] jmp = {(byte) 0xEA, 0, 0, 0, 0, 0x33, 0}; // jmp far 0x33:0
            mem.writeBytes(CODE + 0x20, jmp, 0, jmp.length);
            c.eip = CODE + 0x20;
            assertEquals(Interpreter.Stop.HALTED, new Interpreter(c).run(10));
            assertEquals(0, c.cpl);
            assertEquals(0x10, c.sel[Reg.SS]);
            assertEquals(0xA000 - 6 * 4, c.r[Reg.ESP]); // SS, ESP, EFLAGS, CS, EIP, error code
            assertEquals(0x18, mem.read32(0xA000 - 24)); // the error code names the bad SS
        }
    }

    /**
     * An instruction whose bytes straddle a page boundary was cached with the first page's
     * blocks, but nothing tracked its bytes: after they changed, the stale instruction ran.
     */
    @Test
    void instructionStraddlingAPageIsDecodedAfreshAfterItsBytesChange() {
        try (PhysicalMemory mem = new PhysicalMemory(1 << 20)) {
            Cpu c = flatMachine(mem);
            mem.write8(0x3FFF, 0xB0); // mov al, imm8 with the immediate on the next page
            mem.write8(0x4000, 0x11);
            mem.write8(0x4001, 0xF4); // hlt
            c.eip = 0x3FFF;
            Interpreter interp = new Interpreter(c);
            assertEquals(Interpreter.Stop.HALTED, interp.run(10));
            assertEquals(0x11, c.reg8(0));
            mem.write8(0x4000, 0x22);
            c.halted = false;
            c.eip = 0x3FFF;
            assertEquals(Interpreter.Stop.HALTED, interp.run(10));
            assertEquals(0x22, c.reg8(0));
        }
    }

    /** RESET clears CR0.PG; the MMU used to keep translating through the old page tables. */
    @Test
    void resetTurnsPagingOff() {
        try (PhysicalMemory mem = new PhysicalMemory(1 << 20)) {
            Cpu c = flatMachine(mem);
            c.setCr3(0x5000); // an empty page directory: every page is absent
            c.setCr0(c.cr0 | Cpu.CR0_PG);
            c.reset();
            assertFalse(c.mmu.pagingEnabled());
            mem.write8(0x1234, 0x5A);
            assertEquals(0x5A, c.readLin8(0x1234));
        }
    }
}
