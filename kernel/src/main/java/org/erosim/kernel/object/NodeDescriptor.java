package org.erosim.kernel.object;

import org.erosim.kernel.abi.Limits;
import org.erosim.kernel.key.KeyDescriptor;

/**
 * The layout of one node record in the {@link NodeTable}: a 64-byte header followed by 32
 * key slots of 16 bytes ({@link KeyDescriptor}), 576 bytes in all. Records are 64-byte
 * aligned (the table's buffer is), so the header is one cache line and each slot pair shares
 * a line.
 *
 * <pre>
 *   0                   4                   8                  12                  16
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | OID (8, low word first)               | allocation count  | call count        |  0
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | ring prev (tail)  | ring next (head)  | stall queue head  | stall queue tail  | 16
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | hash / free link  | flags             | pin count         | reserved (0)      | 32
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | reserved (0): gated-post list, mapping dependencies (issues 5, 7)             | 48
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | key slot 0 (16 bytes, KeyDescriptor layout)                                   | 64
 *   | ...                                                                           |
 *   | key slot 31                                                                   | 560
 *   +-------------------------------------------------------------------------------+ 576
 * </pre>
 *
 * <p>The ring anchor (prev, next) sits at the same relative offsets (0 and 4) from
 * {@link #RING_OFFSET} as a prepared key's ring links from its slot, so ring code treats an
 * anchor and a key alike: the key ring is a circular doubly linked list through key
 * locations ({@link KeyLocation}) with the anchor as sentinel; next of the anchor is the head,
 * prev of the anchor is the tail; an empty ring is an anchor that points at itself.
 *
 * <p>Stall queue head/tail are activity handles, -1 when the queue is empty (issue 5 queues
 * activities here). The hash link chains records of one OID-index bucket while the record is
 * in use and the free list while it is free; -1 ends either chain.
 *
 * <p>Memory per process: a process is two nodes (root and key registers), 2 x 576 = 1152
 * bytes of node table, leaving 896 bytes of the 2 KiB budget for its activity and
 * process-table share.
 */
public final class NodeDescriptor {
    public static final int OID_OFFSET = 0;
    public static final int ALLOCATION_COUNT_OFFSET = 8;
    public static final int CALL_COUNT_OFFSET = 12;
    /** Ring anchor: prev (the tail) at +0, next (the head) at +4, as in a prepared key. */
    public static final int RING_OFFSET = 16;
    public static final int STALL_HEAD_OFFSET = 24;
    public static final int STALL_TAIL_OFFSET = 28;
    public static final int LINK_OFFSET = 32;
    public static final int FLAGS_OFFSET = 36;
    public static final int PIN_COUNT_OFFSET = 40;
    public static final int HEADER_LENGTH = 64;
    public static final int SLOTS_OFFSET = HEADER_LENGTH;
    public static final int SLOT_COUNT = Limits.SLOTS_PER_NODE;
    public static final int RECORD_LENGTH = HEADER_LENGTH + SLOT_COUNT * KeyDescriptor.LENGTH;
    /** Records start at multiples of this within the table buffer. */
    public static final int ALIGNMENT = 64;

    /** The record holds a node (else it is on the free list). */
    public static final int FLAG_IN_USE = 1;
    /** The node differs from the source's copy and must be written back before it leaves. */
    public static final int FLAG_DIRTY = 2;
    /** Set on use, cleared by the CLOCK hand: a node with the bit set survives one sweep. */
    public static final int FLAG_REFERENCED = 4;
    public static final int FLAGS_DEFINED = FLAG_IN_USE | FLAG_DIRTY | FLAG_REFERENCED;

    public static final int NONE = -1;

    private NodeDescriptor() {
    }

    public static int recordOffset(int index) {
        return index * RECORD_LENGTH;
    }

    public static int slotOffset(int index, int slot) {
        return index * RECORD_LENGTH + SLOTS_OFFSET + slot * KeyDescriptor.LENGTH;
    }
}
