package org.erosim.tools;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * The table {@code erosim bench} prints: one row per benchmark and parameter set, with
 * JMH's score and error as measured, the median of the measurement iterations (of every
 * fork; quality.md asks for medians: on a shared host one slow iteration moves the mean
 * and its error, not the median), and the derived columns people compare:
 * <ul>
 *   <li>ns/op: the primary score as host nanoseconds per operation, whatever the mode;</li>
 *   <li>MIPS and ns/insn: from the auxiliary counter {@value #INSTRUCTIONS}, which
 *   interpreter benchmarks count guest instructions in;</li>
 *   <li>cycles/op: emulated cycles per operation, from the auxiliary counter {@value #CYCLES}
 *   that the IPC benchmarks count the machine's cycle counter in (guest instructions plus the
 *   kernel's cost-model charges: the emulated cost of a round trip, kernel.md §14);</li>
 *   <li>B/op: from {@code -prof gc}'s {@value #ALLOC_NORM}.</li>
 * </ul>
 * A column that does not apply to a row shows "-".
 */
final class BenchSummary {
    /** Label of the auxiliary counter of guest instructions (see InterpreterThroughputBenchmark). */
    static final String INSTRUCTIONS = "instructions";
    /** Label of the auxiliary counter of emulated cycles (see IpcRoundTripBenchmark). */
    static final String CYCLES = "cycles";
    /** Label of the GC profiler's bytes allocated per operation. */
    static final String ALLOC_NORM = "gc.alloc.rate.norm";
    private static final String PACKAGE_PREFIX = "org.erosim.bench.";
    private static final String[] HEADER = {"benchmark", "mode", "score", "error", "median", "unit", "ns/op", "MIPS", "ns/insn", "cycles/op", "B/op"};

    private BenchSummary() {
    }

    /** Prints the table; nothing for no results. */
    static void print(Collection<RunResult> results, PrintWriter out) {
        if (results.isEmpty()) {
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (RunResult r : results) {
            rows.add(row(r));
        }
        int[] width = columnWidths(rows);
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                // the name left-aligned, numbers right-aligned so their digits line up
                String cell = c == 0 ? pad(row[c], width[c], false) : pad(row[c], width[c], true);
                line.append(c == 0 ? "" : "  ").append(cell);
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    private static String[] row(RunResult r) {
        Result<?> primary = r.getPrimaryResult();
        Result<?> instructions = r.getSecondaryResults().get(INSTRUCTIONS);
        Result<?> cycles = r.getSecondaryResults().get(CYCLES);
        Result<?> allocation = r.getSecondaryResults().get(ALLOC_NORM);
        double perSecond = perSecond(primary.getScore(), primary.getScoreUnit());
        double instructionsPerSecond = instructions == null ? Double.NaN
            : perSecond(instructions.getScore(), instructions.getScoreUnit());
        // Both rates per second, whatever the mode: a counter of Type.OPERATIONS is normalised
        // like the primary score (cycles/s in thrpt, ns per cycle in avgt).
        double cyclesPerOp = cycles == null ? Double.NaN
            : perSecond(cycles.getScore(), cycles.getScoreUnit()) / perSecond;
        double bytesPerOp = allocation == null ? Double.NaN : allocation.getScore();
        return new String[] {
            name(r.getParams()),
            r.getParams().getMode().shortLabel(),
            number(primary.getScore()),
            "+/- " + number(primary.getScoreError()),
            number(primary.getStatistics().getPercentile(50)),
            primary.getScoreUnit(),
            number(1e9 / perSecond),
            number(instructionsPerSecond / 1e6),
            number(1e9 / instructionsPerSecond),
            number(cyclesPerOp),
            number(bytesPerOp),
        };
    }

    /** The benchmark without the common package, plus its parameters if it has any. */
    private static String name(BenchmarkParams p) {
        String name = p.getBenchmark();
        if (name.startsWith(PACKAGE_PREFIX)) {
            name = name.substring(PACKAGE_PREFIX.length());
        }
        if (p.getParamsKeys().isEmpty()) {
            return name;
        }
        StringBuilder b = new StringBuilder(name).append(" [");
        String sep = "";
        for (Object key : p.getParamsKeys()) {
            b.append(sep).append(key).append('=').append(p.getParam((String) key));
            sep = ", ";
        }
        return b.append(']').toString();
    }

    /**
     * Converts a JMH score to events per second: a rate ({@code ops/us}, ...) is scaled, a
     * time per event ({@code ns/op}, ...) inverted. NaN for any other unit.
     */
    static double perSecond(double score, String unit) {
        int slash = unit.indexOf('/');
        if (slash < 0) {
            return Double.NaN;
        }
        String numerator = unit.substring(0, slash);
        String denominator = unit.substring(slash + 1);
        if (numerator.equals("ops")) {
            return score / seconds(denominator);
        }
        if (denominator.equals("op")) {
            return 1 / (score * seconds(numerator));
        }
        return Double.NaN;
    }

    /** Seconds in one JMH time unit (as JMH abbreviates them), NaN if unknown. */
    private static double seconds(String unit) {
        switch (unit) {
            case "ns": return 1e-9;
            case "us": return 1e-6;
            case "ms": return 1e-3;
            case "s": return 1;
            case "min": return 60;
            case "hr": return 3600;
            case "day": return 86400;
            default: return Double.NaN;
        }
    }

    /** Three significant decimals for small values, fewer as values grow; "-" for NaN. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "-";
        }
        double a = Math.abs(v);
        String format = a >= 100 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, format, v);
    }

    private static int[] columnWidths(List<String[]> rows) {
        int[] width = new int[HEADER.length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        return width;
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }
}
