package org.erosim.kernel.object;

import org.erosim.kernel.abi.Limits;
import org.erosim.kernel.key.KeyDescriptor;

/**
 * The layout of one node record in the {@link NodeTable}: a 64-byte header followed by 32
 * key slots of 16 bytes ({@link KeyDescriptor}), 576 bytes in all. Records are 64-byte
 * aligned (the table's buffer is), so the header is one cache line and each slot pair shares
 * a line. The first 32 header bytes are the {@link ObjectHeaderDescriptor common object
 * header} (its offsets, flags and {@code NONE} are inherited constants); the node's own
 * fields follow.
 *
 * <pre>
 *   0                   4                   8                  12                  16
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | OID (8, low word first)               | allocation count  | flags             |  0
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | ring prev (tail)  | ring next (head)  | hash / free link  | pin count         | 16
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | call count        | stall queue head  | stall queue tail  | process entry + 1 | 32
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | reserved (0)                                                                  | 48
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | key slot 0 (16 bytes, KeyDescriptor layout)                                   | 64
 *   | ...                                                                           |
 *   | key slot 31                                                                   | 560
 *   +-------------------------------------------------------------------------------+ 576
 * </pre>
 *
 * <p>The ring anchor (prev, next) sits at the same relative offsets (0 and 4) from
 * {@link #RING_OFFSET} as a prepared key's ring links from its slot, so ring code treats an
 * anchor and a key alike (see {@link ObjectHeaderDescriptor}).
 *
 * <p>Stall queue head/tail are activity handles, -1 when the queue is empty (issue 5 queues
 * activities here).
 *
 * <p>Process entry: while the node is the root of a loaded process, that process-table
 * entry plus one (0, as a freshly allocated header reads: none). Invariant, kept by the
 * process table's load and unload: node {@code n} holds entry {@code e} iff entry {@code e} is
 * in use with root node {@code n}.
 *
 * <p>Memory per process: a process is two nodes (root and key registers), 2 x 576 = 1152
 * bytes of node table, leaving 896 bytes of the 2 KiB budget for its activity and
 * process-table share.
 */
public final class NodeDescriptor extends ObjectHeaderDescriptor {
    public static final int CALL_COUNT_OFFSET = COMMON_LENGTH;
    public static final int STALL_HEAD_OFFSET = COMMON_LENGTH + 4;
    public static final int STALL_TAIL_OFFSET = COMMON_LENGTH + 8;
    public static final int PROCESS_ENTRY_OFFSET = COMMON_LENGTH + 12;
    public static final int HEADER_LENGTH = 64;
    public static final int SLOTS_OFFSET = HEADER_LENGTH;
    public static final int SLOT_COUNT = Limits.SLOTS_PER_NODE;
    public static final int RECORD_LENGTH = HEADER_LENGTH + SLOT_COUNT * KeyDescriptor.LENGTH;

    private NodeDescriptor() {
    }

    public static int recordOffset(int index) {
        return index * RECORD_LENGTH;
    }

    public static int slotOffset(int index, int slot) {
        return index * RECORD_LENGTH + SLOTS_OFFSET + slot * KeyDescriptor.LENGTH;
    }
}
