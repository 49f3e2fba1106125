package org.erosim.kernel.cost;

import org.erosim.kernel.object.RecordBuffer;

/**
 * Cycles charged by a run, per named cost and in total ({@code erosim run --stats} prints
 * the {@link #breakdown()}). Charging allocates nothing and returns the cycles charged, so
 * the caller can advance the time-stamp counter by the same amount (kernel.md §14: the
 * charged cycles are what the guest sees through RDTSC).
 *
 * <p>Only the units are counted: a cost's cycles are its units times its unit cost, and the
 * model is fixed for the run, so {@link #cycles(int)} and {@link #total()} are computed when
 * asked. A charge runs about ten times per trap. Invariant: {@link #total()} is the sum of
 * {@link #cycles(int)} over every id. Not thread-safe: one account per emulated machine,
 * touched by its one emulation thread.
 *
 * <p>Unit counts and unit costs live off heap in one {@link RecordBuffer}, read and written
 * by absolute address: measured against {@code long[]}/{@code int[]} arrays (an ablation in
 * docs/performance.md §8.6), the arrays' increments and range checks were about a tenth of
 * a kernel-path round trip, the raw accesses a few per cent.
 *
 * <pre>
 *   0                          COUNT * 8                     COUNT * 12
 *   +--------------------------+-----------------------------+
 *   | units charged: long / id | cycles per unit: int / id   |
 *   +--------------------------+-----------------------------+
 * </pre>
 */
public final class CostAccount {
    private final CostModel model;
    /** Offset of cost {@code id}'s unit count (a long). */
    private static int countOffset(int id) {
        return id * 8;
    }

    /** Offset of cost {@code id}'s cycles per unit (an int): the model's table, read on every charge. */
    private static int unitOffset(int id) {
        return CostModel.COUNT * 8 + id * 4;
    }

    private final RecordBuffer table = new RecordBuffer(CostModel.COUNT * 12);

    public CostAccount(CostModel model) {
        this.model = model;
        for (int id = 0; id < CostModel.COUNT; id++) {
            table.putInt(unitOffset(id), model.cost(id));
        }
    }

    public CostModel model() {
        return model;
    }

    /** Charges cost {@code id} once; returns its cycles. */
    public int charge(int id) {
        int c = countOffset(id);
        table.putLong(c, table.getLong(c) + 1);
        return table.getInt(unitOffset(id));
    }

    /** Charges cost {@code id} {@code times} times (words copied, sleepers woken); 0 charges nothing. */
    public long charge(int id, int times) {
        int c = countOffset(id);
        table.putLong(c, table.getLong(c) + times);
        return (long) table.getInt(unitOffset(id)) * times;
    }

    /** Charges the copy of a string of {@code bytes}: one unit of string_copy_per_16_bytes per started 16 bytes. */
    public int chargeString(int bytes) {
        int units = (bytes + 15) >>> 4;
        int c = countOffset(CostModel.STRING_COPY_PER_16_BYTES);
        table.putLong(c, table.getLong(c) + units);
        return units * table.getInt(unitOffset(CostModel.STRING_COPY_PER_16_BYTES));
    }

    /** Cycles charged to cost {@code id}. */
    public long cycles(int id) {
        return count(id) * table.getInt(unitOffset(id));
    }

    /** Units charged to cost {@code id} (times charged; 16-byte units for the string copy). */
    public long count(int id) {
        return table.getLong(countOffset(id));
    }

    public long total() {
        long t = 0;
        for (int id = 0; id < CostModel.COUNT; id++) {
            t += cycles(id);
        }
        return t;
    }

    public void reset() {
        table.setMemory(0, CostModel.COUNT * 8, (byte) 0);
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
            if (count(id) == 0) {
                continue;
            }
            b.append(String.format(java.util.Locale.ROOT, "%-26s %,14d %,16d %6.1f%%%n", CostModel.name(id), count(id), cycles(id),
                total == 0 ? 0.0 : 100.0 * cycles(id) / total));
        }
        b.append(String.format(java.util.Locale.ROOT, "%-26s %14s %,16d %6.1f%%%n", "total", "", total, total == 0 ? 0.0 : 100.0));
        return b.toString();
    }
}
