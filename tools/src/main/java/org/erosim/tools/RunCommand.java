package org.erosim.tools;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.erosim.kernel.cost.CostModel;
import org.erosim.kernel.cost.CostModelException;
import org.erosim.kernel.run.RunEnd;
import org.erosim.kernel.run.RunOptions;
import org.erosim.kernel.sched.WakePolicy;
import org.erosim.tools.run.ImageRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code erosim run}: boots the capability kernel on a system image (docs/run.md). */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Boot the capability kernel on a system image: every process stored as running starts in ring 3;",
        "the console key prints to stdout. Exit status: the status a process passed to SYSTRACE STOP_RUN",
        "(w1 & 0xFF); 0 when every process is AVAILABLE or WAITING and nothing can run; 1 when processes",
        "halted (faults; report on stderr) or are stalled with nothing runnable (deadlock report);",
        "124 when --max-cycles is reached; 2 for bad input (one line)."})
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SYSTEM.img", description = "The system image (built by erosim mkimage).")
    Path image;

    @Option(names = "--max-cycles", paramLabel = "N", defaultValue = "" + RunOptions.DEFAULT_MAX_CYCLES,
        description = "End the run with status 124 after N emulated cycles (default ${DEFAULT-VALUE}).")
    long maxCycles;

    @Option(names = "--wake-policy", paramLabel = "POLICY", defaultValue = "wake-all",
        description = "Stall-queue wake policy: wake-all (EROS) or wake-one (KeyKOS) (default ${DEFAULT-VALUE}).")
    String wakePolicy;

    @Option(names = "--no-keeper-rewake",
        description = "Turn keeper rewake off: callers stalled on an old keeper stay parked until it is available "
            + "(the original EROS behaviour, for comparison).")
    boolean noKeeperRewake;

    @Option(names = "--no-trap-replay",
        description = "Interpret every retried trap: a process woken from a stall queue re-executes its INT 0x31 in "
            + "the interpreter instead of the kernel executing it (same emulated results; for comparison).")
    boolean noTrapReplay;

    @Option(names = "--post-recheck",
        description = "A waiting queued post holds a real key to its gate red segment, so it keeps waiting when the "
            + "gate's node leaves memory (default: it fires prematurely, counted).")
    boolean postRecheck;

    @Option(names = "--posts", paramLabel = "N", defaultValue = "" + RunOptions.DEFAULT_POSTS,
        description = "Queued-post records; a QPOST finding none free answers NO_RESOURCES (default ${DEFAULT-VALUE}).")
    int posts;

    @Option(names = "--slice", paramLabel = "CYCLES", defaultValue = "" + RunOptions.DEFAULT_SLICE,
        description = "Time slice in emulated cycles (default ${DEFAULT-VALUE}).")
    long slice;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "" + RunOptions.DEFAULT_NODES,
        description = "Node-table capacity: nodes in memory (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "" + RunOptions.DEFAULT_FRAMES,
        description = "Page frames for object pages, 4 KiB each (default ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--processes", paramLabel = "N", defaultValue = "" + RunOptions.DEFAULT_PROCESSES,
        description = "Process-table entries: loaded processes (default ${DEFAULT-VALUE}).")
    int processes;

    @Option(names = "--activities", paramLabel = "N", defaultValue = "" + RunOptions.DEFAULT_ACTIVITIES,
        description = "Activity-table entries (default ${DEFAULT-VALUE}).")
    int activities;

    @Option(names = "--page-table-frames", paramLabel = "N", defaultValue = "" + RunOptions.DEFAULT_PAGE_TABLE_FRAMES,
        description = "Frames of the page-table pool (default ${DEFAULT-VALUE}, at least 4).")
    int pageTableFrames;

    @Option(names = "--dependencies", paramLabel = "N", defaultValue = "" + RunOptions.DEFAULT_DEPENDENCIES,
        description = "Page-table dependency edges (default ${DEFAULT-VALUE}).")
    int dependencies;

    @Option(names = "--cost-model", paramLabel = "FILE",
        description = "Override entries of the kernel cost model (properties file, docs/cost-model.md).")
    Path costModel;

    @Option(names = "--checkpoint", paramLabel = "FILE",
        description = "Copy the store to FILE after every checkpoint (CHECKPOINT TAKE or --checkpoint-every), "
            + "atomically: FILE is always the last complete checkpoint, an image erosim check and erosim run take.")
    Path checkpoint;

    @Option(names = "--checkpoint-every", paramLabel = "CYCLES", defaultValue = "0",
        description = "Take a checkpoint every CYCLES emulated cycles (needs --checkpoint FILE; default: never).")
    long checkpointEvery;

    @Option(names = "--trace", paramLabel = "FILE",
        description = "Write kernel events to FILE, one line each: invocations (type, key, order, what became of "
            + "the invoker), process faults and SYSTRACE marks, stamped with the emulated cycle (docs/run.md).")
    Path trace;

    @Option(names = "--stats", description = "Print per-process cycles and state, invocation counters and the "
        + "kernel cost breakdown to stderr at the end.")
    boolean stats;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunOptions options = options();
        OutputStream console = new ConsoleStream(out);
        try (ImageRun run = new ImageRun(image, options, console)) {
            if (checkpoint != null) {
                run.keepCheckpointsIn(checkpoint);
            }
            OutputStream traceFile = openTrace();
            run.machine().setTrace(traceFile);
            RunEnd end;
            try {
                end = run.run();
            } finally {
                closeTrace(run, traceFile);
            }
            out.flush();
            int status = run.exitStatus();
            switch (end) {
                case HALTED:
                    err.println("erosim: " + image + ": no process can run any more:");
                    break;
                case CYCLE_LIMIT:
                    err.println("erosim: " + image + ": --max-cycles " + maxCycles + " reached");
                    break;
                default:
                    break;
            }
            for (String line : run.machine().report()) {
                err.println("  " + line);
            }
            if (stats) {
                err.println("end: " + end.text + ", exit status " + status);
                err.print(run.machine().stats());
            }
            err.flush();
            return status;
        } catch (ImageRun.RunInputException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The --trace file, buffered, or null without --trace. */
    private OutputStream openTrace() {
        if (trace == null) {
            return null;
        }
        try {
            return new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(trace), 1 << 16);
        } catch (java.io.IOException e) {
            throw new UsageException(trace + ": cannot write the trace: " + e.getMessage());
        }
    }

    private void closeTrace(ImageRun run, OutputStream traceFile) {
        if (traceFile == null) {
            return;
        }
        try {
            run.machine().flushTrace();
            traceFile.close();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw new UsageException(trace + ": cannot write the trace: " + e.getMessage());
        }
    }

    private RunOptions options() {
        RunOptions o = new RunOptions();
        if (maxCycles < 1) {
            throw new UsageException("--max-cycles must be at least 1, got " + maxCycles);
        }
        o.maxCycles = maxCycles;
        o.wakePolicy = wakePolicyOption(wakePolicy);
        if (checkpointEvery < 0) {
            throw new UsageException("--checkpoint-every must be at least 0, got " + checkpointEvery);
        }
        if (checkpointEvery > 0 && checkpoint == null) {
            throw new UsageException("--checkpoint-every needs --checkpoint FILE (where to keep the checkpoints)");
        }
        o.checkpointEvery = checkpointEvery;
                o.keeperRewake = !noKeeperRewake;
        o.trapReplay = !noTrapReplay;
        o.postRecheck = postRecheck;
        o.posts = (int) positive("--posts", posts);
        o.slice = positive("--slice", slice);
        o.nodes = (int) positive("--nodes", nodes);
        o.frames = (int) positive("--frames", frames);
        o.processes = (int) positive("--processes", processes);
        o.activities = (int) positive("--activities", activities);
        if (pageTableFrames < 4 || pageTableFrames > (1 << 18)) {
            throw new UsageException("--page-table-frames must be 4..262144, got " + pageTableFrames);
        }
        o.pageTableFrames = pageTableFrames;
        if (dependencies < org.erosim.kernel.space.PageTableCache.MIN_DEPENDENCIES) {
            throw new UsageException("--dependencies must be at least " + org.erosim.kernel.space.PageTableCache.MIN_DEPENDENCIES + ", got " + dependencies);
        }
        o.dependencies = dependencies;
        if ((long) frames + pageTableFrames + 1 > (3L << 30) / 4096) {
            throw new UsageException("--frames plus --page-table-frames exceed 3 GiB of emulated RAM");
        }
        if (costModel != null) {
            try {
                o.costModel = CostModel.defaults().withOverrides(costModel);
            } catch (IOException e) {
                throw new UsageException(costModel + ": cannot read: " + e.getMessage());
            } catch (CostModelException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return o;
    }

    private static long positive(String name, long v) {
        if (v < 1) {
            throw new UsageException(name + " must be at least 1, got " + v);
        }
        return v;
    }

    /** Console bytes to the command's stdout writer, one char per byte (ISO-8859-1), allocation-free. */
    private static final class ConsoleStream extends OutputStream {
        private final PrintWriter out;

        ConsoleStream(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            out.write((char) (b & 0xFF));
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) {
                out.write((char) (b[off + i] & 0xFF));
            }
        }

        @Override
        public void flush() {
            out.flush();
        }
    }

    /** The {@code --wake-policy} value {@code label} (of run and storm); a usage error if it names none. */
    static WakePolicy wakePolicyOption(String label) {
        WakePolicy p = WakePolicy.byLabel(label);
        if (p == null) {
            throw new UsageException("--wake-policy must be wake-all or wake-one, got '" + label + "'");
        }
        return p;
    }
}
