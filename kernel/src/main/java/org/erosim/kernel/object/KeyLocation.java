package org.erosim.kernel.object;

import org.erosim.kernel.abi.Limits;

/**
 * Where a key lives, as one int: the currency of key-ring links and of every key operation.
 *
 * <pre>
 *   31 30    28 27                                                      0
 *   +--+-------+---------------------------------------------------------+
 *   | 0|  tag  | index (28 bits)                                         |
 *   +--+-------+---------------------------------------------------------+
 *   tag 0  NODE_SLOT       index = node-table index * 32 + slot   (key slot of a node)
 *   tag 1  NODE_ANCHOR     index = node-table index               (ring anchor in a node header)
 *   tag 2  FRAME_ANCHOR    index = frame-table index              (ring anchor in a frame record)
 *   tag 3  SCRATCH         index = kernel scratch key register    (Keys' own key slots)
 *   tag 4  PROCESS_ANCHOR  reserved: ring anchor of a process-table entry (issue 5)
 *   tag 5  PROCESS_SLOT    reserved: key held in a process-table entry (issue 5)
 *   tag 6  POST_SLOT       reserved: key slot of a queued-post record (issue 6/7)
 *   -1     NONE
 * </pre>
 *
 * <p>Locations are never negative except {@link #NONE}. A node slot location of node
 * {@code n} is {@code n * 32 + slot}, so node tables are limited to 2^23 records (the buffer
 * limit of 2 GiB / 576 bytes is lower anyway).
 */
public final class KeyLocation {
    public static final int NONE = -1;
    public static final int TAG_SHIFT = 28;
    public static final int INDEX_MASK = (1 << TAG_SHIFT) - 1;

    public static final int NODE_SLOT = 0;
    public static final int NODE_ANCHOR = 1;
    public static final int FRAME_ANCHOR = 2;
    public static final int SCRATCH = 3;
    public static final int PROCESS_ANCHOR = 4;
    public static final int PROCESS_SLOT = 5;
    public static final int POST_SLOT = 6;

    /** Most node-table records a location can name. */
    public static final int MAX_NODES = 1 << (TAG_SHIFT - 5);

    private KeyLocation() {
    }

    public static int nodeSlot(int node, int slot) {
        return node << 5 | slot;
    }

    public static int nodeAnchor(int node) {
        return NODE_ANCHOR << TAG_SHIFT | node;
    }

    public static int frameAnchor(int frame) {
        return FRAME_ANCHOR << TAG_SHIFT | frame;
    }

    public static int scratch(int register) {
        return SCRATCH << TAG_SHIFT | register;
    }

    public static int tag(int location) {
        return location >>> TAG_SHIFT;
    }

    public static int index(int location) {
        return location & INDEX_MASK;
    }

    /** The node of a {@link #NODE_SLOT} location. */
    public static int node(int location) {
        return (location & INDEX_MASK) >>> 5;
    }

    /** The slot of a {@link #NODE_SLOT} location. */
    public static int slot(int location) {
        return location & (Limits.SLOTS_PER_NODE - 1);
    }

    public static boolean isAnchor(int location) {
        int tag = location >>> TAG_SHIFT;
        return tag == NODE_ANCHOR || tag == FRAME_ANCHOR || tag == PROCESS_ANCHOR;
    }

    /** For findings and error messages: "node#3 slot 5", "frame#2 anchor", "scratch 1". */
    public static String describe(int location) {
        if (location == NONE) {
            return "none";
        }
        switch (tag(location)) {
            case NODE_SLOT:
                return "node#" + node(location) + " slot " + slot(location);
            case NODE_ANCHOR:
                return "node#" + index(location) + " anchor";
            case FRAME_ANCHOR:
                return "frame#" + index(location) + " anchor";
            case SCRATCH:
                return "scratch " + index(location);
            default:
                return "location tag " + tag(location) + " index " + index(location);
        }
    }
}
