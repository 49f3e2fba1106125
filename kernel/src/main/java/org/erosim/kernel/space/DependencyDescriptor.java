package org.erosim.kernel.space;

/**
 * The layout of one dependency edge in the {@link DependencyTable}: "mapping M was built
 * from the key at location L". Fixed-size records in one off-heap buffer, threaded on two
 * lists at once.
 *
 * <pre>
 *   0                   4                   8                  12                  16                  20        24
 *   +-------------------+-------------------+-------------------+-------------------+-------------------+---------+
 *   | location          | chain prev        | chain next        | mapping           | mapping next      | reserved|
 *   +-------------------+-------------------+-------------------+-------------------+-------------------+---------+
 *
 *   location      KeyLocation the mapping depends on
 *   chain prev/   doubly linked chain of the edges whose location hashes to the same bucket
 *   chain next    (prev = NONE: the edge is the bucket's head)
 *   mapping       the PTE: pool frame index * 1024 + entry index
 *   mapping next  singly linked list of the edges of one mapping (head in the per-PTE head
 *                 array); for a free edge, the next free edge
 * </pre>
 */
public final class DependencyDescriptor {
    public static final int LOCATION_OFFSET = 0;
    public static final int CHAIN_PREV_OFFSET = 4;
    public static final int CHAIN_NEXT_OFFSET = 8;
    public static final int MAPPING_OFFSET = 12;
    public static final int MAPPING_NEXT_OFFSET = 16;
    public static final int LENGTH = 24;
    public static final int NONE = -1;

    private DependencyDescriptor() {
    }

    public static int recordOffset(int edge) {
        return edge * LENGTH;
    }
}
