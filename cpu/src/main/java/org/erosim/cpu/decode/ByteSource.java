package org.erosim.cpu.decode;

/**
 * Supplies instruction bytes to the {@link Decoder}.
 *
 * <p>The CPU's source translates through CS and the TLB and may raise #GP/#PF for a byte
 * past the code segment limit or on an absent page; a file source returns {@link #END}
 * past the end of its data.
 */
@FunctionalInterface
public interface ByteSource {
    int END = -1;

    /** The byte at {@code offset} from the instruction's first byte (0..255), or {@link #END}. */
    int fetch(int offset);
}
