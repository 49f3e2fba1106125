package org.erosim.bench.ipc;

import static org.erosim.kernel.process.ProcessDescriptor.EAX_OFFSET;
import static org.erosim.kernel.process.ProcessDescriptor.EBX_OFFSET;
import static org.erosim.kernel.process.ProcessDescriptor.EDI_OFFSET;
import static org.erosim.kernel.process.ProcessDescriptor.ESI_OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.process.ProcessTable;
import org.erosim.kernel.run.KernelMachine;
import org.erosim.kernel.run.KernelPathDriver;
import org.erosim.kernel.run.RunEnd;
import org.erosim.kernel.sched.Scheduler;
import org.erosim.kernel.testing.AllocationGuard;
import org.junit.jupiter.api.Test;

/**
 * IpcRoundTripBenchmark's operations do what its javadoc says — round trips, SENDs and
 * stall/wake cycles really happen between the two address spaces, words and the badge are
 * delivered, resume keys are fabricated and consumed, the kernel-only variant executes no
 * guest instruction — and each of them allocates nothing once warm (kernel.md §15, the
 * allocation guard behind the benchmarks' 0 B/op).
 */
class IpcRoundTripTest {
    @Test
    void guestRoundTripsEchoTheClientsCountAndTakeTheSameCyclesEveryTime() {
        try (IpcSystem s = new IpcSystem(1, false)) {
            KernelMachine m = s.machine;
            assertEquals(RunEnd.CYCLE_LIMIT, m.runGateInvocations(2 * 100, Long.MAX_VALUE));
            assertEquals(200, m.gateInvocations());
            // Stopped right after the 100th RETURN: the client's 100th CALL sent w1 = 99 (it
            // counts from 0), the server echoed it with w0 = OK, and the client is about to run.
            assertEquals(99, s.serverRegister(EBX_OFFSET));
            assertEquals(IpcSystem.BADGE, s.serverRegister(EDI_OFFSET), "keyInfo = the start key's badge");
            assertEquals(0, s.serverRegister(ESI_OFFSET), "no string");
            assertEquals(99, s.clientRegister(0, EBX_OFFSET));
            assertEquals(0, s.clientRegister(0, EAX_OFFSET));
            assertEquals(ProcessLayout.RUNNING, m.processes().runState(s.clientEntry(0)));
            assertEquals(ProcessLayout.AVAILABLE, m.processes().runState(s.serverEntry()));
            assertEquals(KeyType.VOID, serverResumeRegister(s), "the RETURN consumed the resume key");
            assertTrue(s.clientEntry(0) != s.serverEntry());
            assertTrue(m.processes().rootNode(s.clientEntry(0)) != m.processes().rootNode(s.serverEntry()));

            long c0 = m.cpu.cycles;
            m.runGateInvocations(2 * 100, Long.MAX_VALUE);
            long c1 = m.cpu.cycles;
            m.runGateInvocations(2 * 100, Long.MAX_VALUE);
            assertEquals(c1 - c0, m.cpu.cycles - c1, "a batch of round trips costs the same emulated cycles each time");
            assertEquals(299, s.clientRegister(0, EBX_OFFSET));
        }
    }

    @Test
    void kernelPathRoundTripRunsNoGuestInstructionAndDeliversWordsAndResumeKey() {
        try (IpcSystem s = new IpcSystem(1, false)) {
            KernelMachine m = s.machine;
            KernelPathDriver d = s.driver;
            long instructions = m.cpu.instructions;
            ProcessTable p = m.processes();
            int client = s.clientEntry(0);
            p.set(client, EBX_OFFSET, 0x1234);

            assertEquals(KernelPathDriver.LEFT, d.trap()); // the client's CALL
            int server = s.serverEntry();
            assertEquals(0x1234, p.get(server, EBX_OFFSET));
            assertEquals(IpcSystem.BADGE, p.get(server, EDI_OFFSET));
            assertEquals(ProcessLayout.WAITING, p.runState(client));
            assertEquals(ProcessLayout.RUNNING, p.runState(server));
            assertEquals(KeyType.RESUME, serverResumeRegister(s), "the CALL fabricated a resume key into register 4");

            p.set(server, EBX_OFFSET, 0x5678);
            assertEquals(KernelPathDriver.LEFT, d.trap()); // the server's RETURN on the resume key
            assertEquals(0x5678, p.get(client, EBX_OFFSET));
            assertEquals(0, p.get(client, EDI_OFFSET), "keyInfo of a resume key is 0");
            assertEquals(ProcessLayout.RUNNING, p.runState(client));
            assertEquals(ProcessLayout.AVAILABLE, p.runState(server));
            assertEquals(KeyType.VOID, serverResumeRegister(s));
            assertEquals(IpcSystem.TRAP + 2, p.get(client, org.erosim.kernel.process.ProcessDescriptor.EIP_OFFSET));

            for (int i = 0; i < 100; i++) {
                assertEquals(KernelPathDriver.LEFT, d.trap());
                assertEquals(KernelPathDriver.LEFT, d.trap());
            }
            assertEquals(202, m.gateInvocations());
            assertEquals(instructions, m.cpu.instructions, "no guest instruction ran");
            assertTrue(m.report().isEmpty(), m.report()::toString);
        }
    }

    @Test
    void sendStartsTheServerWhileTheClientGoesOn() {
        try (IpcSystem s = new IpcSystem(1, true)) {
            KernelMachine m = s.machine;
            KernelPathDriver d = s.driver;
            ProcessTable p = m.processes();
            int client = s.clientEntry(0);
            for (int i = 0; i < 50; i++) {
                p.set(client, EBX_OFFSET, i);
                assertEquals(KernelPathDriver.RESUMED, d.trap());
                int server = s.serverEntry();
                assertEquals(ProcessLayout.RUNNING, p.runState(client), "a SEND leaves the sender running");
                assertEquals(ProcessLayout.RUNNING, p.runState(server), "and gives the server an activity");
                assertEquals(i, p.get(server, EBX_OFFSET));
                assertEquals(KeyType.VOID, serverResumeRegister(s), "a SEND delivers no resume key");
                assertTrue(d.yieldRunning());
                assertEquals(KernelPathDriver.LEFT, d.trap()); // the server's RETURN on the void key
                assertEquals(ProcessLayout.AVAILABLE, p.runState(server));
            }
            assertEquals(50, m.gateInvocations(), "50 SENDs; the RETURNs on a void key are no gate invocations");
            assertEquals(0, m.scheduler().enqueues(), "nobody stalled");
        }
    }

    @Test
    void eachStallAndWakeCycleStallsOneCallerWakesItAndCommitsItsRetry() {
        try (IpcSystem s = new IpcSystem(2, false)) {
            KernelMachine m = s.machine;
            KernelPathDriver d = s.driver;
            Scheduler sched = m.scheduler();
            assertEquals(KernelPathDriver.LEFT, d.trap()); // the first client's CALL: the server is busy
            for (int i = 0; i < 20; i++) {
                long enqueues = sched.enqueues();
                long wakeups = sched.wakeups();
                long commits = sched.commitsAfterWake();
                long gates = m.gateInvocations();
                assertEquals(KernelPathDriver.LEFT, d.trap());
                assertEquals(enqueues + 1, sched.enqueues(), "the second caller stalled");
                assertEquals(gates, m.gateInvocations());
                assertEquals(KernelPathDriver.LEFT, d.trap());
                assertEquals(wakeups + 1, sched.wakeups(), "the server's RETURN woke it");
                assertEquals(KernelPathDriver.LEFT, d.trap());
                assertEquals(commits + 1, sched.commitsAfterWake(), "its retried CALL committed");
                assertEquals(gates + 2, m.gateInvocations());
            }
            // The guest variant runs the same cycle.
            long enqueues = sched.enqueues();
            assertEquals(RunEnd.CYCLE_LIMIT, m.runGateInvocations(2 * 50, Long.MAX_VALUE));
            assertEquals(50, sched.enqueues() - enqueues, "one stall per RETURN and retried CALL");
            assertEquals(0, sched.restalls());
        }
    }

    @Test
    void everyOperationAllocatesNothingOnceWarm() {
        try (IpcSystem guest = new IpcSystem(1, false);
             IpcSystem kernel = new IpcSystem(1, false);
             IpcSystem send = new IpcSystem(1, true);
             IpcSystem two = new IpcSystem(2, false);
             IpcSystem twoGuest = new IpcSystem(2, false)) {
            assertEquals(KernelPathDriver.LEFT, two.driver.trap());
            Runnable[] rounds = {
                () -> guest.machine.runGateInvocations(2 * 2_000, Long.MAX_VALUE),
                () -> {
                    for (int i = 0; i < 2_000; i++) {
                        kernel.driver.trap();
                        kernel.driver.trap();
                    }
                },
                () -> {
                    for (int i = 0; i < 2_000; i++) {
                        send.driver.trap();
                        send.driver.yieldRunning();
                        send.driver.trap();
                    }
                },
                () -> {
                    for (int i = 0; i < 2_000; i++) {
                        two.driver.trap();
                        two.driver.trap();
                        two.driver.trap();
                    }
                },
                () -> twoGuest.machine.runGateInvocations(2 * 2_000, Long.MAX_VALUE),
            };
            String[] names = {"roundTripGuest", "roundTripKernel", "send", "stallAndWakeOne", "stallAndWakeOneGuest"};
            int warmUp = 20;
            for (int warm = 0; warm < warmUp; warm++) {
                for (Runnable r : rounds) {
                    r.run();
                }
            }
            int[] ran = new int[rounds.length];
            for (int i = 0; i < rounds.length; i++) {
                // Three consecutive clean rounds of 2,000 operations within 30 (see AllocationGuard).
                ran[i] = warmUp + AllocationGuard.assertSteadyStateAllocatesNothing(names[i], rounds[i], 3, 30);
            }
            // The rounds did their work: 2 gate invocations per round trip or stall/wake cycle,
            // 1 per SEND (the server's RETURN on a void key is none), plus two's first CALL.
            assertEquals(4_000L * ran[0], guest.machine.gateInvocations());
            assertEquals(4_000L * ran[1], kernel.machine.gateInvocations());
            assertEquals(2_000L * ran[2], send.machine.gateInvocations());
            assertEquals(1 + 4_000L * ran[3], two.machine.gateInvocations());
            assertEquals(4_000L * ran[4], twoGuest.machine.gateInvocations());
            for (IpcSystem s : new IpcSystem[] {guest, kernel, send, two, twoGuest}) {
                assertTrue(s.machine.report().isEmpty(), "no process halted or deadlocked: " + s.machine.report());
            }
        }
    }

    private static int serverResumeRegister(IpcSystem s) {
        int keyRegs = s.machine.processes().keyRegistersNode(s.serverEntry());
        return KeyDescriptor.type(s.machine.cache().keys().tailAt(KeyLocation.nodeSlot(keyRegs, IpcSystem.RESUME_REGISTER)));
    }
}
