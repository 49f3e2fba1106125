package org.erosim.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code erosim bench}: the command wiring, the defaults and the summary table. The one run
 * here is in-process with a single 100 ms iteration; it measures nothing.
 */
class BenchCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int bench(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        return Main.execute(all, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void cpuSuitePrintsOneRowPerBenchmarkWithMipsAndAllocation() {
        int status = bench("cpu", "--", "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms");

        assertEquals(Main.EXIT_OK, status, err::toString);
        List<String> lines = out.toString().lines().toList();
        assertEquals(3, lines.size(), out::toString);
        assertTrue(lines.get(0).matches("benchmark\\s+mode\\s+score\\s+error\\s+median\\s+unit.*MIPS\\s+ns/insn\\s+cycles/op\\s+B/op"),
            lines.get(0));
        for (String row : lines.subList(1, 3)) {
            String[] cells = row.split("\\s+");
            // benchmark, mode, score, "+/-", error, median, unit, ...: one iteration is its own median
            assertEquals(cells[2], cells[5], "median of one iteration: " + row);
            assertTrue(cells[0].startsWith("cpu.InterpreterThroughputBenchmark."), row);
            assertFalse(cells[cells.length - 4].equals("-"), "MIPS missing: " + row);
            assertEquals("-", cells[cells.length - 2], "no emulated cycles in a bare CPU benchmark: " + row);
            assertFalse(cells[cells.length - 1].equals("-"), "B/op missing: " + row);
        }
    }

    @Test
    void ipcRoundTripRowShowsEmulatedCyclesPerRoundTrip() {
        int status = bench("ipc", "--", "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms",
            "IpcRoundTripBenchmark.roundTripGuest");

        assertEquals(Main.EXIT_OK, status, err::toString);
        List<String> lines = out.toString().lines().toList();
        assertEquals(2, lines.size(), out::toString);
        String[] cells = lines.get(1).split("\\s+");
        assertEquals("ipc.IpcRoundTripBenchmark.roundTripGuest", cells[0]);
        // Guest instructions plus kernel charges: hundreds of cycles (kernel.md §14), whatever
        // the cost model's exact figures.
        double cycles = Double.parseDouble(cells[cells.length - 2]);
        assertTrue(cycles > 100 && cycles < 5000, "cycles/op: " + lines.get(1));
    }

    @Test
    void stormSuiteMeasuresTheHerdPerSleeper() {
        int status = bench("storm", "--", "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms",
            "StormBenchmark.wakeRetryRestall1kPerSleeper");

        assertEquals(Main.EXIT_OK, status, err::toString);
        List<String> lines = out.toString().lines().toList();
        assertEquals(2, lines.size(), out::toString);
        assertTrue(lines.get(1).startsWith("storm.StormBenchmark.wakeRetryRestall1kPerSleeper "), lines.get(1));
    }

    @Test
    void unknownSuiteAndBadJmhOptionsAreUsageErrors() {
        assertEquals(Main.EXIT_USAGE, bench("gpu"));
        assertEquals(Main.EXIT_USAGE, bench("cpu", "--", "-f", "many"));
        assertEquals(Main.EXIT_USAGE, bench("cpu", "--", "NoSuchBenchmark"));
        assertTrue(err.toString().lines().allMatch(l -> l.startsWith("erosim: bench: ")), err::toString);
    }

    @Test
    void defaultsApplyOnlyWhereTheUserGaveNoJmhOption() throws Exception {
        Options defaults = BenchCommand.withDefaults(new CommandLineOptions(), List.of("^cpu\\."), false);
        Options user = BenchCommand.withDefaults(new CommandLineOptions("-f", "3", "-r", "2s", "-prof", "gc", "x"),
            List.of("^cpu\\."), false);

        assertEquals(1, defaults.getForkCount().get());
        assertEquals(TimeValue.seconds(5), defaults.getMeasurementTime().get());
        assertEquals(List.of("^cpu\\."), defaults.getIncludes());
        assertEquals(List.of(BenchCommand.ADD_EXPORTS, BenchCommand.NO_BOUNDS_CHECKS),
            List.copyOf(defaults.getJvmArgsPrepend().get()));
        assertEquals(3, user.getForkCount().get());
        assertEquals(TimeValue.seconds(2), user.getMeasurementTime().get());
        assertEquals(List.of("x"), user.getIncludes());
        assertEquals(1, user.getProfilers().size(), "gc profiler not added twice");
    }

    @Test
    void scoresConvertToEventsPerSecondFromRatesAndTimes() {
        assertEquals(2000, BenchSummary.perSecond(2, "ops/ms"), 1e-9);
        assertEquals(1, BenchSummary.perSecond(3600, "ops/hr"), 1e-9);
        assertEquals(2.5e8, BenchSummary.perSecond(4, "ns/op"), 1e-3);
        assertTrue(Double.isNaN(BenchSummary.perSecond(1, "B/op")));
        assertEquals("-", BenchSummary.number(Double.NaN));
        assertEquals("0.002", BenchSummary.number(0.0021));
        assertEquals("61.22", BenchSummary.number(61.2212));
        assertEquals("16334619.4", BenchSummary.number(16334619.43));
    }
}
