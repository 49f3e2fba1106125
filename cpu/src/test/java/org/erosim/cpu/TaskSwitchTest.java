package org.erosim.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hardware task switches (guest program tasks.S). */
class TaskSwitchTest extends GuestProgramTest {
    TaskSwitchTest() {
        super("tasks");
    }

    private static final int AVAILABLE = 0x9;
    private static final int BUSY = 0xB;

    private void results(int... expect) {
        for (int k = 0; k < expect.length; k += 2) {
            assertEquals(expect[k + 1], m.result(expect[k]), "result " + expect[k] + "\n" + m.describe());
        }
    }

    // Proves JMP to a TSS and back: new TR/LDTR/FS/ESP, CR0.TS, busy bits, registers saved.
    @Test
    void jmpToTssAndBack() {
        assertEquals(0, run(0).size(), m::describe);
        results(0, 0x40, 1, 0x48, 2, 0x0C, 3, 0x600DF00D, 5, 0, 6, AVAILABLE, 7, BUSY, 17, 0x5E000);
        assertEquals(0, m.result(4) & Flags.NT, "no NT after JMP");
        assertEquals(Cpu.CR0_TS, m.result(16) & Cpu.CR0_TS);
        results(8, 0x1234, 9, 0x5678, 10, 0x28, 11, AVAILABLE, 12, m.sym("task_b_after"), 13, 0xAAAA, 14, BUSY);
        assertEquals(0, m.result(15) & Flags.NT);
    }

    // Proves CALL to a TSS sets NT and the back link, and IRET returns and clears NT.
    @Test
    void callToTssAndIretWithNt() {
        assertEquals(0, run(1).size(), m::describe);
        assertEquals(Flags.NT, m.result(0) & Flags.NT, "NT in the called task");
        results(1, 0x28, 2, BUSY, 3, BUSY, 4, 0x40);
        assertEquals(0, m.result(8) & Flags.NT, "caller NT after IRET");
        results(9, BUSY, 10, AVAILABLE, 12, 0x28, 13, 0x28);
        assertEquals(0, m.result(11) & Flags.NT, "NT cleared in the saved EFLAGS of the callee");
    }

    // Proves CALL through a task gate switches to the gate's TSS (TR is the TSS selector).
    @Test
    void callThroughTaskGate() {
        assertEquals(0, run(2).size(), m::describe);
        assertEquals(Flags.NT, m.result(0) & Flags.NT);
        results(1, 0x28, 2, BUSY, 3, BUSY, 4, 0x40, 10, AVAILABLE);
    }

    // Proves INT through a task gate nests like CALL, and the handler task resumes after IRET.
    @Test
    void interruptThroughTaskGate() {
        assertEquals(0, run(3).size(), m::describe);
        assertEquals(Flags.NT, m.result(1) & Flags.NT);
        results(0, 2, 2, 0x28, 3, 0x2222, 4, 0x5D800, 8, m.sym("int_back2"), 9, AVAILABLE, 10, 0x2222);
    }

    // Proves an exception through a task gate pushes its error code on the new task stack.
    @Test
    void exceptionThroughTaskGatePushesErrorCode() {
        assertEquals(0, run(4).size(), m::describe);
        results(0, 0xFF8, 1, 0x28, 2, m.sym("gp_f"), 3, 0x5D000 - 4, 8, 0x77);
    }

    // Proves JMP/CALL to a busy TSS give #GP(sel) and IRET to an available one #TS(sel).
    @Test
    void busyChecks() {
        List<GuestMachine.Event> ev = run(5);
        assertEquals(3, ev.size(), m::describe);
        assertEquals(Vector.GP, ev.get(0).vector());
        assertEquals(0x28, ev.get(0).error());
        assertEquals(m.sym("busy_f1"), ev.get(0).eip());
        assertEquals(Vector.GP, ev.get(1).vector());
        assertEquals(0x28, ev.get(1).error());
        assertEquals(m.sym("busy_f2"), ev.get(1).eip());
        assertEquals(Vector.TS, ev.get(2).vector());
        assertEquals(0x40, ev.get(2).error());
        assertEquals(m.sym("busy_f3"), ev.get(2).eip());
        results(0, AVAILABLE, 1, BUSY);
    }

    // Proves a bad LDT in the new TSS faults after the commit point, in the new task.
    @Test
    void faultAfterCommitPointIsInNewTask() {
        assertEquals(0, run(6).size(), m::describe);
        results(0, 0x28, 1, 0x68, 2, m.sym("task_e"), 3, BUSY, 4, AVAILABLE, 5, BUSY, 6, 0x70);
    }
    // Proves a null SS0 gives #TS with EXT (error code 1) for a ring-3 exception.
    @Test
    void nullSs0GivesTsWithExtBit() {
        assertEquals(0, run(7).size(), m::describe);
        results(0, 1, 1, 0x28, 2, m.sym("ud_code"), 3, 0x1B);
    }

    // Proves a ring-0 stack without room for the frame raises #SS(SS0 selector) with EXT set.
    @Test
    void ring0StackWithoutRoomGivesSsWithExtBit() {
        assertEquals(0, run(8).size(), m::describe);
        results(0, 0x80 | 1, 1, 0x28, 2, m.sym("ud_code"), 3, 0x1B);
    }

    // Proves task-gate targets in the LDT, not a TSS, or busy give #GP(TSS selector [+EXT]).
    @Test
    void taskGateTargetErrors() {
        List<GuestMachine.Event> ev = run(9);
        assertEquals(3, ev.size(), m::describe);
        int[] err = {0x44, 0x10, 0x28 | 1};
        for (int k = 0; k < 3; k++) {
            assertEquals(Vector.GP, ev.get(k).vector(), m::describe);
            assertEquals(err[k], ev.get(k).error(), m::describe);
            assertEquals(m.sym("ge_f" + (k + 1)), ev.get(k).eip(), m::describe);
        }
    }
    // Proves a 16-bit TSS: word state, FS/GS null, upper register halves kept, busy type 3.
    @Test
    void sixteenBitTss() {
        assertEquals(0, run(10).size(), m::describe);
        results(0, 0x88, 1, 0, 2, 0, 5, 0xABCD1357, 6, 0x3, 7, 0x1);
        assertEquals(Flags.NT | 0x2, m.result(3) & ~Flags.ARITH, "FLAGS from the TSS");
        assertEquals(0x5A00, m.result(4) & 0xFFFF);
        results(8, m.sym("task16_after") - m.origin(), 9, 0x2468);
    }
    // Proves warm task switches (JMP, task-gate INT, IRET) allocate nothing.
    @Test
    void taskSwitchesDoNotAllocate() {
        m = GuestMachine.load("tasks").scenario(11).startReal();
        assertEquals(Interpreter.Stop.BUDGET, m.run(200_000), m::describe);
        com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int before = m.result(0);
        long allocated = threads.getCurrentThreadAllocatedBytes();
        m.interpreter.run(400_000);
        allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
        int rounds = m.result(0) - before;
        assertTrue(rounds > 10_000, "rounds: " + rounds + "\n" + m.describe());
        assertEquals(0, m.events().size(), m::describe);
        assertTrue(allocated < 1024, allocated + " bytes allocated over " + rounds * 4 + " task switches");
    }
}
