package org.erosim.kernel.cost;

/**
 * Cycles charged by a run, per named cost and in total ({@code erosim run --stats} prints
 * the {@link #breakdown()}). Charging allocates nothing and returns the cycles charged, so
 * the caller can advance the time-stamp counter by the same amount (kernel.md §14: the
 * charged cycles are what the guest sees through RDTSC).
 *
 * <p>Invariant: {@link #total()} is the sum of {@link #cycles(int)} over every id. Not
 * thread-safe: one account per emulated machine, touched by its one emulation thread.
 */
public final class CostAccount {
    private final CostModel model;
    private final long[] cycles = new long[CostModel.COUNT];
    private final long[] counts = new long[CostModel.COUNT];
    private long total;

    public CostAccount(CostModel model) {
        this.model = model;
    }

    public CostModel model() {
        return model;
    }

    /** Charges cost {@code id} once. */
    public int charge(int id) {
        int c = model.cost(id);
        cycles[id] += c;
        counts[id]++;
        total += c;
        return c;
    }

    /** Charges cost {@code id} {@code times} times (words copied, sleepers woken); 0 charges nothing. */
    public long charge(int id, int times) {
        long c = (long) model.cost(id) * times;
        cycles[id] += c;
        counts[id] += times;
        total += c;
        return c;
    }

    /** Charges the copy of a string of {@code bytes}: one unit of string_copy_per_16_bytes per started 16 bytes. */
    public int chargeString(int bytes) {
        int units = (bytes + 15) >>> 4;
        int c = units * model.stringCopyPer16Bytes;
        cycles[CostModel.STRING_COPY_PER_16_BYTES] += c;
        counts[CostModel.STRING_COPY_PER_16_BYTES] += units;
        total += c;
        return c;
    }

    /** Cycles charged to cost {@code id}. */
    public long cycles(int id) {
        return cycles[id];
    }

    /** Units charged to cost {@code id} (times charged; 16-byte units for the string copy). */
    public long count(int id) {
        return counts[id];
    }

    public long total() {
        return total;
    }

    public void reset() {
        java.util.Arrays.fill(cycles, 0);
        java.util.Arrays.fill(counts, 0);
        total = 0;
    }

    /**
     * The breakdown as a table: one line per cost charged at least once, in id order, with
     * units, cycles and share of the total, then the total. Allocates; not for hot paths.
     */
    public String breakdown() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(java.util.Locale.ROOT, "%-26s %14s %16s %7s%n", "kernel cost", "units", "cycles", "share"));
        for (int id = 0; id < CostModel.COUNT; id++) {
            if (counts[id] == 0) {
                continue;
            }
            b.append(String.format(java.util.Locale.ROOT, "%-26s %,14d %,16d %6.1f%%%n", CostModel.name(id), counts[id], cycles[id],
                total == 0 ? 0.0 : 100.0 * cycles[id] / total));
        }
        b.append(String.format(java.util.Locale.ROOT, "%-26s %14s %,16d %6.1f%%%n", "total", "", total, total == 0 ? 0.0 : 100.0));
        return b.toString();
    }
}
