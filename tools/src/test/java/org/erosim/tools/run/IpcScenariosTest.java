package org.erosim.tools.run;

import static org.erosim.tools.Cli.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.erosim.kernel.abi.FaultCode;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.cost.CostModel;
import org.erosim.kernel.object.ConsistencyChecker;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.process.ProcessDescriptor;
import org.erosim.kernel.process.ProcessTable;
import org.erosim.kernel.run.KernelMachine;
import org.erosim.kernel.run.RunEnd;
import org.erosim.kernel.run.RunOptions;
import org.erosim.kernel.sched.ActivityTable;
import org.erosim.kernel.sched.Scheduler;
import org.erosim.kernel.sched.SchedulerChecker;
import org.erosim.kernel.sched.WakePolicy;
import org.erosim.tools.Main;
import org.erosim.tools.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario tests of the IPC core (issue 5, "must show"), end to end: guest programs
 * {@code tools/src/main/guest/scen-*.c} wired by {@code images/scen-*.erosys}, built with
 * {@code erosim mkimage} and run through {@code Main.execute} (statuses, console, --stats)
 * and through {@link ImageRun} (the machine afterwards). Every run ends with the object
 * {@link ConsistencyChecker} and the {@link SchedulerChecker} reporting nothing.
 *
 * <ol>
 *   <li>Callers sharing one server under both wake policies: every reply right, stall-queue
 *   counters as each policy predicts, FIFO fairness (a stepped run watches the herd).</li>
 *   <li>Coroutines over resume keys: CALL on a resume key hands over a fresh one.</li>
 *   <li>More processes than a tiny process table: unloads while callers stall on the
 *   unloaded process, with the same results as a big table.</li>
 *   <li>Capability safety seen from a guest, and faults that halt a process.</li>
 * </ol>
 * The invocation-path fuzz target is {@link InvocationFuzzTest}.
 */
class IpcScenariosTest {
    /** Calls each scen-caller makes (number key in its register 3). */
    private static final int CALLS = 20;

    @TempDir
    Path dir;

    private Path image(String name) {
        return new RunFixture(dir).image(name);
    }

    /**
     * A process loaded at the end of a run. {@code tag} is the 64-bit low part of the number
     * key in its key register 3 (the scenario programs' configuration: w1 | w2 << 32).
     */
    private record Proc(long oid, long tag, int runState, int faultCode, int faultInfo, int invocations,
        int queueEnqueues, int queueWakeups) {
    }

    /** The end of a run through ImageRun, after both checkers. */
    private record Outcome(RunEnd end, int status, String console, long cycles, List<String> report, List<Proc> procs,
        long enqueues, long wakeups, long retries, long restalls, long wastedRetryCycles, long commitsAfterWake, long unloads,
        long unloadsWithSleepers, long victims, String stats) {

        Proc byTag(long tag) {
            return procs.stream().filter(p -> p.tag() == tag).findFirst().orElseThrow(() -> new AssertionError(
                "no loaded process with tag 0x" + Long.toHexString(tag)));
        }
    }

    private static long tag(KernelMachine m, int e) {
        return m.cache().keys().oidAt(KeyLocation.nodeSlot(m.processes().keyRegistersNode(e), 3));
    }

    private static Outcome outcome(KernelMachine m, RunEnd end, ByteArrayOutputStream console) {
        RunFixture.assertConsistent(m);
        ProcessTable p = m.processes();
        List<Proc> procs = new ArrayList<>();
        for (int e = 0; e < p.capacity(); e++) {
            if (p.isInUse(e)) {
                procs.add(new Proc(p.rootOid(e), tag(m, e), p.runState(e), p.faultCode(e), p.faultInfo(e),
                    p.counter(e, ProcessDescriptor.INVOCATIONS_OFFSET),
                    p.counter(e, ProcessDescriptor.QUEUE_ENQUEUES_OFFSET),
                    p.counter(e, ProcessDescriptor.QUEUE_WAKEUPS_OFFSET)));
            }
        }
        Scheduler s = m.scheduler();
        return new Outcome(end, m.exitStatus(end), console.toString(StandardCharsets.ISO_8859_1), m.elapsedCycles(),
            m.report(), procs, s.enqueues(), s.wakeups(), s.retries(), s.restalls(), s.wastedRetryCycles(),
            s.commitsAfterWake(), p.unloads(), p.unloadsWithSleepers(), p.victims(), m.stats());
    }

    private Outcome runChecked(Path img, RunOptions options) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (ImageRun run = new ImageRun(img, options, console)) {
            RunEnd end = run.run();
            return outcome(run.machine(), end, console);
        }
    }

    /**
     * Runs one instruction (or one trap) at a time, calling {@code probe} between steps. The
     * dispatcher loop checks its cycle limit between steps only, so stepping changes nothing
     * the run does (the callers test checks that it ends in the same cycle as a plain run).
     */
    private Outcome runStepped(Path img, RunOptions options, Consumer<KernelMachine> probe) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (ImageRun run = new ImageRun(img, options, console)) {
            assertEquals(RunEnd.CYCLE_LIMIT, run.runFor(0), "runFor(0) only boots");
            KernelMachine m = run.machine();
            long guard = m.cpu.cycles + options.maxCycles;
            RunEnd end;
            while ((end = m.run(m.cpu.cycles + 1)) == RunEnd.CYCLE_LIMIT) {
                probe.accept(m);
                assertTrue(m.cpu.cycles < guard, "the stepped run must end");
            }
            return outcome(m, end, console);
        }
    }

    private static List<String> sortedLines(String s) {
        return s.lines().sorted().collect(Collectors.toList());
    }

    private static String statsLine(String stats, String prefix) {
        return stats.lines().filter(l -> l.startsWith(prefix)).findFirst()
            .orElseThrow(() -> new AssertionError("no '" + prefix + "' line in\n" + stats));
    }

    private static String policyName(WakePolicy p) {
        return p.label;
    }

    // ------------------------------------------------------------------ 1. callers and wake policies

    /**
     * Watches, between steps, how many activities are retrying at once (woken, trap not yet
     * re-executed) and how far the callers' progress drifts apart: commits so far, while every
     * caller has made its two NUMBER GETs and none has had its last reply (a caller makes
     * 2 + 20 commits before it prints).
     */
    private static final class HerdProbe implements Consumer<KernelMachine> {
        int maxRetrying;
        int maxSpread;

        @Override
        public void accept(KernelMachine m) {
            ActivityTable t = m.scheduler().activities();
            int retrying = 0;
            for (int a = 0; a < t.capacity(); a++) {
                if (t.isInUse(a) && m.scheduler().isRetrying(a)) {
                    retrying++;
                }
            }
            maxRetrying = Math.max(maxRetrying, retrying);
            ProcessTable p = m.processes();
            int min = Integer.MAX_VALUE;
            int max = Integer.MIN_VALUE;
            for (int e = 0; e < p.capacity(); e++) {
                if (p.isInUse(e) && tag(m, e) != 0) { // tag 0: the server
                    int done = p.counter(e, ProcessDescriptor.INVOCATIONS_OFFSET);
                    min = Math.min(min, done);
                    max = Math.max(max, done);
                }
            }
            if (min >= 2 && max <= 2 + CALLS) {
                maxSpread = Math.max(maxSpread, max - min);
            }
        }
    }

    static Stream<Arguments> callersAndPolicies() {
        return Stream.of(3, 5).flatMap(k -> Stream.of(WakePolicy.values()).map(p -> Arguments.of(k, p)));
    }

    /**
     * k callers (scen-caller.c) CALL one echo server (scen-server.c) 20 times each; the server
     * answers with words derived from the request and the caller's badge, so a misrouted or
     * mixed-up reply is caught by the caller. What each policy predicts, exactly:
     * <ul>
     *   <li>both: every stall is woken once and retried (enqueues = wakeups = retries), and a
     *   retry ends in a commit or a re-stall. The server is never idle while a caller waits
     *   and every caller's next CALL comes while the server serves another, so every call
     *   but the very first stalls once and then commits right after a wakeup:
     *   commits after wake = kN - 1, the rest of the enqueues are re-stalls. The server's own
     *   queue counters are the global ones (it is the only queue).</li>
     *   <li>wake-one: the server's RETURN wakes the head of its queue, which commits and
     *   passes the wakeup on to the next sleeper, which finds the server busy again and
     *   re-stalls at the head: one wasted retry per commit except the last,
     *   re-stalls = kN - 2; never more than one activity is retrying at once.</li>
     *   <li>wake-all: the RETURN wakes all k - 1 sleepers at once (the stepped run sees all of
     *   them retrying together); one commits, k - 2 re-stall. As the callers finish the herd
     *   shrinks by one for each of the last k - 2 wakes: re-stalls =
     *   (k - 2)(kN - 1) - (k - 2)(k - 1)/2. With k = 3 that is kN - 2 as for wake-one: a herd
     *   of two costs one re-stall per commit under either policy.</li>
     *   <li>both: the queue is FIFO, so no caller falls behind (the spread of the callers'
     *   progress stays at most 2 commits; before the wake-one re-stall went back to the
     *   queue's head, the third caller got nothing until the other two were done).</li>
     * </ul>
     */
    @ParameterizedTest(name = "{0} callers, {1}")
    @MethodSource("callersAndPolicies")
    void callersOfOneServerGetAllTheirRepliesAndTheStallCountersFollowThePolicy(int k, WakePolicy policy)
        throws Exception {
        Path img = image(k == 3 ? "scen-three" : "scen-five");
        List<String> expected = IntStream.rangeClosed(1, k).mapToObj(i -> "caller " + i + ": " + CALLS + " replies ok")
            .collect(Collectors.toList());

        Cli run = cli("run", img.toString(), "--wake-policy", policyName(policy), "--stats");
        assertEquals(0, run.status(), run.out() + run.err());
        assertEquals(expected, sortedLines(run.out()));
        assertTrue(run.err().contains("end: idle: every process is AVAILABLE or WAITING, exit status 0"), run.err());

        RunOptions options = new RunOptions();
        options.wakePolicy = policy;
        options.activities = 16;
        HerdProbe probe = new HerdProbe();
        Outcome o = runStepped(img, options, probe);
        Outcome plain = runChecked(img, options);
        assertEquals(plain.cycles(), o.cycles(), "stepping changes nothing");
        assertEquals(plain.console(), o.console());
        assertEquals(RunEnd.IDLE, o.end());
        assertEquals(0, o.status());
        assertEquals(expected, sortedLines(o.console()));
        for (Proc p : o.procs()) {
            assertEquals(ProcessLayout.AVAILABLE, p.runState(), "everyone is done and waits for callers");
        }
        // --stats shows the same counters as the scheduler.
        assertEquals(String.format("stall queues: enqueues %d, wakeups %d, retries %d, re-stalls %d, wasted retry cycles %d",
            o.enqueues(), o.wakeups(), o.retries(), o.restalls(), o.wastedRetryCycles()), statsLine(run.err(), "stall queues:"));
        // A re-stall wastes its retry's kernel cycles: at least trap entry, decode, the start
        // key's preparation, the gate check and the enqueue; at most those and the resume's
        // trap exit, context switch and address-space switch.
        CostModel costs = CostModel.defaults();
        long least = costs.cost(CostModel.TRAP_ENTRY) + costs.cost(CostModel.INVOCATION_DECODE)
            + costs.cost(CostModel.KEY_PREPARE) + costs.cost(CostModel.GATE_CHECK) + costs.cost(CostModel.STALL_ENQUEUE);
        long most = least + costs.cost(CostModel.TRAP_EXIT) + costs.cost(CostModel.CONTEXT_SWITCH)
            + costs.cost(CostModel.ADDRESS_SPACE_SWITCH);
        assertTrue(o.restalls() > 0, "the herd re-stalls");
        assertTrue(o.wastedRetryCycles() >= least * o.restalls() && o.wastedRetryCycles() <= most * o.restalls(),
            o.wastedRetryCycles() + " wasted cycles for " + o.restalls() + " re-stalls, each " + least + ".." + most);

        long calls = (long) k * CALLS;
        assertEquals(o.enqueues(), o.wakeups(), "every stall was woken");
        assertEquals(o.wakeups(), o.retries(), "every wakeup was retried");
        assertEquals(o.retries(), o.restalls() + o.commitsAfterWake(), "a retry ends in a commit or a re-stall");
        assertEquals(calls - 1, o.commitsAfterWake(), "every call but the first stalled once, then committed");
        Proc server = o.byTag(0);
        assertEquals(o.enqueues(), server.queueEnqueues(), "the server's queue is the only one");
        assertEquals(o.wakeups(), server.queueWakeups());
        if (policy == WakePolicy.WAKE_ONE) {
            assertEquals(calls - 2, o.restalls(), "one wasted retry per commit after wake, but the last");
            assertEquals(1, probe.maxRetrying, "wake-one: a herd drains one at a time");
        } else {
            assertEquals((k - 2) * (calls - 1) - (k - 2) * (k - 1) / 2, o.restalls(), "k - 2 re-stalls per wakeup");
            assertEquals(k - 1, probe.maxRetrying, "wake-all: the whole herd retries");
        }
        assertTrue(probe.maxSpread <= 2, "FIFO: no caller falls behind, spread " + probe.maxSpread);
    }

    // ------------------------------------------------------------------ 2. coroutines over resume keys

    @Test
    void coroutinesPassControlByCallingEachOthersResumeKey() throws Exception {
        Path img = image("scen-coroutine");
        Cli run = cli("run", img.toString(), "--stats");
        assertEquals(0, run.status(), run.out() + run.err());
        assertEquals("coroutines: 50 round trips ok\n", run.out());
        // 1 CALL on the start key, then 99 CALLs on resume keys (50 by the partner, 49 by the
        // initiator); a resume key never blocks, so nothing ever stalls.
        String byKey = statsLine(run.err(), "invocations by key:");
        assertTrue(byKey.contains(" start=1 ") && byKey.contains(" resume=99 "), byKey);
        assertEquals("stall queues: enqueues 0, wakeups 0, retries 0, re-stalls 0, wasted retry cycles 0",
            statsLine(run.err(), "stall queues:"));

        Outcome o = runChecked(img, new RunOptions());
        assertEquals(RunEnd.STOPPED, o.end());
        assertEquals(0, o.status());
        assertEquals(List.of(), o.report());
        // The partner waits on its last CALL for a resume key nobody will use; the initiator
        // stopped the run from RUNNING.
        assertEquals(ProcessLayout.WAITING, o.byTag(0).runState());
        assertEquals(ProcessLayout.RUNNING, o.byTag(1 | 50L << 32).runState());
    }

    // ------------------------------------------------------------------ 3. a tiny process table

    /**
     * Seven processes, a table of four entries: scen-launcher.c starts a chain of three
     * echo servers (front -> middle -> leaf) and three callers of the front server, all
     * stored AVAILABLE. While the front server WAITs on the chain with callers stalled on it,
     * it is unloaded to make room: its registers go back to its root node and its stall queue
     * is woken; the sleepers retry, load it again and stall again. Same replies, same
     * committed invocations (by type and by key) as with the default table, where nothing is
     * unloaded. With three entries the launcher cannot load its third caller: its SEND is
     * answered NO_RESOURCES.
     */
    @ParameterizedTest
    @EnumSource(WakePolicy.class)
    void processesUnloadedWhileOthersStallOnThemAreReloadedWithTheSameResults(WakePolicy policy) throws Exception {
        Path img = image("scen-unload");
        List<String> expected = List.of("caller 1: 20 replies ok", "caller 2: 20 replies ok", "caller 3: 20 replies ok");
        Cli big = cli("run", img.toString(), "--wake-policy", policyName(policy), "--stats");
        Cli tiny = cli("run", img.toString(), "--wake-policy", policyName(policy), "--processes", "4", "--stats");
        for (Cli c : List.of(big, tiny)) {
            assertEquals(0, c.status(), c.out() + c.err());
            assertEquals(expected, sortedLines(c.out()));
        }
        assertEquals(statsLine(big.err(), "invocations by type:"), statsLine(tiny.err(), "invocations by type:"));
        assertEquals(statsLine(big.err(), "invocations by key:"), statsLine(tiny.err(), "invocations by key:"));
        assertEquals("process table: loads 7, unloads 0 (0 with sleepers woken), victims 0",
            statsLine(big.err(), "process table:"));
        Matcher t = Pattern.compile("process table: loads (\\d+), unloads (\\d+) \\((\\d+) with sleepers woken\\), "
            + "victims (\\d+)").matcher(statsLine(tiny.err(), "process table:"));
        assertTrue(t.matches(), tiny.err());

        RunOptions options = new RunOptions();
        options.wakePolicy = policy;
        options.processes = 4;
        Outcome o = runChecked(img, options);
        assertEquals(RunEnd.IDLE, o.end());
        assertEquals(expected, sortedLines(o.console()));
        assertTrue(o.procs().size() <= 4, "the table holds four");
        assertTrue(o.unloads() > 0, "unloads: " + o.unloads());
        assertTrue(o.unloadsWithSleepers() > 0, "a process was unloaded while others stalled on it");
        assertEquals(o.unloads(), o.victims(), "every unload made room for a load");
        assertEquals(Long.parseLong(t.group(2)), o.unloads(), "--stats shows the table's counters");
        assertEquals(Long.parseLong(t.group(3)), o.unloadsWithSleepers());
        assertEquals(o.enqueues(), o.wakeups(), "every sleeper was woken (by a RETURN or an unload)");
        assertEquals(o.wakeups(), o.retries(), "and retried");

        Outcome bigRun = runChecked(img, new RunOptions());
        assertEquals(0, bigRun.unloads());
        assertEquals(sortedLines(bigRun.console()), sortedLines(o.console()));

        // With three entries a gate call whose target cannot be loaded (every entry is running
        // or pinned) is pool exhaustion: the SEND kicking the third caller answers NO_RESOURCES
        // and the launcher says so (run.md, "Pool exhaustion").
        Cli tooSmall = cli("run", img.toString(), "--wake-policy", policyName(policy), "--processes", "3");
        assertEquals(0, tooSmall.status(), tooSmall.err());
        assertTrue(tooSmall.out().contains("launcher: kick of register 9 refused: no resources\n"), tooSmall.out());
        assertFalse(tooSmall.err().contains("QPOST"), tooSmall.err());
    }

    // ------------------------------------------------------------------ 4. capability safety

    @Test
    void aGuestReachesOnlyWhatItsKeysReach() throws Exception {
        Path img = image("scen-caps");
        Cli run = cli("run", img.toString());
        assertEquals(0, run.status(), run.out() + run.err());
        assertEquals(CAPS_OUTPUT, run.out());
        assertEquals("", run.err());
        Outcome o = runChecked(img, new RunOptions());
        assertEquals(RunEnd.STOPPED, o.end());
        assertEquals(CAPS_OUTPUT, o.console());
    }

    /** scen-caps.c prints one line per answer; "WRONG" would mark an undocumented one. */
    private static final String CAPS_OUTPUT = String.join("\n",
        "never-given register 20 get-type -> 80000001",
        "never-given register 20 order 0 -> 80000001",
        "register 0 get-type -> 80000001",
        "prompt call on a number key -> 80000001",
        "never-given register 21 swapped into slot 2 -> 00000000",
        "slot 2 class -> 00000000",
        "read-only swap slot 0 -> 80000004",
        "read-only write number -> 80000004",
        "read-only clear -> 80000004",
        "slot 0 after the refused writes, w1 -> 000000aa",
        "reduce read-only by 0 -> 00000000",
        "swap through the reduced key -> 80000004",
        "read-only copy slot 1 -> 00000000",
        "fetched through read-only = fetched through strong -> 00000001",
        "write through it -> 00000000",
        "weak copy slot 1 -> 00000000",
        "fetched through weak = inner reduced ro+weak -> 00000001",
        "write through the weak fetch -> 80000004",
        "weak swap of a strong node key into slot 3 -> 00000000",
        "stored through weak = box reduced ro+weak -> 00000001",
        "write through the stored key -> 80000004",
        "weak swap out of slot 4 -> 00000000",
        "swapped out through weak = inner reduced ro+weak -> 00000001",
        "weak write number (no authority in numbers) -> 00000000",
        "reduce weak by 0 = weak -> 00000001",
        "numbers shaped like start keys that reached a process -> 00000000",
        "made number class -> 00000001",
        "made number get-type -> 00000006",
        "made number = start key -> 00000000",
        "write number into slot 6 -> 00000000",
        "slot 6 class -> 00000001",
        "slot 6 echo -> 80000002",
        "start key swapped into slot 7 -> 00000000",
        "number written over it -> 00000000",
        "slot 7 class -> 00000001",
        "partner's call, order -> 00000001",
        "partner's call, keyInfo -> 00000004",
        "resume key class -> 00000002",
        "its copy class -> 00000002",
        "used resume key get-type -> 80000001",
        "its copy get-type -> 80000001",
        "prompt call on the used resume key -> 80000001",
        "the copy in slot 8, class -> 00000000",
        "the copy in register 12, class -> 00000000",
        "");

    /** Start of every guest program's text (lib/guest.ld): scen-badmem writes there. */
    private static final int TEXT_START = 0x00400000;
    private static final int OUTSIDE = 0x20000000;

    /**
     * One process per fault case (scen-badmem.c, scen-baddesc.c), all in one image: each
     * prints its case and faults; none has a process keeper, so each is halted
     * (left WAITING with its fault code and info) and reported, and the run ends with status
     * 1. Nothing after a fault runs: no "survived" line, and no malformed CONSOLE WRITE of
     * "bad" got through.
     */
    @Test
    void touchingMemoryOutsideTheSpaceAndMalformedDescriptorsHaltTheProcess() throws Exception {
        Path img = image("scen-faults");
        Cli run = cli("run", img.toString(), "--stats");
        assertEquals(1, run.status(), run.err());
        List<String> cases = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            cases.add("badmem " + c);
        }
        for (int c = 0; c < 7; c++) {
            cases.add("baddesc " + c);
        }
        assertEquals(String.join("\n", cases) + "\n", run.out());
        String[] faults = {"INVALID_ADDR \\(4\\)", "ACCESS_VIOLATION \\(6\\)", "INVALID_ADDR \\(4\\)"};
        List<String> halts = run.err().lines().filter(l -> l.contains(" halted: ")).collect(Collectors.toList());
        assertEquals(10, halts.size(), run.err());
        for (int i = 0; i < 10; i++) {
            String fault = i < 3 ? faults[i] : "MALFORMED_SYSCALL \\(1\\)";
            assertTrue(halts.get(i).matches("  process 0x[0-9a-f]+ halted: fault " + fault + " at EIP 0x[0-9a-f]{8}"),
                halts.get(i));
        }
        assertTrue(halts.get(2).endsWith("at EIP 0x30000000"), "the jump's target is where it faulted: " + halts.get(2));
        assertTrue(run.err().contains("malformed invocations 7,"), run.err());

        Outcome o = runChecked(img, new RunOptions());
        assertEquals(RunEnd.HALTED, o.end());
        assertEquals(1, o.status());
        assertEquals(10, o.report().size());
        for (Proc p : o.procs()) {
            assertEquals(ProcessLayout.WAITING, p.runState(), "a halted process is left WAITING");
        }
        // tag = case | program << 32 (0 badmem, 1 baddesc): fault code and info per case.
        assertFault(o.byTag(0), FaultCode.INVALID_ADDR, OUTSIDE);
        assertFault(o.byTag(1), FaultCode.ACCESS_VIOLATION, TEXT_START);
        assertFault(o.byTag(2), FaultCode.INVALID_ADDR, 0x30000000);
        assertFault(o.byTag(1L << 32), FaultCode.MALFORMED_SYSCALL, OUTSIDE); // the descriptor address
        assertFault(o.byTag(4 | 1L << 32), FaultCode.MALFORMED_SYSCALL, OUTSIDE); // the send string
        for (int c : new int[] {1, 2, 3, 5, 6}) {
            Proc p = o.byTag(c | 1L << 32);
            assertEquals(FaultCode.MALFORMED_SYSCALL, p.faultCode(), "case " + c);
            // Fault info: the descriptor's address, on the stack (below 0x80000000, 4 KiB).
            assertTrue(p.faultInfo() >= 0x7FFFF000 && p.faultInfo() <= 0x7FFFFFFF, "case " + c + ": 0x"
                + Integer.toHexString(p.faultInfo()));
        }
    }

    private static void assertFault(Proc p, int code, int info) {
        assertEquals(code, p.faultCode(), "fault code of tag 0x" + Long.toHexString(p.tag()));
        assertEquals(info, p.faultInfo(), "fault info of tag 0x" + Long.toHexString(p.tag()));
    }
}
