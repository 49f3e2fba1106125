package org.erosim.bench.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.erosim.cpu.Flags;
import org.erosim.kernel.abi.FaultCode;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.image.ImageBuilder;
import org.erosim.kernel.process.ProcessDescriptor;
import org.erosim.kernel.process.ProcessTable;
import org.erosim.kernel.run.KernelMachine;
import org.erosim.kernel.run.RunOptions;
import org.erosim.kernel.sched.QueueId;
import org.junit.jupiter.api.Test;

/**
 * Trap replay (KernelMachine#replayTrap) case by case, on one client ({@code ipc-client})
 * whose CALL stalls on a server that is never AVAILABLE (stored WAITING). Each case wakes the
 * server's queue after changing the stalled client as another process could (GET/SET_REGS),
 * runs until everything is stalled again, and checks whether the retry was replayed — and
 * that a machine with replay off ends in exactly the same state: emulated cycles,
 * instructions, the client's registers, run state and fault.
 */
class TrapReplayTest {
    /** A machine with the client stalled on the server's queue after its first trap. */
    private static final class Stalled implements AutoCloseable {
        final KernelMachine machine;
        final long clientOid;
        final long serverOid;

        Stalled(boolean replay) {
            ImageBuilder b = new ImageBuilder();
            int server = IpcSystem.process(b, IpcSystem.program("ipc-server"));
            b.setRunState(server, ProcessLayout.WAITING);
            int client = IpcSystem.trapper(b, IpcSystem.program("ipc-client"), IpcSystem.CALL_DESCRIPTOR);
            b.setStartKey(b.keyRegistersNode(client), IpcSystem.SERVER_REGISTER, server, 0);
            RunOptions o = IpcSystem.smallPools(8);
            o.trapReplay = replay;
            machine = new KernelMachine(IpcSystem.objects(b), o, OutputStream.nullOutputStream());
            clientOid = b.oid(client);
            serverOid = b.oid(server);
            assertTrue(machine.scheduler().load(clientOid) >= 0);
            machine.run(1_000_000);
            assertEquals(1, machine.scheduler().enqueues(), "the client stalled on the server");
        }

        int client() {
            return machine.processes().find(clientOid);
        }

        /** Changes the client's saved register at {@code offset}, wakes the server's queue and runs to quiescence. */
        void retry(int offset, IntUnaryOperator change) {
            ProcessTable p = machine.processes();
            int e = client();
            p.set(e, offset, change.applyAsInt(p.get(e, offset)));
            machine.scheduler().wake(QueueId.process(machine.processes().find(serverOid)));
            machine.run(machine.elapsedCycles() + 1_000_000);
        }

        /** What the run left that a guest or the report could see. */
        List<Object> state() {
            ProcessTable p = machine.processes();
            int e = client();
            return List.of(machine.elapsedCycles(), machine.stats().lines().findFirst().orElseThrow()
                .replaceAll(" \\([0-9,]+ replayed\\)", ""), p.get(e, ProcessDescriptor.EIP_OFFSET),
                p.get(e, ProcessDescriptor.EFLAGS_OFFSET), p.get(e, ProcessDescriptor.EBX_OFFSET),
                p.runState(e), p.faultCode(e), machine.scheduler().enqueues());
        }

        @Override
        public void close() {
            machine.close();
        }
    }

    /** Runs the case with replay on and off; returns the traps replayed with it on. */
    private static long replayedIn(int offset, IntUnaryOperator change) {
        try (Stalled on = new Stalled(true); Stalled off = new Stalled(false)) {
            on.retry(offset, change);
            off.retry(offset, change);
            assertEquals(0, off.machine.trapsReplayed());
            assertEquals(off.state(), on.state(), "replay on and off end alike");
            return on.machine.trapsReplayed();
        }
    }

    @Test
    void aRetryAtItsTrapIsReplayedAndStallsAgain() {
        assertEquals(1, replayedIn(ProcessDescriptor.EBX_OFFSET, v -> v));
        try (Stalled s = new Stalled(true)) {
            s.retry(ProcessDescriptor.EBX_OFFSET, v -> v);
            assertEquals(2, s.machine.scheduler().enqueues(), "the replayed retry stalled again");
            assertEquals(IpcSystem.TRAP, s.machine.processes().get(s.client(), ProcessDescriptor.EIP_OFFSET));
        }
    }

    @Test
    void theSingleStepFlagLeavesTheRetryToTheCpu() {
        assertEquals(0, replayedIn(ProcessDescriptor.EFLAGS_OFFSET, v -> v | Flags.TF));
        // The CPU takes the trap as hardware would: the kernel is the INT's handler, entered
        // with TF clear, so the invocation happens (and stalls again) and no single-step
        // trap is taken at the INT itself.
        try (Stalled s = new Stalled(true)) {
            s.retry(ProcessDescriptor.EFLAGS_OFFSET, v -> v | Flags.TF);
            assertEquals(FaultCode.NONE, s.machine.processes().faultCode(s.client()));
            assertEquals(2, s.machine.scheduler().enqueues(), "the retried CALL stalled again");
            assertEquals(IpcSystem.TRAP, s.machine.processes().get(s.client(), ProcessDescriptor.EIP_OFFSET));
        }
    }

    @Test
    void anEipMovedOffTheTrapIsInterpreted() {
        // EIP at the instruction after the trap (inc %ebx): the CPU runs the loop back to the
        // trap, which is a fresh trap, not a retry, and stalls again.
        try (Stalled s = new Stalled(true)) {
            s.retry(ProcessDescriptor.EIP_OFFSET, v -> v + 2);
            assertEquals(0, s.machine.trapsReplayed());
            assertEquals(2, s.machine.scheduler().enqueues(), "the loop came round to the trap and stalled");
            assertEquals(1, s.machine.processes().get(s.client(), ProcessDescriptor.EBX_OFFSET), "inc %ebx ran once");
        }
        assertEquals(0, replayedIn(ProcessDescriptor.EIP_OFFSET, v -> v + 2));
    }

    @Test
    void anUnmappedEipFaultsAsTheFetchWould() {
        try (Stalled s = new Stalled(true)) {
            s.retry(ProcessDescriptor.EIP_OFFSET, v -> 0x4000_0000);
            assertEquals(0, s.machine.trapsReplayed());
            assertNotEquals(FaultCode.NONE, s.machine.processes().faultCode(s.client()), "the fetch faulted");
        }
        assertEquals(0, replayedIn(ProcessDescriptor.EIP_OFFSET, v -> 0x4000_0000));
    }

    @Test
    void aTrapStraddlingTwoPagesIsInterpreted() {
        // EIP at the last byte of the program's page: the two bytes are in two pages (the
        // second unmapped), so the fetch is the CPU's to make (and to fault).
        assertEquals(0, replayedIn(ProcessDescriptor.EIP_OFFSET, v -> IpcSystem.PROGRAM_BASE + 0xFFF));
    }
}
