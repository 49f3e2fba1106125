package org.erosim.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Self-modifying code against the pre-decoded block cache (guest program smc.S). */
class SelfModifyingCodeTest {
    // Proves stores into code (same block, opcode, loop, REP STOSB, paging alias) take effect.
    @Test
    void storesIntoCodeAreSeenByTheNextFetch() {
        try (GuestMachine m = GuestMachine.load("smc")) {
            int gdt = m.sym("gdt");
            m.start32(m.sym("pm_entry"), gdt, m.sym("gdt_end") - gdt - 1, 0x7F000);
            m.run();
            assertEquals(Interpreter.Stop.REQUESTED, m.stop(), m::describe);
            assertEquals(0, m.exitCode(), m::describe);
            assertEquals(0, m.events().size(), m::describe);
            assertEquals(0x42, m.result(0), "next instruction");
            assertEquals(0x43, m.result(1), "later instruction of the same block");
            assertEquals(1, m.result(2), "patched opcode");
            assertEquals(1 + 5 + 5, m.result(3), "loop body patched after the first iteration");
            assertEquals(0x55, m.result(4), "REP STOSB into the next instruction");
            assertEquals(0x66, m.result(5), "store through a paging alias");
        }
    }
}
