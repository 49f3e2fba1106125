package org.erosim.mmu;

/**
 * A device that answers physical addresses instead of RAM (memory-mapped I/O).
 *
 * <p>Pages that belong to an MMIO range are never entered into the software TLB, so every
 * access to them takes the slow path and reaches the handler with the exact size.
 * Values are little-endian and zero-extended to {@code int}.
 */
public interface MmioHandler {
    /** Reads {@code size} (1, 2 or 4) bytes at physical address {@code pa}. */
    int read(long pa, int size);

    /** Writes the low {@code size} bytes of {@code value} at physical address {@code pa}. */
    void write(long pa, int size, int value);
}
