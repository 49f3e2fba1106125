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
import org.agrona.concurrent.UnsafeBuffer;
import org.erosim.kernel.abi.FaultCode;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.FrameTable;
import org.erosim.kernel.object.ObjectHeader;
import org.erosim.kernel.object.ObjectSource;
import org.erosim.kernel.process.ProcessTable;
import org.erosim.kernel.run.KernelMachine;
import org.erosim.kernel.run.RunEnd;
import org.erosim.kernel.run.RunOptions;
import org.erosim.kernel.store.StoreChecker;
import org.erosim.kernel.store.StoreFile;
import org.erosim.tools.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel-implemented key orders of abi.md §4 that need more than a lookup — PAGE ZERO
 * and CLONE, every PROCESS order, RANGE NEW_NODE / NEW_PAGE / NEW_PROCESS / RESCIND, SLEEP,
 * SYSTRACE READ_COUNTERS / RESET_COUNTERS, SCHED, CHECKPOINT TAKE, and RETURN on a kernel
 * key answering through a resume key — as guests see them under {@code erosim run}. Each
 * guest program (tools/src/main/guest/run-*.c, with the flat code pages of
 * tools/src/main/guest/flat) prints one line per answer and marks unexpected ones "WRONG";
 * the tests compare the whole console text, the exit status, the end of the run and the
 * states the processes were left in, then run the object and scheduler checkers (and the
 * store checker after a checkpoint). Modelled on {@link RunCommandTest}.
 */
class KernelKeyOrdersTest {

    @TempDir
    Path dir;

    private Path image(String name) {
        return new RunFixture(dir).image(name);
    }

    /** A loaded process after the run: root OID, run state, fault code and info, activity. */
    private record Proc(long oid, int state, int fault, int info, int activity) {
    }

    /** Result of a run through ImageRun, after both checkers. */
    private record Outcome(RunEnd end, int status, String console, long cycles, List<String> report,
        List<Proc> processes, int activities) {
        /** The loaded processes in a run state. */
        long count(int state) {
            return processes.stream().filter(p -> p.state() == state).count();
        }
    }

    private Outcome run(Path img, RunOptions options) throws Exception {
        return run(img, options, null);
    }

    /** Runs {@code img}; {@code atEnd}, if given, inspects the machine and store before they close. */
    private Outcome run(Path img, RunOptions options, AtEnd atEnd) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (ImageRun run = new ImageRun(img, options, console)) {
            RunEnd end = run.run();
            KernelMachine m = run.machine();
            RunFixture.assertConsistent(m);
            ProcessTable p = m.processes();
            List<Proc> procs = new ArrayList<>();
            for (int e = 0; e < p.capacity(); e++) {
                if (p.isInUse(e)) {
                    procs.add(new Proc(p.rootOid(e), p.runState(e), p.faultCode(e), p.faultInfo(e), p.activity(e)));
                }
            }
            if (atEnd != null) {
                atEnd.inspect(run);
            }
            return new Outcome(end, run.exitStatus(), console.toString(StandardCharsets.ISO_8859_1), m.elapsedCycles(),
                m.report(), procs, m.scheduler().activities().inUse());
        }
    }

    private interface AtEnd {
        void inspect(ImageRun run) throws Exception;
    }

    private static RunOptions options() {
        return new RunOptions();
    }

    private static void assertAllRight(String console) {
        assertFalse(console.contains("WRONG"), console);
    }

    // ------------------------------------------------------------------ PAGE

    @Test
    void pageCloneAndZeroAreSeenByAProcessExecutingThePage() throws Exception {
        Path img = image("run-page");
        Cli run = cli("run", img.toString());
        assertEquals(0, run.status(), run.out() + run.err());
        assertEquals(PAGE_OUTPUT, run.out());
        // The caller, resumed in a zeroed page, ran the zeros to the end of it and faulted.
        assertTrue(run.err().matches("(?s)  process 0x[0-9a-f]+ halted: fault INVALID_ADDR \\(4\\) at EIP 0x00001000\n"),
            run.err());

        Outcome o = run(img, options());
        assertEquals(RunEnd.STOPPED, o.end());
        assertEquals(PAGE_OUTPUT, o.console());
        assertEquals(1, o.report().size(), o.report().toString());
        Proc caller = o.processes().stream().filter(p -> p.fault() != 0).findFirst().orElseThrow();
        assertEquals(ProcessLayout.WAITING, caller.state());
        assertEquals(FaultCode.INVALID_ADDR, caller.fault());
        assertEquals(0x1000, caller.info());
    }

    private static final String PAGE_OUTPUT = String.join("\n",
        "first marker -> 000000a1",
        "caller's badge -> 00000005",
        "page get-type -> 00000005",
        "zero read-only -> 80000004",
        "clone into read-only -> 80000004",
        "clone from number -> 80000003",
        "clone from void -> 80000003",
        "clone from node -> 80000003",
        "clone from itself -> 00000000",
        "clone from read-only copy of itself -> 00000000",
        "page unknown order -> 80000002",
        "marker before clone -> 000000a1",
        "clone -> 00000000",
        "marker after clone -> 000000b2",
        "zero -> 00000000",
        "sleep -> 00000000",
        "caller state -> 00000000",
        "caller run state -> 00000002",
        "caller fault code -> 00000004",
        "caller fault address -> 00001000",
        "");

    // ------------------------------------------------------------------ PROCESS

    @Test
    void processOrdersReadAndWriteTheTruthWhereverItIs() throws Exception {
        Path img = image("run-process");
        Cli run = cli("run", img.toString());
        assertEquals(0, run.status(), run.out() + run.err());
        assertAllRight(run.out());
        assertEquals("", run.err());
        assertEquals(PROCESS_OUTPUT, run.out());

        Outcome o = run(img, options());
        assertEquals(RunEnd.STOPPED, o.end());
        assertEquals(PROCESS_OUTPUT, o.console());
        // boss is running; target waits for the answer to its last call; idle was made WAITING
        // without being loaded.
        assertEquals(1, o.count(ProcessLayout.RUNNING));
        assertEquals(1, o.count(ProcessLayout.WAITING));
        assertEquals(1, o.activities());
    }

    private static final String PROCESS_OUTPUT = String.join("\n",
        "process get-type -> 00000002",
        "get state (unloaded) -> 00000000",
        "run state (unloaded) -> 00000000",
        "get regs (unloaded) -> 00000000",
        "register file length -> 00000034",
        "register file version -> 00000001",
        "eflags (unloaded) -> 00000202",
        "get regs truncated -> 00000008",
        "copy slot 2 -> 00000000",
        "space get-type -> 00000003",
        "copy slot 3 -> 00000000",
        "key-registers get-type -> 00000004",
        "copy slot 8 -> 80000003",
        "swap slot 3 -> 80000003",
        "swap slot 8 -> 80000003",
        "swap slot 5 -> 00000000",
        "old slot 5 class -> 00000000",
        "new slot 5 w1 -> 00000011",
        "copy keyreg 1 -> 00000000",
        "my start key badge 3 -> 00000000",
        "keyreg 1 = my start key badge 3 -> 00000001",
        "copy keyreg 32 -> 80000003",
        "copy keyreg 0 -> 00000000",
        "keyreg 0 class -> 00000000",
        "swap keyreg 6 -> 00000000",
        "old keyreg 6 class -> 00000000",
        "keyreg 6 = box -> 00000001",
        "start key badge 0x10000 -> 80000003",
        "make start key -> 00000000",
        "start key class -> 00000004",
        "same badge, same key -> 00000001",
        "other badge, other key -> 00000000",
        "set regs short -> 80000003",
        "set regs version 2 -> 80000003",
        "set regs (unloaded) -> 00000000",
        "eip after set -> 00000040",
        "eflags after set -> 00240ed7",
        "esi after set -> 00005151",
        "echoed w0 -> 00000051",
        "echoed w1 -> 00000052",
        "caller badge -> 00000003",
        "run state (waiting) -> 00000002",
        "eip (waiting) -> 00000047",
        "eax (waiting) -> 00000051",
        "set eip 0 (loaded) -> 00000000",
        "eip after set (loaded) -> 00000000",
        "marker after set regs -> 000000a1",
        "answer through resume key w0 -> 00000000",
        "answer through resume key w1 -> 00000002",
        "void's answer through resume key -> 80000001",
        "make resume key -> 00000000",
        "old resume key class -> 00000000",
        "new resume key class -> 00000002",
        "make resume key of myself -> 80000003",
        "make resume key (unloaded) -> 00000000",
        "run state (made waiting) -> 00000002",
        "run state (resumed) -> 00000001",
        "make resume key (running) -> 00000000",
        "run state (stopped) -> 00000002",
        "swap space -> 00000000",
        "old space = copy -> 00000000",
        "slot 2 = other space -> 00000001",
        "marker in the new space -> 000000b2",
        "weak copy -> 00000000",
        "weak get state -> 00000000",
        "weak get regs -> 00000000",
        "weak swap slot -> 80000004",
        "weak swap keyreg -> 80000004",
        "weak set regs -> 80000004",
        "weak make start key -> 80000004",
        "weak make resume key -> 80000004",
        "weak copy of slot 3 is diminished -> 00000001",
        "get my regs -> 00000000",
        "my eax at the trap -> 00000006",
        "my ebp is the descriptor -> 00000001",
        "my run state -> 00000001",
        "process unknown order -> 80000002",
        "");

    // ------------------------------------------------------------------ RANGE

    @Test
    void rangeMakesObjectsThatWorkAndRescindVoidsEveryKeyToThem() throws Exception {
        Path img = image("run-range");
        Cli run = cli("run", img.toString());
        assertEquals(0, run.status(), run.out() + run.err());
        assertEquals(RANGE_OUTPUT, run.out());
        // The process running in a new zero page ran to its end.
        assertTrue(run.err().matches("(?s)  process 0x[0-9a-f]+ halted: fault INVALID_ADDR \\(4\\) at EIP 0x00001000\n"),
            run.err());

        Outcome o = run(img, options());
        assertEquals(RunEnd.STOPPED, o.end());
        assertEquals(RANGE_OUTPUT, o.console());
        // Left: the ranger (running) and the halted zero-page process. The rescinded processes
        // (one WAITING, one RUNNING when it was rescinded) are unloaded and have no activity.
        assertEquals(2, o.processes().size(), o.processes().toString());
        assertEquals(1, o.count(ProcessLayout.RUNNING));
        assertEquals(1, o.activities());
    }

    private static final String RANGE_OUTPUT = String.join("\n",
        "new node -> 00000000",
        "new node get-type -> 00000004",
        "new node slot 0 class -> 00000000",
        "write new node -> 00000000",
        "new node slot 1 w3 -> 61626364",
        "another new node -> 00000000",
        "two new nodes differ -> 00000000",
        "new page -> 00000000",
        "new page get-type -> 00000005",
        "new process -> 00000000",
        "new process get-type -> 00000002",
        "new process run state -> 00000000",
        "new process eip -> 00000000",
        "new process eflags -> 00000202",
        "new process space class -> 00000000",
        "new process key registers -> 00000004",
        "new process keyreg 1 class -> 00000000",
        "range unknown order -> 80000002",
        "new page for code -> 00000000",
        "clone code into it -> 00000000",
        "give the new process a space -> 00000000",
        "give it our start key -> 00000000",
        "its start key -> 00000000",
        "the new process calls: marker -> 000000a1",
        "the new process calls: badge -> 00000009",
        "the new process waits -> 00000002",
        "zero page -> 00000000",
        "new process -> 00000000",
        "give it a space -> 00000000",
        "give it our start key -> 00000000",
        "its start key -> 00000000",
        "sleep -> 00000000",
        "zero-page process state -> 00000002",
        "zero-page process fault -> 00000004",
        "zero-page process fault address -> 00001000",
        "copy into a node -> 00000000",
        "rescind node -> 00000000",
        "rescinded key class -> 00000000",
        "copy in a node after rescind -> 00000000",
        "rescind a void key -> 80000003",
        "rescind a number -> 80000003",
        "rescind register 0 -> 80000003",
        "rescind the discrim key -> 80000003",
        "rescind page -> 00000000",
        "rescinded page get-type -> 80000001",
        "rescind waiting process -> 00000000",
        "its process key -> 80000001",
        "its start key -> 00000000",
        "its resume key -> 00000000",
        "new process -> 00000000",
        "give it a space -> 00000000",
        "give it our start key -> 00000000",
        "its start key -> 00000000",
        "running process state -> 00000001",
        "rescind running process -> 00000000",
        "its start key after -> 00000000",
        "sleep after -> 00000000",
        "");

    @Test
    void aProcessRescindingItselfEndsAndItsStalledCallerFindsTheKeyVoid() throws Exception {
        Path img = image("run-rescind-self");
        Cli run = cli("run", img.toString());
        assertEquals(0, run.status(), run.out() + run.err());
        String expected = "rescinding myself\nstart key after rescind -> 80000001\n";
        assertEquals(expected, run.out());
        assertEquals("", run.err());

        Outcome o = run(img, options());
        assertEquals(RunEnd.STOPPED, o.end());
        assertEquals(expected, o.console());
        // Only the watcher is left loaded: the rescinded process was unloaded.
        assertEquals(1, o.processes().size(), o.processes().toString());
        assertEquals(ProcessLayout.RUNNING, o.processes().get(0).state());
    }

    @Test
    void newObjectsAnswerNoResourcesWhenTheNodeTableIsPinnedFull() throws Exception {
        Path node = image("run-pool-node");
        Path process = image("run-pool-process");
        // Status = the low byte of the result code: 5 NO_RESOURCES, 0 OK.
        assertEquals(5, cli("run", node.toString(), "--nodes", "2").status());
        assertEquals(0, cli("run", node.toString(), "--nodes", "3").status());
        assertEquals(5, cli("run", process.toString(), "--nodes", "2").status());
        assertEquals(5, cli("run", process.toString(), "--nodes", "3").status());
        assertEquals(0, cli("run", process.toString(), "--nodes", "4").status());

        RunOptions small = options();
        small.nodes = 3;
        Outcome o = run(process, small, r -> {
            // The first node of the process that could not be completed was given back.
            assertEquals(2, r.machine().cache().nodes().inUse());
        });
        assertEquals(RunEnd.STOPPED, o.end());
        assertEquals(5, o.status());
        RunOptions room = options();
        room.nodes = 4;
        Outcome made = run(process, room, r -> assertEquals(4, r.machine().cache().nodes().inUse()));
        assertEquals(0, made.status());
    }

    // ------------------------------------------------------------------ SLEEP

    @Test
    void sleepForLetsEmulatedTimePassAndATimerServiceAnswersThroughResumeKeys() throws Exception {
        Path img = image("run-sleep");
        Cli run = cli("run", img.toString());
        assertEquals(0, run.status(), run.out() + run.err());
        assertEquals(SLEEP_OUTPUT, run.out());
        assertEquals("", run.err());

        Outcome o = run(img, options());
        assertEquals(RunEnd.STOPPED, o.end());
        assertEquals(SLEEP_OUTPUT, o.console());
        assertTrue(o.cycles() >= 1_600_000, "cycles " + o.cycles());
        assertEquals(ProcessLayout.AVAILABLE, o.processes().stream().filter(p -> p.state() != ProcessLayout.RUNNING)
            .findFirst().orElseThrow().state());
    }

    private static final String SLEEP_OUTPUT = String.join("\n",
        "sleep for 1000000 cycles -> 00000000",
        "slept at least that -> 00000001",
        "and not much more -> 00000001",
        "a send does not sleep -> 00000001",
        "sleep for 0 cycles -> 00000000",
        "sleep get-type -> 0000000b",
        "sleep unknown order -> 80000002",
        "timer call -> 00000000",
        "the timer let us sleep 300000 cycles -> 00000001",
        "timer call -> 00000000",
        "the timer let us sleep 300000 cycles -> 00000001",
        "");

    @Test
    void aSleepOfTwoToTheThirtyTwoCyclesRunsIntoTheCycleLimitExactly() throws Exception {
        Path img = image("run-sleep-long");
        Cli run = cli("run", img.toString(), "--max-cycles", "5000000");
        assertEquals(124, run.status(), run.err());
        assertEquals("sleeping 2^32 cycles\n", run.out());

        RunOptions options = options();
        options.maxCycles = 5_000_000;
        Outcome o = run(img, options);
        assertEquals(RunEnd.CYCLE_LIMIT, o.end());
        assertEquals(5_000_000, o.cycles());
        assertEquals(ProcessLayout.RUNNING, o.processes().get(0).state());
    }

    // ------------------------------------------------------------------ SYSTRACE, SCHED, CHECKPOINT

    @Test
    void countersSchedAndACheckpointThatLeavesAConsistentStore() throws Exception {
        Path img = image("run-counters");
        Cli run = cli("run", img.toString());
        assertEquals(0, run.status(), run.out() + run.err());
        assertEquals(COUNTERS_OUTPUT, run.out());
        assertEquals("", run.err());

        Outcome o = run(img, options(), r -> {
            Path store = r.storePath();
            StoreChecker.Report report = StoreChecker.check(store);
            assertTrue(report.consistent(), report.findings().toString());
            KernelMachine m = r.machine();
            ProcessTable p = m.processes();
            long root = -1;
            for (int e = 0; e < p.capacity(); e++) {
                if (p.isInUse(e)) {
                    root = p.rootOid(e);
                }
            }
            try (StoreFile file = StoreFile.openReadOnly(store)) {
                UnsafeBuffer keys = new UnsafeBuffer(new byte[ObjectSource.NODE_KEYS_LENGTH]);
                ObjectHeader header = new ObjectHeader();
                // The process's registers reached its root: RUNNING, EIP past the ELF entry.
                assertTrue(file.readNode(root, header, keys, 0));
                int stateSlot = ProcessLayout.SLOT_FAULT_AND_STATE * KeyDescriptor.LENGTH;
                assertEquals(ProcessLayout.RUNNING, keys.getInt(stateSlot + 8) & 0xFF);
                int eip = keys.getInt(ProcessLayout.SLOT_EIP_ESP_EFLAGS * KeyDescriptor.LENGTH);
                assertTrue(eip > 0x400000, "EIP in the store 0x" + Integer.toHexString(eip));
                // The node made at run time reached the store with its number.
                int found = 0;
                for (int i = 0; i < file.objectCount(); i++) {
                    long oid = file.oidAt(i);
                    if (file.kind(oid) == ObjectSource.KIND_NODE && file.readNode(oid, header, keys, 0)
                        && KeyDescriptor.type(keys.getInt(KeyDescriptor.TAIL_OFFSET)) == KeyType.NUMBER
                        && keys.getInt(0) == 0xC0FFEE && keys.getInt(4) == 0x1234) {
                        found++;
                    }
                }
                assertEquals(1, found);
                // Every clean page in memory is what the store holds: writes after the
                // checkpoint (the program went on printing) marked their pages dirty again.
                FrameTable frames = m.cache().frames();
                UnsafeBuffer page = new UnsafeBuffer(new byte[ObjectSource.PAGE_LENGTH]);
                int clean = 0;
                for (int f = 0; f < frames.capacity(); f++) {
                    if (frames.isInUse(f) && !frames.isDirty(f)) {
                        assertTrue(file.readPage(frames.oid(f), header, page, 0));
                        for (int b = 0; b < ObjectSource.PAGE_LENGTH; b += 8) {
                            assertEquals(page.getLong(b), frames.data().getLong(frames.dataOffset(f) + b),
                                "clean page 0x" + Long.toHexString(frames.oid(f)) + " differs from the store at " + b);
                        }
                        clean++;
                    }
                }
                assertTrue(clean > 0);
            }
        });
        assertEquals(RunEnd.STOPPED, o.end());
        assertEquals(COUNTERS_OUTPUT, o.console());
    }

    private static final String COUNTERS_OUTPUT = String.join("\n",
        "read counters -> 00000000",
        "counters length -> 000000a8",
        "counters version -> 00000001",
        "cycles counted -> 00000001",
        "kernel cycles within cycles -> 00000001",
        "invocations counted -> 00000001",
        "reset counters -> 00000000",
        "invocations since reset -> 00000001",
        "marks since reset -> 00000000",
        "invocations after 3 marks -> 00000005",
        "marks after 3 marks -> 00000003",
        "gate invocations -> 00000000",
        "traps at least invocations -> 00000001",
        "cycles since reset -> 00000001",
        "counters truncated -> 00000010",
        "systrace unknown order -> 80000002",
        "sched get-type -> 0000000a",
        "sched order 0 -> 80000002",
        "sched order 1 -> 80000002",
        "new node -> 00000000",
        "write it -> 00000000",
        "checkpoint get-type -> 0000000e",
        "take -> 00000000",
        "checkpoint unknown order -> 80000002",
        "checkpoints -> 00000001",
        "written back -> 00000001",
        "");
}
