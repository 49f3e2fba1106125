package org.erosim.tools.run;

import static org.erosim.tools.run.RunFixture.runChecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.erosim.kernel.abi.ResultCode;
import org.erosim.kernel.process.ProcessDescriptor;
import org.erosim.kernel.process.ProcessTable;
import org.erosim.kernel.run.RunEnd;
import org.erosim.kernel.run.RunOptions;
import org.erosim.kernel.sched.ActivityDescriptor;
import org.erosim.kernel.sched.ActivityTable;
import org.erosim.tools.Cli;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint crash tests (quality.md: kill at random points, restart, check, compare;
 * kernel.md §12: a crash at any instant loses nothing committed by the last checkpoint and
 * never yields a store that fails the consistency check). ckpt-crash.erosys runs two callers
 * that ADD 1..4000 to a server, which writes a sum and a count that do not depend on how the
 * callers interleave and ends the run. A run is crashed at seeded random points — abandoned
 * in process, or its JVM killed with SIGKILL — and restarted from the checkpoint file
 * {@code --checkpoint} keeps; the file must always pass the checker, and the restarted run
 * must end with the line an uninterrupted run writes.
 */
class CheckpointCrashTest {
    /** What an uninterrupted run writes: sum = (1 + 3) * 4000 * 4001 / 2, count = 2 * 4000. */
    private static final String LINE = "ckpt-server: sum 01e86740 count 8000\n";
    /** The uninterrupted run takes about 7.5 million cycles: about fifteen checkpoints. */
    private static final long EVERY = 500_000;
    private static final long RUN_CYCLES = 7_600_000;

    @TempDir
    Path dir;
    private Path image;

    @BeforeEach
    void build() {
        image = new RunFixture(dir).image("ckpt-crash");
    }

    @Test
    void uninterruptedRunWritesTheLineTheRestartsMustWrite() throws Exception {
        RunFixture.Outcome o = runChecked(image, new RunOptions());
        assertEquals(RunEnd.STOPPED, o.end());
        assertEquals(0, o.status());
        assertEquals(LINE, o.console());
        assertTrue(o.cycles() > 7 * EVERY && o.cycles() < RUN_CYCLES, "cycles " + o.cycles());
    }

    /**
     * A chain of crashes: each run (the image, then the last checkpoint of the run before)
     * is abandoned at a seeded random cycle, with checkpoints every {@link #EVERY} cycles
     * going to one file; the file passes {@code erosim check} after every crash. A restart
     * that reaches the end before its crash point, or the last one, left to finish, writes
     * the uninterrupted run's line and nothing else.
     */
    @Test
    void restartsFromTheLastCheckpointAfterEveryCrashEndAsAnUninterruptedRun() throws Exception {
        Random random = new Random(0xC0FFEE);
        int crashed = 0;
        for (int chain = 0; chain < 3; chain++) {
            Path checkpoint = dir.resolve("chain" + chain + ".img");
            Path from = image;
            List<Long> crashes = new ArrayList<>();
            boolean finished = false;
            for (int crash = 0; crash < 4 && !finished; crash++) {
                long at = EVERY + (long) (random.nextDouble() * (RUN_CYCLES / 2));
                crashes.add(at);
                ByteArrayOutputStream console = new ByteArrayOutputStream();
                try (ImageRun run = new ImageRun(from, options(), console)) {
                    run.keepCheckpointsIn(checkpoint);
                    RunEnd end = run.runFor(at);
                    if (end == RunEnd.STOPPED) {
                        // This restart had less than `at` cycles of work left: it ends as the whole run does.
                        assertEquals(0, run.exitStatus(), "after the crashes at " + crashes);
                        assertEquals(LINE, console.toString(), "after the crashes at " + crashes);
                        finished = true;
                        continue;
                    }
                    assertEquals(RunEnd.CYCLE_LIMIT, end, "crashes at " + crashes);
                    assertEquals(at / EVERY, run.machine().checkpoints(), "checkpoints taken before the crash");
                    assertEquals("", console.toString(), "nothing is written before the end");
                } // the crash: nothing after the last checkpoint is kept
                crashed++;
                assertPassesTheChecker(checkpoint, "after the crashes at " + crashes);
                from = dir.resolve("from" + chain + "-" + crash + ".img");
                Files.copy(checkpoint, from);
            }
            if (!finished) {
                assertRestartsToTheLine(from, "after the crashes at " + crashes);
            }
        }
        assertTrue(crashed >= 6, "crashes: " + crashed);
    }

    /**
     * The real thing: {@code erosim run --checkpoint-every --checkpoint} in its own JVM,
     * killed with SIGKILL after a seeded random delay (so possibly in the middle of writing a
     * checkpoint; all but the first kill come after the first checkpoint file appeared). The
     * file it leaves is absent (killed before the first checkpoint) or a complete checkpoint
     * that passes the checker and restarts to the uninterrupted line; a half-written copy can
     * only be the temporary file beside it.
     */
    @Test
    void killedRunLeavesACompleteCheckpointThatRestartsToTheSameEnd() throws Exception {
        Random random = new Random(0x5161_4B11);
        int restarted = 0;
        for (int kill = 0; kill < 4; kill++) {
            Path checkpoint = dir.resolve("killed" + kill + ".img");
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (a.startsWith("--add-") || a.startsWith("-Dagrona")) {
                    command.add(a); // the module flags Agrona and Chronicle need, as this JVM has them
                }
            }
            // Its scratch copy of the image goes into the test's directory: a killed run leaves it behind.
            command.add("-Djava.io.tmpdir=" + dir);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.erosim.tools.Main", "run",
                image.toString(), "--checkpoint-every", "200000", "--checkpoint", checkpoint.toString()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("killed" + kill + ".log").toFile()).start();
            // The first kill comes at any time, perhaps before the first checkpoint; the others
            // a random while after a checkpoint file has appeared, whatever the JVM's start-up
            // takes on this machine.
            long delay = random.nextInt(1500);
            if (kill > 0) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.exists(checkpoint) && p.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
            }
            boolean ended = p.waitFor(delay, TimeUnit.MILLISECONDS);
            if (!ended) {
                p.destroyForcibly(); // SIGKILL: no shutdown hook, no last checkpoint
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the killed JVM exits");
            }
            if (!Files.exists(checkpoint)) {
                assertFalse(ended && p.exitValue() == 0, "a finished run took checkpoints");
                continue;
            }
            assertPassesTheChecker(checkpoint, "killed after " + delay + " ms");
            assertRestartsToTheLine(checkpoint, "killed after " + delay + " ms");
            restarted++;
        }
        assertTrue(restarted >= 3, "kills after a checkpoint: " + restarted);
    }

    /**
     * A sleeper a checkpoint catches (run-sleep-restart.erosys: SLEEP_FOR 2^32 cycles beside
     * a spinner): no wake cycle is kept, so the checkpoint records its SLEEP_FOR's answer as
     * RESTART (abi.md: a sleep cut short by a restart). A restart from it reports RESTART at
     * once and ends the run; the running system's sleeper still holds the OK it was answered.
     */
    @Test
    void aSleeperCaughtByACheckpointIsAnsweredRestartWhenRestarted() throws Exception {
        Path sleepy = new RunFixture(dir).image("run-sleep-restart");
        Path checkpoint = dir.resolve("sleeper.img");
        RunOptions options = new RunOptions();
        options.checkpointEvery = 1_000_000;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (ImageRun run = new ImageRun(sleepy, options, console)) {
            run.keepCheckpointsIn(checkpoint);
            assertEquals(RunEnd.CYCLE_LIMIT, run.runFor(2_500_000));
            assertEquals(2, run.machine().checkpoints());
            assertEquals("sleeping 2^32 cycles\n", console.toString());
            ProcessTable p = run.machine().processes();
            ActivityTable activities = run.machine().scheduler().activities();
            int sleepers = 0;
            for (int e = 0; e < p.capacity(); e++) {
                if (p.isInUse(e) && p.activity(e) >= 0 && activities.state(p.activity(e)) == ActivityDescriptor.SLEEPING) {
                    sleepers++;
                    assertEquals(ResultCode.OK, p.get(e, ProcessDescriptor.EAX_OFFSET), "the entry keeps its answer");
                }
            }
            assertEquals(1, sleepers);
        }
        assertPassesTheChecker(checkpoint, "a sleeper's checkpoint");
        RunFixture.Outcome o = runChecked(checkpoint, new RunOptions());
        assertEquals(RunEnd.STOPPED, o.end());
        assertEquals(0, o.status(), o.console());
        assertEquals("the sleep was cut short by a restart -> 80000006\n", o.console());
    }

    /** {@code erosim check} finds {@code checkpoint} consistent. */
    private static void assertPassesTheChecker(Path checkpoint, String context) {
        Cli check = Cli.cli("check", checkpoint.toString());
        assertEquals(0, check.status(), context + ": " + check.out() + check.err());
        assertTrue(check.out().contains("consistent"), context + ": " + check.out());
    }

    /** Run to its end (both checkers after it), {@code image} writes the uninterrupted run's line and stops with 0. */
    private static void assertRestartsToTheLine(Path image, String context) throws Exception {
        RunFixture.Outcome o = runChecked(image, new RunOptions());
        assertEquals(RunEnd.STOPPED, o.end(), context);
        assertEquals(0, o.status(), context);
        assertEquals(LINE, o.console(), context);
    }

    private static RunOptions options() {
        RunOptions o = new RunOptions();
        o.checkpointEvery = EVERY;
        return o;
    }
}
