package org.erosim.kernel.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.erosim.cpu.CycleTable;
import org.junit.jupiter.api.Test;

/**
 * The default cost model reproduces EROS's measured null round trip (about 590 cycles on a
 * 120 MHz Pentium; quality.md asks for within 10%). The sequence is the one
 * docs/cost-model.md tabulates: a null CALL from the benchmark client (bench-ipc.c) to a
 * server in another address space that RETURNs at once (echo.S), plus the guest
 * instructions of both loops, priced by the CPU's default cycle table.
 */
class NullRoundTripTest {
    static final int ANCHOR = 590;

    /** Kernel steps of one null CALL: 4 words, no string, no keys but the fabricated resume key. */
    static long call(CostAccount a) {
        a.charge(CostModel.TRAP_ENTRY);
        a.charge(CostModel.INVOCATION_DECODE);
        a.charge(CostModel.KEY_PREPARE);           // the start key (already prepared)
        a.charge(CostModel.GATE_CHECK);            // server AVAILABLE
        a.charge(CostModel.RESUME_FABRICATE);      // delivered as the server's 4th key
        a.charge(CostModel.WORD_COPY, 4);
        a.chargeString(0);
        a.charge(CostModel.CONTEXT_SWITCH);
        a.charge(CostModel.ADDRESS_SPACE_SWITCH);
        a.charge(CostModel.TLB_REFILL);
        a.charge(CostModel.TRAP_EXIT);
        return a.total();
    }

    /** Kernel steps of the server's null RETURN through the resume key. */
    static void ret(CostAccount a) {
        a.charge(CostModel.TRAP_ENTRY);
        a.charge(CostModel.INVOCATION_DECODE);
        a.charge(CostModel.KEY_PREPARE);           // the resume key
        a.charge(CostModel.GATE_CHECK);            // client WAITING
        a.charge(CostModel.RESUME_CONSUME);
        a.charge(CostModel.WORD_COPY, 4);
        a.chargeString(0);
        a.charge(CostModel.WAKEUP_PER_SLEEPER, 0); // the server's stall queue is empty
        a.charge(CostModel.CONTEXT_SWITCH);
        a.charge(CostModel.ADDRESS_SPACE_SWITCH);
        a.charge(CostModel.TLB_REFILL);
        a.charge(CostModel.TRAP_EXIT);
    }

    /**
     * Guest instructions per round, from the compiled loops (objdump of bench-ipc.elf and
     * echo.elf; the INT 0x31 itself is priced as trap_entry and its return as trap_exit):
     * client loop 2 mov r,imm, 2 xor, 5 stores, call, dec, taken jne; ero_invoke 4 push,
     * 8 loads, 6 stores, 4 pop, ret; echo 1 store, 1 xor, jmp.
     */
    static int guest(CycleTable t) {
        return 2 * t.get("mov.ri") + 3 * t.get("alu.rr") + 12 * t.get("mov.store") + 8 * t.get("mov.load")
            + t.get("call") + t.get("incdec.r") + t.get("jcc.not_taken") + t.get("jcc.taken_extra")
            + 4 * t.get("push") + 4 * t.get("pop") + t.get("ret") + t.get("jmp");
    }

    @Test
    void nullRoundTripIsWithinTenPercentOfEros590Cycles() {
        CostAccount a = new CostAccount(CostModel.defaults());
        long callLeg = call(a);
        ret(a);
        long kernel = a.total();
        int guest = guest(CycleTable.defaults());
        long roundTrip = kernel + guest;
        // The figures docs/cost-model.md tabulates: change both together.
        assertEquals(276, callLeg);
        assertEquals(266, kernel - callLeg);
        assertEquals(48, guest);
        assertEquals(590, roundTrip);
        assertTrue(Math.abs(roundTrip - ANCHOR) <= ANCHOR / 10, roundTrip + " cycles");
    }

    @Test
    void breakdownOfTheRoundTripNamesEveryStepItCharged() {
        CostAccount a = new CostAccount(CostModel.defaults());
        call(a);
        ret(a);
        String b = a.breakdown();
        for (String step : new String[] {"trap_entry", "invocation_decode", "key_prepare", "gate_check", "resume_fabricate",
            "resume_consume", "word_copy", "context_switch", "address_space_switch", "tlb_refill", "trap_exit"}) {
            assertTrue(b.contains(step), step + " missing from\n" + b);
        }
        assertTrue(b.contains("total"), b);
        assertTrue(!b.contains("stall_enqueue") && !b.contains("post_fire"), "steps never charged are not listed:\n" + b);
    }
}
