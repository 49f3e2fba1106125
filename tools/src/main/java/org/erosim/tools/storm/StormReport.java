package org.erosim.tools.storm;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.erosim.bench.storm.StormConfig;
import org.erosim.bench.storm.StormResult;
import org.erosim.bench.storm.StormScenario;
import org.erosim.tools.conformance.Json;

/**
 * The report of {@code erosim storm}: a table for people (one column per run, one row per
 * number) and the JSON document for machines (schema {@value #SCHEMA}, docs/storm.md).
 */
public final class StormReport {
    /** Names the JSON layout; bumped on any incompatible change. */
    public static final String SCHEMA = "erosim-storm/1";
    /** Latency percentiles reported, in percent. */
    static final double[] PERCENTILES = {50, 90, 99, 99.9};

    private StormReport() {
    }

    /** The human table. */
    public static String table(StormScenario scenario, List<StormResult> runs) {
        StormResult first = runs.get(0);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "erosim storm %s: %,d sleepers on %,d red segment%s (seed %d)%n",
            scenario.label, first.sleepers, first.segments, first.segments == 1 ? "" : "s", first.config.seed));
        List<String[]> rows = new ArrayList<>();
        rows.add(row(runs, "", r -> r.config.variant()));
        rows.add(row(runs, "sleepers released by the trigger", r -> count(r.expected - r.prematureDelivered)));
        rows.add(row(runs, "served after the trigger", r -> count(r.served)));
        if (scenario.swapsKeeper) {
            rows.add(row(runs, "served before the old keeper returned", r -> count(r.servedBeforeOldKeeperReturned)));
        }
        if (scenario.posts) {
            rows.add(row(runs, "premature fires (gate evicted closed)", r -> count(r.prematureFires)));
        }
        rows.add(row(runs, "wakeups", r -> count(r.wakeups)));
        rows.add(row(runs, "retries", r -> count(r.retries)));
        rows.add(row(runs, "re-stalls", r -> count(r.restalls)));
        rows.add(row(runs, "commits after wake", r -> count(r.commits)));
        rows.add(row(runs, "keeper rewakes (sleepers woken)", r -> count(r.rewakes) + " (" + count(r.rewakeSleepers) + ")"));
        rows.add(row(runs, "emulated cycles, trigger to last served", r -> count(r.stormCycles)));
        rows.add(row(runs, "host time of the storm", r -> String.format(Locale.ROOT, "%.1f ms", r.stormNanos / 1e6)));
        rows.add(row(runs, "host ns per wakeup", r -> String.format(Locale.ROOT, "%.1f", r.nanosPerWakeup())));
        rows.add(row(runs, "host ns per sleeper", r -> String.format(Locale.ROOT, "%.1f", r.nanosPerSleeper())));
        for (double p : PERCENTILES) {
            rows.add(row(runs, "latency p" + trim(p) + " (cycles)", r -> count(r.percentile(p))));
        }
        rows.add(row(runs, "latency max (cycles)", r -> count(r.latency.getTotalCount() == 0 ? 0 : r.latency.getMaxValue())));
        rows.add(row(runs, "memory per sleeper (bytes)", r -> count(Math.round(r.memoryPerSleeper()))));
        rows.add(row(runs, "setup: build, boot, stall (host s)", r -> String.format(Locale.ROOT, "%.2f, %.2f, %.2f",
            r.buildNanos / 1e9, r.bootNanos / 1e9, r.setupNanos / 1e9)));
        rows.add(row(runs, "end", r -> r.end));
        rows.add(row(runs, "consistency checkers", r -> r.consistent() ? "ok" : r.checkerFindings.size() + " findings"));
        int[] widths = new int[runs.size() + 1];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                widths[c] = Math.max(widths[c], r[c].length());
            }
        }
        for (String[] r : rows) {
            b.append(String.format("%-" + widths[0] + "s", r[0]));
            for (int c = 1; c < r.length; c++) {
                b.append("  ").append(String.format("%" + widths[c] + "s", r[c]));
            }
            b.append(System.lineSeparator());
        }
        for (StormResult r : runs) {
            for (String f : r.checkerFindings) {
                b.append("checker (").append(r.config.variant()).append("): ").append(f).append(System.lineSeparator());
            }
        }
        return b.toString();
    }

    private static String[] row(List<StormResult> runs, String label, Function<StormResult, String> cell) {
        String[] r = new String[runs.size() + 1];
        r[0] = label;
        for (int i = 0; i < runs.size(); i++) {
            r[i + 1] = cell.apply(runs.get(i));
        }
        return r;
    }

    private static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static String trim(double p) {
        return p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p).replace(".", "");
    }

    /** Writes the JSON document (see docs/storm.md for the schema). */
    public static void json(StormScenario scenario, List<StormResult> runs, Writer w) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("{\n  \"schema\": ").append(Json.quote(SCHEMA)).append(",\n");
        b.append("  \"scenario\": ").append(Json.quote(scenario.label)).append(",\n");
        b.append("  \"runs\": [");
        for (int i = 0; i < runs.size(); i++) {
            b.append(i == 0 ? "\n" : ",\n");
            run(b, runs.get(i));
        }
        b.append("\n  ]\n}\n");
        w.write(b.toString());
    }

    private static void run(StringBuilder b, StormResult r) {
        StormConfig c = r.config;
        b.append("    {\n");
        field(b, "wakePolicy", Json.quote(c.policy.label));
        field(b, "keeperRewake", String.valueOf(c.keeperRewake));
        field(b, "postRecheck", String.valueOf(c.postRecheck));
        field(b, "seed", String.valueOf(c.seed));
        field(b, "sleepers", String.valueOf(r.sleepers));
        field(b, "segments", String.valueOf(r.segments));
        field(b, "released", String.valueOf(r.expected - r.prematureDelivered));
        field(b, "served", String.valueOf(r.served));
        field(b, "servedBeforeOldKeeperReturned", String.valueOf(r.servedBeforeOldKeeperReturned));
        field(b, "oldKeeperReturnedAfterCycles", r.oldKeeperReturnedAfter < 0 ? "null" : String.valueOf(r.oldKeeperReturnedAfter));
        field(b, "prematureFires", String.valueOf(r.prematureFires));
        field(b, "prematureDelivered", String.valueOf(r.prematureDelivered));
        field(b, "wakeups", String.valueOf(r.wakeups));
        field(b, "retries", String.valueOf(r.retries));
        field(b, "restalls", String.valueOf(r.restalls));
        field(b, "commits", String.valueOf(r.commits));
        field(b, "rewakes", String.valueOf(r.rewakes));
        field(b, "rewakeSleepers", String.valueOf(r.rewakeSleepers));
        field(b, "stormCycles", String.valueOf(r.stormCycles));
        field(b, "triggerCycle", String.valueOf(r.triggerCycle));
        field(b, "hostNanos", String.valueOf(r.stormNanos));
        field(b, "hostNanosPerWakeup", number(r.nanosPerWakeup()));
        field(b, "hostNanosPerSleeper", number(r.nanosPerSleeper()));
        Histogram h = r.latency;
        StringBuilder lat = new StringBuilder("{\"count\": ").append(h.getTotalCount());
        lat.append(", \"min\": ").append(h.getTotalCount() == 0 ? 0 : h.getMinValue());
        for (double p : PERCENTILES) {
            lat.append(", \"p").append(trim(p)).append("\": ").append(r.percentile(p));
        }
        lat.append(", \"max\": ").append(h.getTotalCount() == 0 ? 0 : h.getMaxValue());
        lat.append(", \"mean\": ").append(number(h.getTotalCount() == 0 ? 0 : h.getMean())).append('}');
        field(b, "latencyCycles", lat.toString());
        field(b, "memoryBytesPerSleeper", String.valueOf(Math.round(r.memoryPerSleeper())));
        field(b, "pools", String.format(Locale.ROOT, "{\"nodes\": %d, \"processes\": %d, \"activities\": %d, \"posts\": %d}",
            c.nodeCapacity(), c.processCapacity(), c.activityCapacity(), c.postCapacity()));
        field(b, "setup", String.format(Locale.ROOT,
            "{\"buildNanos\": %d, \"bootNanos\": %d, \"setupNanos\": %d, \"setupCycles\": %d}",
            r.buildNanos, r.bootNanos, r.setupNanos, r.setupCycles));
        field(b, "end", Json.quote(r.end));
        field(b, "consistent", String.valueOf(r.consistent()));
        StringBuilder f = new StringBuilder("[");
        for (int i = 0; i < r.checkerFindings.size(); i++) {
            f.append(i == 0 ? "" : ", ").append(Json.quote(r.checkerFindings.get(i)));
        }
        field(b, "checkerFindings", f.append(']').toString());
        b.append("      \"series\": {\"cycles\": ").append(array(r.seriesCycles)).append(", \"wakeups\": ")
            .append(array(r.seriesWakeups)).append(", \"retries\": ").append(array(r.seriesRetries))
            .append(", \"served\": ").append(array(r.seriesServed)).append("}\n");
        b.append("    }");
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append("      ").append(Json.quote(name)).append(": ").append(value).append(",\n");
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String array(long[] a) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            b.append(i == 0 ? "" : ", ").append(a[i]);
        }
        return b.append(']').toString();
    }
}
