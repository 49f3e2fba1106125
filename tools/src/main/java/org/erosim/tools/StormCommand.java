package org.erosim.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.erosim.bench.storm.StormConfig;
import org.erosim.bench.storm.StormProgress;
import org.erosim.bench.storm.StormResult;
import org.erosim.bench.storm.StormScenario;
import org.erosim.bench.storm.StormSystem;
import org.erosim.kernel.sched.WakePolicy;
import org.erosim.tools.storm.StormPlot;
import org.erosim.tools.storm.StormReport;
import org.erosim.tools.storm.TerminalProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code erosim storm SCENARIO}: builds a system of real guest processes stalled on one
 * keeper, triggers a wakeup storm and measures it (docs/storm.md). The systems, the trigger
 * and the probe are {@link StormSystem}'s (module bench, so that {@code erosim bench storm}
 * runs the same systems); this class parses options, picks the runs and writes the table,
 * the JSON and the plot.
 */
@Command(name = "storm", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Profile a stall-queue wakeup storm: N real guest processes (or queued",
        "posts) stalled on a busy keeper, released by one triggering write. Reports",
        "wakeups, retries, re-stalls, latency percentiles in emulated cycles, host",
        "time per woken sleeper and memory per sleeper (docs/storm.md).",
        "Exit status 1 if a consistency checker finds a fault after a run, 2 for bad",
        "input (one line)."})
final class StormCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SCENARIO", description = "keeper-swap, post-fire, shared-keeper or eviction.")
    String scenario;

    @Option(names = "--sleepers", paramLabel = "N", defaultValue = "1000",
        description = "Sleepers: callers or queued posts (default ${DEFAULT-VALUE}; up to about 1,860,000).")
    int sleepers;

    @Option(names = "--segments", paramLabel = "M", defaultValue = "0",
        description = "Red segments the sleepers are spread over (default: 1; shared-keeper about N/1000; eviction N/10).")
    int segments;

    @Option(names = "--wake-policy", paramLabel = "POLICY",
        description = "wake-all (EROS) or wake-one (KeyKOS). Default: wake-one; shared-keeper runs both.")
    String wakePolicy;

    @Option(names = "--no-keeper-rewake", description = "Turn keeper rewake off (the original EROS behaviour).")
    boolean noKeeperRewake;

    @Option(names = "--no-trap-replay", description = "Interpret every retried trap instead of letting the kernel "
        + "execute it (same emulated results; host time for comparison).")
    boolean noTrapReplay;

    @Option(names = "--post-recheck", description = "Queued posts hold a real key to their gate, so evicting it does "
        + "not fire them (eviction scenario).")
    boolean postRecheck;

    @Option(names = "--keeper-busy", paramLabel = "CYCLES", defaultValue = "0",
        description = "Cycles the old keeper stays busy after the trigger (keeper-swap, post-fire; default max(10^8, "
            + "20,000 x N)).")
    long keeperBusy;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
        description = "Seed of the sleepers' assignment to segments (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "0",
        description = "Node-table capacity (default: sized from --sleepers; eviction leaves room for half the gates).")
    int nodes;

    @Option(names = "--processes", paramLabel = "N", defaultValue = "0",
        description = "Process-table entries (default: sized from --sleepers).")
    int processes;

    @Option(names = "--activities", paramLabel = "N", defaultValue = "0",
        description = "Activity-table entries (default: sized from --sleepers).")
    int activities;

    @Option(names = "--posts", paramLabel = "N", defaultValue = "0",
        description = "Queued-post records (default: sized from --sleepers).")
    int posts;

    @Option(names = "--max-cycles", paramLabel = "N", defaultValue = "" + (1L << 50),
        description = "Cut the storm off after N emulated cycles (default 2^50).")
    long maxCycles;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "10000",
        description = "Run a storm of N sleepers first, unreported, so that the JIT has compiled the kernel's paths "
            + "before the measured run (default ${DEFAULT-VALUE}; 0: none).")
    int warmup;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON (docs/storm.md).")
    Path json;

    @Option(names = "--plot", paramLabel = "FILE.png|FILE.svg",
        description = "Draw wakeups and retries over emulated time and the latency distribution.")
    Path plot;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        StormScenario s = StormScenario.byLabel(scenario);
        if (s == null) {
            throw new UsageException("storm: unknown scenario '" + scenario + "' (" + StormScenario.labels() + ")");
        }
        if (plot != null && !StormPlot.supports(plot)) {
            throw new UsageException("--plot " + plot + ": the file name must end in .png or .svg");
        }
        List<StormConfig> configs = new ArrayList<>();
        for (WakePolicy p : policies(s)) {
            StormConfig c = config(s);
            c.policy = p;
            try {
                c.validate();
            } catch (IllegalArgumentException e) {
                throw new UsageException("storm " + s.label + ": " + e.getMessage());
            }
            checkMemory(c);
            configs.add(c);
        }
        StormProgress progress = TerminalProgress.forConsole();
        if (warmup < 0) {
            throw new UsageException("--warmup must be 0 or more, got " + warmup);
        }
        if (warmup > 0) {
            for (StormConfig c : configs) {
                StormConfig w = c.copy();
                w.sleepers = warmup;
                w.segments = Math.min(c.segments, w.sleepers);
                w.nodes = 0;
                w.processes = 0;
                w.activities = 0;
                w.posts = 0;
                try {
                    w.validate();
                } catch (IllegalArgumentException e) {
                    w.sleepers = Math.min(warmup, c.sleepers); // e.g. a wake-all herd too big for a warm-up
                    w.segments = Math.min(c.segments, w.sleepers);
                }
                runOne(w, progress); // its numbers are dropped: it only warms the JIT
            }
        }
        List<StormResult> results = new ArrayList<>();
        for (StormConfig c : configs) {
            results.add(runOne(c, progress));
        }
        out.print(StormReport.table(s, results));
        out.flush();
        if (json != null) {
            try (Writer w = Files.newBufferedWriter(json, StandardCharsets.UTF_8)) {
                StormReport.json(s, results, w);
            } catch (IOException e) {
                throw new UsageException("--json " + json + ": cannot write: " + e.getMessage());
            }
        }
        if (plot != null) {
            try {
                StormPlot.write(s, results, plot);
            } catch (IOException e) {
                throw new UsageException("--plot " + plot + ": cannot write: " + e.getMessage());
            }
        }
        return results.stream().allMatch(StormResult::consistent) ? Main.EXIT_OK : Main.EXIT_CHECK_FAILED;
    }

    private static StormResult runOne(StormConfig c, StormProgress progress) {
        StormSystem system;
        try {
            system = StormSystem.build(c, progress);
        } catch (OutOfMemoryError e) {
            progress.finish();
            throw new UsageException(String.format("storm %s: --sleepers %d does not fit in this JVM's memory (%s): give "
                + "java more with -Xmx and -XX:MaxDirectMemorySize, or use fewer --sleepers", c.scenario.label,
                c.sleepers, e.getMessage()));
        }
        try (system) {
            return system.run(progress);
        }
    }

    private List<WakePolicy> policies(StormScenario s) {
        if (wakePolicy == null) {
            return s == StormScenario.SHARED_KEEPER ? List.of(WakePolicy.WAKE_ALL, WakePolicy.WAKE_ONE)
                : List.of(WakePolicy.WAKE_ONE);
        }
        return List.of(RunCommand.wakePolicyOption(wakePolicy));
    }

    private StormConfig config(StormScenario s) {
        StormConfig c = new StormConfig(s, sleepers);
        if (segments < 0 || (segments == 0 && spec.commandLine().getParseResult().hasMatchedOption("--segments"))) {
            throw new UsageException("storm " + s.label + ": --segments must be at least 1, got " + segments);
        }
        c.segments = segments;
        c.keeperRewake = !noKeeperRewake;
        c.trapReplay = !noTrapReplay;
        c.postRecheck = postRecheck;
        c.seed = seed;
        c.keeperBusy = nonNegative("--keeper-busy", keeperBusy);
        c.nodes = (int) nonNegative("--nodes", nodes);
        c.processes = (int) nonNegative("--processes", processes);
        c.activities = (int) nonNegative("--activities", activities);
        c.posts = (int) nonNegative("--posts", posts);
        c.maxCycles = maxCycles;
        return c;
    }

    private static long nonNegative(String option, long v) {
        if (v < 0) {
            throw new UsageException(option + " must be at least 1, got " + v);
        }
        return v;
    }

    /** Refuses, before building anything, a system whose kernel tables cannot fit in the JVM's direct memory. */
    private static void checkMemory(StormConfig c) {
        long need = c.estimatedDirectBytes();
        long max = maxDirectMemory();
        if (need > max) {
            throw new UsageException(String.format("storm %s: --sleepers %d needs about %,d MiB of direct memory, more "
                + "than this JVM's %,d MiB: run java with -XX:MaxDirectMemorySize=%dg, or use fewer --sleepers",
                c.scenario.label, c.sleepers, need >> 20, max >> 20, (need >> 30) + 2));
        }
    }

    /** The JVM's direct-memory limit (-XX:MaxDirectMemorySize, by default the heap's maximum). */
    static long maxDirectMemory() {
        try {
            Class<?> vm = Class.forName("jdk.internal.misc.VM");
            return (Long) vm.getMethod("maxDirectMemory").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Runtime.getRuntime().maxMemory();
        }
    }
}
