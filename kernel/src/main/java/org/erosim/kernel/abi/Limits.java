package org.erosim.kernel.abi;

/** Fixed limits of the ABI ({@code abi.md} §9). Pool sizes are run options, not here. */
public final class Limits {
    public static final int SLOTS_PER_NODE = 32;
    public static final int PAGE_SIZE = 4096;
    public static final int MAX_STRING = 65536;
    public static final int MAX_POST_STRING = 256;
    public static final int MAX_HEIGHT = 4;
    public static final int MAX_WALK_DEPTH = 20;

    private Limits() {
    }
}
