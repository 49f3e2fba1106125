package org.erosim.bench.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.erosim.kernel.abi.FaultCode;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.process.ProcessTable;
import org.erosim.kernel.run.KernelMachine;
import org.erosim.kernel.run.RunEnd;
import org.erosim.kernel.sched.SchedulerChecker;
import org.junit.jupiter.api.Test;

/**
 * A dispatch trusts what it found in a loaded process's schedule and address-space slots
 * until either slot is written (ProcessTable, "root slots the dispatch checked"). These runs
 * write them while the echo server of IpcRoundTripBenchmark is loaded and busy, and check
 * that its next dispatch sees the write: no schedule key is NO_SCHEDULE, another space key is
 * another address space.
 */
class RootSlotWatchTest {
    /** Twenty gate invocations (ten round trips), then the server's root slot {@code slot} voided; returns the server's entry. */
    private static int voidServerSlotAfterTenRoundTrips(IpcSystem s, int slot) {
        KernelMachine m = s.machine;
        ProcessTable p = m.processes();
        assertEquals(RunEnd.CYCLE_LIMIT, m.runGateInvocations(20, Long.MAX_VALUE));
        int server = s.serverEntry();
        assertTrue(p.isScheduleChecked(server) && p.isSpaceChecked(server), "dispatched before: both remembered");
        m.cache().keys().storeVoid(KeyLocation.nodeSlot(p.rootNode(server), slot));
        return server;
    }

    @Test
    void aScheduleKeyTakenFromALoadedServerFaultsItsNextDispatch() {
        try (IpcSystem s = new IpcSystem(1, false)) {
            KernelMachine m = s.machine;
            ProcessTable p = m.processes();
            int server = voidServerSlotAfterTenRoundTrips(s, ProcessLayout.SLOT_SCHEDULE);
            assertFalse(p.isScheduleChecked(server), "the write is heard");
            assertEquals(List.of(), new SchedulerChecker(m.scheduler()).check());

            RunEnd end = m.runGateInvocations(20, Long.MAX_VALUE);
            assertEquals(FaultCode.NO_SCHEDULE, p.faultCode(server), "the server's next dispatch found no schedule key");
            assertEquals(21, m.gateInvocations(), "the client's CALL committed; the server never ran again");
            assertNotEquals(RunEnd.CYCLE_LIMIT, end);
            assertEquals(List.of(), new SchedulerChecker(m.scheduler()).check());
        }
    }

    @Test
    void aSpaceKeyVoidedUnderALoadedServerIsTheSpaceItsNextDispatchEnters() {
        try (IpcSystem s = new IpcSystem(1, false)) {
            KernelMachine m = s.machine;
            ProcessTable p = m.processes();
            int server = voidServerSlotAfterTenRoundTrips(s, ProcessLayout.SLOT_ADDRESS_SPACE);
            assertFalse(p.isSpaceChecked(server));
            assertTrue(p.isScheduleChecked(server), "slot 0 was not written");

            // The client's CALL commits; the server, entered in the empty space, faults
            // fetching its first instruction instead of running its old program.
            m.runGateInvocations(20, Long.MAX_VALUE);
            assertEquals(21, m.gateInvocations());
            assertNotEquals(FaultCode.NONE, p.faultCode(server), "the server ran in the space it has now");
            assertEquals(List.of(), new SchedulerChecker(m.scheduler()).check());
        }
    }
}
