package org.erosim.kernel.object;

/**
 * The layout of one page-frame record in the {@link FrameTable}: the object header of the
 * page held in that frame. The 4096 data bytes live in emulated physical memory (the frame
 * itself), not here, so guest code can reach them through the MMU. A record is exactly the
 * {@link ObjectHeaderDescriptor common object header} (32 bytes; its diagram is the whole
 * record), so a page's header fields sit at the same offsets as a node's. Pages have no call
 * count and no stall queue (nothing waits on a page; a process stalls on a process).
 */
public final class FrameDescriptor extends ObjectHeaderDescriptor {
    public static final int RECORD_LENGTH = COMMON_LENGTH;

    private FrameDescriptor() {
    }

    public static int recordOffset(int index) {
        return index * RECORD_LENGTH;
    }
}
