package org.erosim.tools.run;

import static org.erosim.tools.Cli.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.erosim.kernel.process.ProcessTable;
import org.erosim.kernel.run.KernelMachine;
import org.erosim.kernel.run.RunEnd;
import org.erosim.kernel.run.RunOptions;
import org.erosim.tools.Cli;

/**
 * The scenario API of the {@code erosim run} tests (quality.md: build an image, run, assert,
 * then the consistency checker): images are built from src/test/resources/images/NAME.erosys
 * by {@code erosim mkimage} (the CLI's own path), run either through {@code Main.execute}
 * (statuses and output) or through {@link ImageRun} (the class the command uses) to inspect
 * the machine afterwards, with the object and scheduler checkers run after every run.
 */
final class RunFixture {
    static final Path IMAGES = Path.of("src/test/resources/images");

    private final Path dir;

    /** {@code dir}: where images are built (a test's temporary directory). */
    RunFixture(Path dir) {
        this.dir = dir;
    }

    /** Builds images/NAME.erosys into the temporary directory with {@code erosim mkimage}. */
    Path image(String name) {
        Path img = dir.resolve(name + ".img");
        Cli mk = cli("mkimage", IMAGES.resolve(name + ".erosys").toString(), "-o", img.toString());
        assertEquals(0, mk.status(), mk.err());
        return img;
    }

    /** Result of a run through ImageRun, after both checkers; run states and faults of the loaded processes. */
    record Outcome(RunEnd end, int status, String console, long cycles, List<String> report, int[] runStates,
        int[] faultCodes, String stats) {
    }

    /** The consistency checker (objects, scheduler, queued posts) finds nothing in {@code m}. */
    static void assertConsistent(KernelMachine m) {
        assertEquals(List.of(), m.consistencyFindings(), "consistency after the run");
    }

    /** Runs {@code img} to its end and checks object consistency and scheduler invariants. */
    static Outcome runChecked(Path img, RunOptions options) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (ImageRun run = new ImageRun(img, options, console)) {
            RunEnd end = run.run();
            KernelMachine m = run.machine();
            assertConsistent(m);
            ProcessTable p = m.processes();
            int n = 0;
            int[] states = new int[p.capacity()];
            int[] faults = new int[p.capacity()];
            for (int e = 0; e < p.capacity(); e++) {
                if (p.isInUse(e)) {
                    states[n] = p.runState(e);
                    faults[n++] = p.faultCode(e);
                }
            }
            return new Outcome(end, run.exitStatus(), console.toString(StandardCharsets.ISO_8859_1),
                m.elapsedCycles(), m.report(), Arrays.copyOf(states, n), Arrays.copyOf(faults, n), m.stats());
        }
    }
}
