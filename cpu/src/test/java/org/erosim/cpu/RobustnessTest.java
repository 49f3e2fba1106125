package org.erosim.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
