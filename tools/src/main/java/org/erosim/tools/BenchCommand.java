package org.erosim.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.profile.ProfilerException;
import org.openjdk.jmh.profile.ProfilerFactory;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.ProfilerConfig;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code erosim bench [cpu|ipc|storm|all] [-- JMH options]}: runs JMH suites from the
 * benchmark list shaded into this jar and prints {@link BenchSummary}'s table on stdout.
 *
 * <p>Defaults aim at about a minute per benchmark (1 fork, 4 x 5 s warmup, 8 x 5 s
 * measurement) with {@code -prof gc}; any of them given after {@code --} wins. JMH's own
 * progress goes to stderr, and only when stdout is a terminal (as the CLI's progress bars).
 * A suite whose benchmarks do not exist yet prints a notice; the exit status is 2 only if
 * nothing at all could run.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Run the JMH benchmark suites and print a summary table (score, ns/op, MIPS, B/op).",
        "Options after -- go to JMH and override the defaults (1 fork, 4 x 5 s warmup, 8 x 5 s measurement,"
            + " -prof gc), e.g. 'erosim bench cpu -- -f 3 -prof stack'; name the suite before --; '-- -h' lists"
            + " JMH's options.",
        "Exit status 1 if a benchmark failed, 2 if nothing could run."})
final class BenchCommand implements Callable<Integer> {
    /** The forked JVMs start with -cp, where the jar manifest's Add-Exports does not apply. */
    static final String ADD_EXPORTS = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    /**
     * Benchmarks measure the production configuration: Agrona's per-access bounds checks off,
     * as Agrona documents for production (docs/performance.md, "Agrona bounds checks"). Tests keep them on. To
     * measure with them: {@code -- -jvmArgsAppend -Dagrona.disable.bounds.checks=false}.
     */
    static final String NO_BOUNDS_CHECKS = "-Dagrona.disable.bounds.checks=true";
    private static final String GC_PROFILER = "gc";

    /** A suite is a benchmark package; it is "not yet implemented" while that package is empty. */
    enum Suite {
        CPU("interpreter throughput: compute loop and TLB-heavy page walk", null),
        IPC("IPC latency", "issues 5 and 6 (gate-call round trip, SEND, stall and wake, keeper rewake, queued POST)"),
        STORM("wakeup storms: host ns per woken sleeper, N = 1 000 ... 1 000 000", null);

        final String what;
        /** Where the benchmarks will come from while the package is empty; null if they exist. */
        final String comesWith;

        Suite(String what, String comesWith) {
            this.what = what;
            this.comesWith = comesWith;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** JMH include pattern: every benchmark of the suite's package. */
        String pattern() {
            return "^org\\.erosim\\.bench\\." + label() + "\\.";
        }
    }

    @Parameters(index = "0", arity = "0..1", defaultValue = "all", paramLabel = "SUITE",
        description = "cpu, ipc, storm or all (default: ${DEFAULT-VALUE}).")
    String suite;

    @Parameters(index = "1..*", paramLabel = "JMH-OPTION", description = "Passed to JMH (after --).")
    List<String> jmhArgs = new ArrayList<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        CommandLineOptions user = parseJmhOptions();
        if (user.shouldHelp()) {
            return showJmhHelp(user);
        }
        List<String> includes = runnableSuites(err);
        if (includes.isEmpty()) {
            return Main.EXIT_USAGE;
        }
        boolean terminal = System.console() != null;
        Options options = withDefaults(user, includes, terminal);
        if (user.shouldList()) {
            new Runner(options, OutputFormatFactory.createFormatInstance(System.out, VerboseMode.NORMAL)).list();
            return Main.EXIT_OK;
        }
        requireMatches(options);
        return run(options, spec.commandLine().getOut(), err);
    }

    /** Runs the benchmarks, JMH's progress on stderr, and prints the summary on stdout. */
    private static int run(Options options, PrintWriter out, PrintWriter err) {
        OutputFormat progress = OutputFormatFactory.createFormatInstance(System.err,
            options.verbosity().orElse(VerboseMode.NORMAL));
        try {
            Collection<RunResult> results = new Runner(options, progress).run();
            BenchSummary.print(results, out);
            return Main.EXIT_OK;
        } catch (RunnerException e) {
            err.println("erosim bench: " + describe(e));
            return Main.EXIT_CHECK_FAILED;
        }
    }

    private CommandLineOptions parseJmhOptions() {
        try {
            return new CommandLineOptions(jmhArgs.toArray(new String[0]));
        } catch (CommandLineOptionException e) {
            throw new UsageException("bench: JMH option: " + e.getMessage());
        }
    }

    private static int showJmhHelp(CommandLineOptions user) {
        try {
            user.showHelp();
            return Main.EXIT_OK;
        } catch (IOException e) {
            throw new UsageException("bench: cannot print JMH help: " + e.getMessage());
        }
    }

    /**
     * Include patterns of the requested suites that have benchmarks; a notice on stderr for
     * each requested suite that has none yet.
     */
    private List<String> runnableSuites(PrintWriter err) {
        List<String> includes = new ArrayList<>();
        for (Suite s : requestedSuites()) {
            if (hasBenchmarks(s)) {
                includes.add(s.pattern());
            } else if (s.comesWith != null) {
                err.println("erosim bench: no " + s.label() + " benchmarks yet (" + s.what + "); they come with "
                    + s.comesWith);
            } else {
                err.println("erosim bench: no " + s.label() + " benchmarks in this build (" + s.what + ")");
            }
        }
        err.flush();
        return includes;
    }

    private List<Suite> requestedSuites() {
        if (suite.equals("all")) {
            return List.of(Suite.values());
        }
        for (Suite s : Suite.values()) {
            if (s.label().equals(suite)) {
                return List.of(s);
            }
        }
        throw new UsageException("bench: unknown suite '" + suite + "' (cpu, ipc, storm or all; JMH options go after --)");
    }

    private static boolean hasBenchmarks(Suite s) {
        try {
            return !BenchmarkList.defaultList().find(silent(), List.of(s.pattern()), List.of()).isEmpty();
        } catch (RuntimeException e) {
            return false; // JMH's way of saying the jar holds no META-INF/BenchmarkList at all
        }
    }

    /**
     * The user's JMH options over this command's defaults. JMH options given by the user
     * override ours ({@link OptionsBuilder#parent}: a value set on the builder wins, so a
     * default is set only where the user gave none).
     */
    static Options withDefaults(CommandLineOptions user, List<String> suiteIncludes, boolean terminal) {
        ChainedOptionsBuilder b = new OptionsBuilder().parent(user);
        if (user.getIncludes().isEmpty()) {
            suiteIncludes.forEach(b::include); // a user's pattern replaces the suites'
        }
        if (!user.getForkCount().hasValue()) {
            b.forks(1);
        }
        if (!user.getWarmupIterations().hasValue()) {
            b.warmupIterations(4);
        }
        if (!user.getWarmupTime().hasValue()) {
            b.warmupTime(TimeValue.seconds(5));
        }
        if (!user.getMeasurementIterations().hasValue()) {
            b.measurementIterations(8);
        }
        if (!user.getMeasurementTime().hasValue()) {
            b.measurementTime(TimeValue.seconds(5));
        }
        if (!user.shouldFailOnError().hasValue()) {
            b.shouldFailOnError(true);
        }
        if (!user.verbosity().hasValue()) {
            b.verbosity(terminal ? VerboseMode.NORMAL : VerboseMode.SILENT);
        }
        if (!user.getJvmArgsPrepend().hasValue()) {
            // also covers a user's -jvmArgsAppend, which replaces the benchmarks' own @Fork flags
            b.jvmArgsPrepend(ADD_EXPORTS, NO_BOUNDS_CHECKS);
        }
        if (gcProfilerAvailable() && user.getProfilers().stream().noneMatch(BenchCommand::isGcProfiler)) {
            b.addProfiler(GCProfiler.class);
        }
        return b.build();
    }

    private static boolean isGcProfiler(ProfilerConfig p) {
        return p.getKlass().equals(GC_PROFILER) || p.getKlass().equals(GCProfiler.class.getName());
    }

    private static boolean gcProfilerAvailable() {
        try {
            ProfilerFactory.getProfilerOrException(new ProfilerConfig(GC_PROFILER));
            return true;
        } catch (ProfilerException e) {
            return false;
        }
    }

    /** A pattern given after -- that matches nothing is a usage error, found before any fork. */
    private static void requireMatches(Options options) {
        if (BenchmarkList.defaultList().find(silent(), options.getIncludes(), options.getExcludes()).isEmpty()) {
            throw new UsageException("bench: no benchmark matches " + options.getIncludes());
        }
    }

    private static OutputFormat silent() {
        return OutputFormatFactory.createFormatInstance(new PrintStream(PrintStream.nullOutputStream()), VerboseMode.SILENT);
    }

    private static String describe(RunnerException e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            b.append(": ").append(t.getMessage());
        }
        return b.toString();
    }
}
