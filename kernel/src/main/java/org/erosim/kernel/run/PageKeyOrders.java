package org.erosim.kernel.run;

import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.OrderCode;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.abi.ResultCode;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.FrameTable;
import org.erosim.kernel.object.Keys;
import org.erosim.kernel.object.ObjectCache;
import org.erosim.mmu.PhysicalMemory;

/**
 * PAGE key orders ZERO and CLONE (abi.md §4; REDUCE is {@link Invocation}'s, shared with
 * node and segment keys). The invoked page key was prepared and its frame pinned in the
 * dry run; so was CLONE's source (sent key 0).
 *
 * <p><b>Coherence.</b> The page's frame is written through {@link PhysicalMemory} (zero,
 * writeBytes), which reports writes to code pages: instructions the CPU decoded from the
 * frame are dropped, so a process executing the page sees the new bytes at its next
 * instruction. Translations do not change (the page is the same object), so PTEs and TLB
 * entries stay valid; the page is marked dirty (a clean page's read-only PTE stays
 * read-only until the process's first write upgrades it, as usual).
 *
 * <p>Both orders write: through a read-only page key they answer NO_ACCESS. The copy is
 * charged as a string of 4096 bytes. Allocation-free.
 */
final class PageKeyOrders {
    private final Invocation invocation;
    private final KernelMachine machine;
    private final Keys keys;
    private final FrameTable frames;
    private final byte[] page = new byte[PhysicalMemory.PAGE_SIZE];

    PageKeyOrders(Invocation invocation, KernelMachine machine, ObjectCache cache) {
        this.invocation = invocation;
        this.machine = machine;
        this.keys = cache.keys();
        this.frames = cache.frames();
    }

    /** ZERO or CLONE through the prepared page key at {@code location}; the result code. */
    int act(int e, int order, int location) {
        if (order != OrderCode.PAGE_ZERO && order != OrderCode.PAGE_CLONE) {
            return ResultCode.UNKNOWN_REQUEST;
        }
        if ((KeyDescriptor.restrictions(keys.tailAt(location)) & Restriction.READ_ONLY) != 0) {
            return ResultCode.NO_ACCESS;
        }
        int frame = keys.word2At(location);
        PhysicalMemory memory = machine.memory();
        if (order == OrderCode.PAGE_ZERO) {
            machine.chargeString(PhysicalMemory.PAGE_SIZE);
            memory.zero(frames.physicalAddress(frame), PhysicalMemory.PAGE_SIZE);
            frames.markDirty(frame);
            return ResultCode.OK;
        }
        int source = invocation.sentKey(e, 0);
        int tail = keys.tailAt(source);
        if (KeyDescriptor.type(tail) != KeyType.PAGE || !KeyDescriptor.isPrepared(tail)) {
            return ResultCode.REQUEST_ERROR; // not a page key (or a stale one, void since the dry run)
        }
        int from = keys.word2At(source);
        if (from != frame) {
            machine.chargeString(PhysicalMemory.PAGE_SIZE);
            frames.data().getBytes(frames.dataOffset(from), page, 0, PhysicalMemory.PAGE_SIZE);
            memory.writeBytes(frames.physicalAddress(frame), page, 0, PhysicalMemory.PAGE_SIZE);
            frames.markDirty(frame);
        }
        return ResultCode.OK;
    }
}
