package org.erosim.kernel.object;

/**
 * The layout of one page-frame record in the {@link FrameTable}: the object header of the
 * page held in that frame. The 4096 data bytes live in emulated physical memory (the frame
 * itself), not here, so guest code can reach them through the MMU; records are 32 bytes.
 *
 * <pre>
 *   0                   4                   8                  12                  16
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | OID (8, low word first)               | allocation count  | flags             |  0
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | ring prev (tail)  | ring next (head)  | hash / free link  | pin count         | 16
 *   +-------------------+-------------------+-------------------+-------------------+ 32
 * </pre>
 *
 * <p>The ring anchor has the same shape as a node's ({@link NodeDescriptor#RING_OFFSET}):
 * prev at +0, next at +4. Flags use {@link NodeDescriptor}'s bit values. Pages have no call
 * count and no stall queue (nothing waits on a page; a process stalls on a process).
 */
public final class FrameDescriptor {
    public static final int OID_OFFSET = 0;
    public static final int ALLOCATION_COUNT_OFFSET = 8;
    public static final int FLAGS_OFFSET = 12;
    public static final int RING_OFFSET = 16;
    public static final int LINK_OFFSET = 24;
    public static final int PIN_COUNT_OFFSET = 28;
    public static final int RECORD_LENGTH = 32;

    private FrameDescriptor() {
    }

    public static int recordOffset(int index) {
        return index * RECORD_LENGTH;
    }
}
