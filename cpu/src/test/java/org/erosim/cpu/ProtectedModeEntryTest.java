package org.erosim.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** Entering protected mode from real mode and leaving it again (guest program pm_entry.S). */
class ProtectedModeEntryTest {
    // Proves LGDT/CR0.PE/far JMP enter 32-bit mode, old caches stay usable, and PE=0 returns.
    @Test
    void realToProtectedAndBackToReal() {
        try (GuestMachine m = GuestMachine.load("pm_entry")) {
            m.startReal().run();
            assertEquals(Interpreter.Stop.REQUESTED, m.stop(), m::describe);
            assertEquals(0, m.exitCode(), m::describe);
            assertEquals("APIR", m.console(), m::describe);
            assertEquals(0x1111, m.read16(0x500));
            assertEquals(0x2222, m.read16(0x502), "write through DS=0 with its real-mode cache after PE=1");
            assertEquals(0x33333333, m.read32(0x504));
            assertEquals(0x4444, m.read16(0x508));
            assertEquals(Cpu.CR0_PE, m.read32(m.sym("cr0_in_pm")) & Cpu.CR0_PE);
            assertEquals(0, m.cpu.cr0 & Cpu.CR0_PE);
            assertFalse(m.cpu.protectedMode());
            assertEquals(0x1000, m.cpu.sel[Reg.CS]);
            assertEquals(0x10000, m.cpu.segBase[Reg.CS]);
            assertFalse(m.cpu.code32);
            int gdt = m.sym("gdt");
            for (int sel : new int[] {0x08, 0x10, 0x18, 0x20}) {
                assertEquals(0x100, m.read32(gdt + sel + 4) & 0x100, "accessed bit of descriptor " + sel);
            }
        }
    }
}
