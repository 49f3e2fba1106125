package org.erosim.kernel.space;

/**
 * The layout of the per-frame record the {@link PageTableCache} keeps (off heap) for each
 * frame of its pool: what the frame is used for and, for a page table, where it hangs.
 *
 * <pre>
 *   0                   4                   8                  12                  16
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | kind              | link              | entries           | owner / identity  |  0
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | pde index/handle  | reserved (0)      | reserved (0)      | reserved (0)      | 16
 *   +-------------------+-------------------+-------------------+-------------------+ 32
 *
 *   kind      FREE, DIRECTORY or TABLE
 *   link      FREE: next free frame; DIRECTORY: next directory in the same hash bucket
 *   entries   DIRECTORY: present PDEs; TABLE: present PTEs
 *   owner     TABLE: pool index of its directory;
 *             DIRECTORY: identity tail = the space key's tail without flags
 *             (type, restrictions, height)
 *   pde index TABLE: which PDE of its directory points at it (linear bits 31-22);
 *             DIRECTORY: identity handle = node or frame index the space key names
 * </pre>
 *
 * <p>Frame 0 of the pool is the permanently empty directory handed out for spaces that
 * cannot be prepared (void, malformed, no room): every access through it faults.
 */
public final class PageTableFrameDescriptor {
    public static final int KIND_OFFSET = 0;
    public static final int LINK_OFFSET = 4;
    public static final int ENTRIES_OFFSET = 8;
    public static final int OWNER_OFFSET = 12;
    public static final int INDEX_OFFSET = 16;
    public static final int LENGTH = 32;

    public static final int FREE = 0;
    public static final int DIRECTORY = 1;
    public static final int TABLE = 2;
    /** End of a free list or hash chain; "no frame". */
    public static final int NONE = -1;
    /** Pool index of the always-empty directory. */
    public static final int EMPTY_DIRECTORY = 0;

    private PageTableFrameDescriptor() {
    }

    public static int recordOffset(int frame) {
        return frame * LENGTH;
    }
}
