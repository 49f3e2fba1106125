package org.erosim.mmu;

/**
 * Told when bytes are written to a physical page that holds pre-decoded instructions.
 *
 * <p>Invariant: while a page is marked as code ({@link PhysicalMemory#markCode}), no TLB
 * entry allows fast writes to it, so every guest write to that page reaches
 * {@link PhysicalMemory}'s slow path and this listener. Writes by the host (loaders,
 * devices, the kernel) go through the same check.
 */
public interface CodeWriteListener {
    /**
     * Bytes {@code [pa, pa + length)} of a page marked as code have just been written.
     * {@code length} never crosses a page boundary.
     */
    void codeWritten(long pa, int length);
}
