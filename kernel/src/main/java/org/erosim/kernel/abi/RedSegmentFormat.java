package org.erosim.kernel.abi;

/**
 * The red segment format key ({@code abi.md} §8): a number key in slot 31 whose word 0
 * packs the fields below. A node is a red segment iff slot 31 holds a number key (and the
 * node is used as a segment).
 */
public final class RedSegmentFormat {
    /** The slot that holds the format key. */
    public static final int FORMAT_SLOT = 31;
    /** Keeper or background slot value meaning "none". */
    public static final int NONE = 31;
    public static final int CONVENTION_NODE_KEY = 0;
    public static final int CONVENTION_PASS = 1;

    private RedSegmentFormat() {
    }

    /** Slots &gt;= this are not part of the address space. */
    public static int initialSlots(int word) {
        return word & 0x1F;
    }

    public static int keeperSlot(int word) {
        return (word >>> 5) & 0x1F;
    }

    public static int backgroundSlot(int word) {
        return (word >>> 10) & 0x1F;
    }

    public static int convention(int word) {
        return (word >>> 15) & 0x3;
    }

    public static int height(int word) {
        return (word >>> 20) & 0xF;
    }

    public static int encode(int initialSlots, int keeperSlot, int backgroundSlot, int convention, int height) {
        return (initialSlots & 0x1F) | (keeperSlot & 0x1F) << 5 | (backgroundSlot & 0x1F) << 10
            | (convention & 0x3) << 15 | (height & 0xF) << 20;
    }

    /**
     * Whether every field is in range: height 1..4, convention 0 or 1, the keeper and
     * background slots either NONE or a slot below 31, and no bits outside the fields.
     * A bad format makes translation through the node fail with MALFORMED_SPACE.
     */
    public static boolean isWellFormed(int word) {
        int h = height(word);
        int conv = convention(word);
        return h >= 1 && h <= 4 && conv <= 1 && (word & ~0xF1FFFF) == 0;
    }
}
