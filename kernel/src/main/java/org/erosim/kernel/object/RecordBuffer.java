package org.erosim.kernel.object;

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The memory of one off-heap kernel table (activities, processes, posts, nodes, frames, key
 * scratch registers, dependencies, page-table metadata): an {@link UnsafeBuffer} over one
 * 64-byte-aligned direct allocation, or over a fixed range of emulated RAM, whose int and long
 * accessors are plain loads and stores by absolute address when Agrona's bounds checks are off
 * ({@code -Dagrona.disable.bounds.checks=true}, as every benchmark fork runs; docs/performance.md,
 * "Agrona bounds checks"). With the checks on (tests, runs) they are Agrona's own, checked.
 *
 * <p>Why: Agrona's accessors pass {@code (byteArray, addressOffset + index)} to Unsafe. The JIT
 * cannot tell such an access from one into a Java object, so it treats every store as one
 * that may have changed any field of any object, and reloads afterwards every field a method
 * reads again: the table, its buffer, the buffer's address, the scheduler's queue heads, the
 * counters. A kernel path of a few hundred table accesses paid that after each store. An
 * access by absolute address (no base object) is raw memory, which no Java field aliases.
 * Measured on the queued-post fire: 44 → 31-38 ns per post from ActivityTable alone.
 *
 * <p>Invariant: the address never changes — a record buffer is never re-wrapped (its
 * {@code wrap} methods are not called after construction), so the absolute address taken at
 * construction stays that of index 0. Not thread-safe, like the tables that own one.
 */
public final class RecordBuffer extends UnsafeBuffer {
    /** True when Agrona's bounds checks are off: the accessors go by absolute address. */
    public static final boolean RAW = !UnsafeBuffer.SHOULD_BOUNDS_CHECK;

    /** Absolute address of index 0. */
    private final long address;

    /** A zeroed, 64-byte-aligned off-heap table of {@code length} bytes. */
    public RecordBuffer(int length) {
        super(BufferUtil.allocateDirectAligned(length, 64));
        this.address = addressOffset();
    }

    /**
     * {@code length} bytes of memory at absolute {@code address} that outlives this buffer
     * (emulated RAM: {@code PhysicalMemory.ramView}).
     */
    public RecordBuffer(long address, int length) {
        super(address, length);
        this.address = address;
    }

    @Override
    public int getInt(int index) {
        return RAW ? UnsafeApi.getInt(address + index) : super.getInt(index);
    }

    @Override
    public void putInt(int index, int value) {
        if (RAW) {
            UnsafeApi.putInt(address + index, value);
        } else {
            super.putInt(index, value);
        }
    }

    @Override
    public long getLong(int index) {
        return RAW ? UnsafeApi.getLong(address + index) : super.getLong(index);
    }

    @Override
    public void putLong(int index, long value) {
        if (RAW) {
            UnsafeApi.putLong(address + index, value);
        } else {
            super.putLong(index, value);
        }
    }
}
