package org.erosim.kernel.space;

import org.erosim.kernel.abi.FaultCode;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.Limits;
import org.erosim.kernel.abi.RedSegmentFormat;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.Keys;
import org.erosim.kernel.object.NodeDescriptor;
import org.erosim.kernel.object.NodeTable;
import org.erosim.kernel.object.ObjectCache;
import org.erosim.kernel.object.RecordBuffer;

/**
 * Translates an offset through an address-space key (kernel.md §7, §8): the software
 * definition of what the page tables built by {@link PageTableCache} cache.
 *
 * <h2>The walk</h2>
 * The current key starts as the space key (a segment or page key) and the offset as the
 * 32-bit address. At each step, restrictions of the current key are ORed in, then:
 * <ul>
 *   <li>void key: {@code INVALID_ADDR}; a key that is neither segment nor page:
 *   {@code MALFORMED_SPACE};</li>
 *   <li>page key: the offset must be below 4096 ({@code INVALID_ADDR} otherwise); a write
 *   with READ_ONLY or WEAK accumulated is an {@code ACCESS_VIOLATION} (a weak key yields
 *   read-only keys, so it yields read-only memory too); else the page is the answer;</li>
 *   <li>segment key of height h (keyData, 1..4; any other value is {@code MALFORMED_SPACE}):
 *   the offset must be below the key's span 2^(12+5h) ({@code INVALID_ADDR}); the key names
 *   a node. If the node's slot 31 holds a number key it is a <b>red segment</b>: the format
 *   (malformed: {@code MALFORMED_SPACE}) gives the node's own height H, the initial slots I
 *   and the background slot B. The slot index is offset >> (12+5(H-1)); an index below I
 *   descends into that slot with the offset within the slot; any other offset (index &gt;=
 *   I, or beyond the node's span when the key is taller than the node) continues with the
 *   key in slot B and the <em>same</em> offset, or is {@code INVALID_ADDR} when B is NONE.
 *   A plain node has H = h and descends the same way.</li>
 * </ul>
 * A key reached through an initial slot of a node of height H must have a height below H
 * (a page counts as height 0): taller keys are {@code MALFORMED_SPACE}. Shorter keys are the
 * short-circuit of §7. A background key may have any height; its span is checked against
 * the unchanged offset. Each node visited counts as a level; the 21st is
 * {@code TRAVERSE_LIMIT}, which also ends background cycles.
 *
 * <h2>Kept red segments</h2>
 * A red segment whose keeper slot K (not NONE) holds a start key, reached with no NO_CALL
 * restriction accumulated so far (the key naming it included), is remembered with the
 * offset at which the walk entered it; a deeper one replaces it. On a fault the innermost
 * one is reported (the segment-keeper upcall, §9).
 *
 * <h2>Pin discipline</h2>
 * Preparing a key may fault an object in and evict another. The walker pins the node that
 * holds the space key and every node it enters, and unpins them all before returning, so
 * the path stays in memory and the dependency locations in the result name the nodes the
 * translation really used. {@code Keys.prepare} itself pins the node holding the key it
 * prepares. If the path cannot be brought in (every record pinned), the result is
 * {@link WalkResult#NO_RESOURCES}. The handles in the result are valid until the next
 * fault-in.
 *
 * <h2>Dependencies</h2>
 * The result lists every key location the translation read: the space key, each slot
 * descended through (background slots included) and slot 31 of every node entered (it
 * decides whether the node is a red segment, and its format).
 * Keeper slots are not listed: they change who hears about a fault, not a translation.
 *
 * <p>Not thread safe; allocation-free.
 */
public final class SegmentWalker {
    private static final int PAGE_SHIFT = 12;
    private static final int SLOT_BITS = 5;
    private static final int WRITE_FORBIDDEN = Restriction.READ_ONLY | Restriction.WEAK;

    private final Keys keys;
    private final NodeTable nodes;
    private final RecordBuffer nodeBuffer;
    /** Nodes pinned by the walk in progress: the space key's holder and every node entered. */
    private final int[] pinned = new int[Limits.MAX_WALK_DEPTH + 2];
    private int pinnedCount;

    public SegmentWalker(ObjectCache cache) {
        this.keys = cache.keys();
        this.nodes = cache.nodes();
        this.nodeBuffer = nodes.buffer();
    }

    /**
     * Translates {@code address} through the key at {@code spaceLocation}.
     *
     * @param write whether the access is a write
     * @return {@code result.translated()}
     */
    public boolean walk(int spaceLocation, int address, boolean write, WalkResult result) {
        result.reset();
        pinnedCount = 0;
        if (KeyLocation.tag(spaceLocation) == KeyLocation.NODE_SLOT) {
            pin(KeyLocation.node(spaceLocation));
        }
        walkPinned(spaceLocation, address & 0xFFFFFFFFL, write, result);
        for (int i = 0; i < pinnedCount; i++) {
            nodes.unpin(pinned[i]);
        }
        pinnedCount = 0;
        return result.status == WalkResult.TRANSLATED;
    }

    private void pin(int node) {
        nodes.pin(node);
        pinned[pinnedCount++] = node;
    }

    private void walkPinned(int location, long offset, boolean write, WalkResult r) {
        int restrictions = 0;
        int maxHeight = Limits.MAX_HEIGHT;
        r.depend(location);
        while (true) {
            int tail = keys.tailAt(location);
            int type = KeyDescriptor.type(tail);
            if (type == KeyType.VOID) {
                fault(r, FaultCode.INVALID_ADDR, restrictions);
                return;
            }
            if (type != KeyType.SEGMENT && type != KeyType.PAGE) {
                fault(r, FaultCode.MALFORMED_SPACE, restrictions);
                return;
            }
            restrictions |= KeyDescriptor.restrictions(tail);
            if (type == KeyType.PAGE) {
                page(location, offset, write, restrictions, r);
                return;
            }
            int keyHeight = KeyDescriptor.keyData(tail);
            if (keyHeight < 1 || keyHeight > maxHeight) {
                fault(r, FaultCode.MALFORMED_SPACE, restrictions);
                return;
            }
            if (offset >= span(keyHeight)) {
                fault(r, FaultCode.INVALID_ADDR, restrictions);
                return;
            }
            if (++r.levels > Limits.MAX_WALK_DEPTH) {
                fault(r, FaultCode.TRAVERSE_LIMIT, restrictions);
                return;
            }
            int node = keys.prepare(location);
            if (node < 0) {
                if (node == Keys.NO_RESOURCES) {
                    r.status = WalkResult.NO_RESOURCES;
                    r.restrictions = restrictions;
                } else {
                    // Preparation voided the key: a revoked segment is an invalid address.
                    fault(r, FaultCode.INVALID_ADDR, restrictions);
                }
                return;
            }
            pin(node);
            int formatTail = nodeBuffer.getInt(NodeDescriptor.slotOffset(node, RedSegmentFormat.FORMAT_SLOT)
                + KeyDescriptor.TAIL_OFFSET);
            int slot;
            // Slot 31 decides whether the node is red, so the translation depends on it
            // whatever it holds now: writing a format key into a plain node changes the walk.
            r.depend(KeyLocation.nodeSlot(node, RedSegmentFormat.FORMAT_SLOT));
            if (KeyDescriptor.type(formatTail) == KeyType.NUMBER) {
                int format = nodeBuffer.getInt(NodeDescriptor.slotOffset(node, RedSegmentFormat.FORMAT_SLOT)
                    + KeyDescriptor.WORD0_OFFSET);
                if (!RedSegmentFormat.isWellFormed(format)) {
                    fault(r, FaultCode.MALFORMED_SPACE, restrictions);
                    return;
                }
                int keeper = RedSegmentFormat.keeperSlot(format);
                if (keeper != RedSegmentFormat.NONE && (restrictions & Restriction.NO_CALL) == 0
                    && KeyDescriptor.type(nodes.keyTail(node, keeper)) == KeyType.START) {
                    r.keptNode = node;
                    r.keptOffset = offset;
                }
                int nodeHeight = RedSegmentFormat.height(format);
                long index = offset >>> shift(nodeHeight);
                if (index < RedSegmentFormat.initialSlots(format)) {
                    slot = (int) index;
                    offset &= span(nodeHeight - 1) - 1;
                    maxHeight = nodeHeight - 1;
                } else {
                    slot = RedSegmentFormat.backgroundSlot(format);
                    if (slot == RedSegmentFormat.NONE) {
                        fault(r, FaultCode.INVALID_ADDR, restrictions);
                        return;
                    }
                    maxHeight = Limits.MAX_HEIGHT;
                }
            } else {
                slot = (int) (offset >>> shift(keyHeight));
                offset &= span(keyHeight - 1) - 1;
                maxHeight = keyHeight - 1;
            }
            location = KeyLocation.nodeSlot(node, slot);
            r.depend(location);
        }
    }

    private void page(int location, long offset, boolean write, int restrictions, WalkResult r) {
        if (offset >= Limits.PAGE_SIZE) {
            fault(r, FaultCode.INVALID_ADDR, restrictions);
            return;
        }
        int frame = keys.prepare(location);
        if (frame < 0) {
            if (frame == Keys.NO_RESOURCES) {
                r.status = WalkResult.NO_RESOURCES;
                r.restrictions = restrictions;
            } else {
                fault(r, FaultCode.INVALID_ADDR, restrictions);
            }
            return;
        }
        r.frame = frame;
        r.pageOffset = (int) offset;
        if (write && (restrictions & WRITE_FORBIDDEN) != 0) {
            fault(r, FaultCode.ACCESS_VIOLATION, restrictions);
            return;
        }
        r.status = WalkResult.TRANSLATED;
        r.restrictions = restrictions;
        r.keptNode = NodeDescriptor.NONE;
        r.keptOffset = 0;
    }

    private static void fault(WalkResult r, int code, int restrictions) {
        r.status = WalkResult.FAULTED;
        r.faultCode = code;
        r.restrictions = restrictions;
    }

    /** Bytes spanned by a key of height {@code h} (0 = a page): 2^(12+5h). */
    static long span(int h) {
        return 1L << (PAGE_SHIFT + SLOT_BITS * h);
    }

    /** Shift from an offset in a node of height {@code h} to its slot index. */
    private static int shift(int h) {
        return PAGE_SHIFT + SLOT_BITS * (h - 1);
    }

    /** Whether a translation with these restrictions may be written. */
    public static boolean writable(int restrictions) {
        return (restrictions & WRITE_FORBIDDEN) == 0;
    }
}
