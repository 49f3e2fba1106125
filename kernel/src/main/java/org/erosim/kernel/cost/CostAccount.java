package org.erosim.kernel.cost;

/**
 * Cycles charged by a run, per named cost and in total ({@code erosim run --stats} prints
 * the {@link #breakdown()}). Charging allocates nothing and returns the cycles charged, so
 * the caller can advance the time-stamp counter by the same amount (kernel.md §14: the
 * charged cycles are what the guest sees through RDTSC).
 *
 * <p>Only the units are counted: a cost's cycles are its units times its unit cost, and the
 * model is fixed for the run, so {@link #cycles(int)} and {@link #total()} are computed when
 * asked. A charge is then one array increment — it runs about ten times per trap. Invariant:
 * {@link #total()} is the sum of {@link #cycles(int)} over every id. Not thread-safe: one
 * account per emulated machine, touched by its one emulation thread.
 */
public final class CostAccount {
    private final CostModel model;
    /** Cycles per unit, by id: the model's table, read on every charge. */
    private final int[] unit = new int[CostModel.COUNT];
    private final long[] counts = new long[CostModel.COUNT];

    public CostAccount(CostModel model) {
        this.model = model;
        for (int id = 0; id < CostModel.COUNT; id++) {
            unit[id] = model.cost(id);
        }
    }

    public CostModel model() {
        return model;
    }

    /** Charges cost {@code id} once; returns its cycles. */
    public int charge(int id) {
        counts[id]++;
        return unit[id];
    }

    /** Charges cost {@code id} {@code times} times (words copied, sleepers woken); 0 charges nothing. */
    public long charge(int id, int times) {
        counts[id] += times;
        return (long) unit[id] * times;
    }

    /** Charges the copy of a string of {@code bytes}: one unit of string_copy_per_16_bytes per started 16 bytes. */
    public int chargeString(int bytes) {
        int units = (bytes + 15) >>> 4;
        counts[CostModel.STRING_COPY_PER_16_BYTES] += units;
        return units * unit[CostModel.STRING_COPY_PER_16_BYTES];
    }

    /** Cycles charged to cost {@code id}. */
    public long cycles(int id) {
        return counts[id] * unit[id];
    }

    /** Units charged to cost {@code id} (times charged; 16-byte units for the string copy). */
    public long count(int id) {
        return counts[id];
    }

    public long total() {
        long t = 0;
        for (int id = 0; id < CostModel.COUNT; id++) {
            t += counts[id] * unit[id];
        }
        return t;
    }

    public void reset() {
        java.util.Arrays.fill(counts, 0);
    }

    /**
     * The breakdown as a table: one line per cost charged at least once, in id order, with
     * units, cycles and share of the total, then the total. Allocates; not for hot paths.
     */
    public String breakdown() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(java.util.Locale.ROOT, "%-26s %14s %16s %7s%n", "kernel cost", "units", "cycles", "share"));
        long total = total();
        for (int id = 0; id < CostModel.COUNT; id++) {
            if (counts[id] == 0) {
                continue;
            }
            b.append(String.format(java.util.Locale.ROOT, "%-26s %,14d %,16d %6.1f%%%n", CostModel.name(id), counts[id], cycles(id),
                total == 0 ? 0.0 : 100.0 * cycles(id) / total));
        }
        b.append(String.format(java.util.Locale.ROOT, "%-26s %14s %,16d %6.1f%%%n", "total", "", total, total == 0 ? 0.0 : 100.0));
        return b.toString();
    }
}
