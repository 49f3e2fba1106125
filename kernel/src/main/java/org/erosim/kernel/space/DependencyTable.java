package org.erosim.kernel.space;

import static org.erosim.kernel.space.DependencyDescriptor.CHAIN_NEXT_OFFSET;
import static org.erosim.kernel.space.DependencyDescriptor.CHAIN_PREV_OFFSET;
import static org.erosim.kernel.space.DependencyDescriptor.LOCATION_OFFSET;
import static org.erosim.kernel.space.DependencyDescriptor.MAPPING_NEXT_OFFSET;
import static org.erosim.kernel.space.DependencyDescriptor.MAPPING_OFFSET;
import static org.erosim.kernel.space.DependencyDescriptor.NONE;
import static org.erosim.kernel.space.DependencyDescriptor.recordOffset;

import org.erosim.kernel.object.RecordBuffer;

/**
 * Which mappings (PTEs) depend on which key locations: a bounded pool of edges
 * ({@link DependencyDescriptor}), reachable two ways:
 * <ul>
 *   <li>by location: a hash table of bucket heads (power of two, at least the edge
 *   capacity, so chains stay short), each a doubly linked chain of edges;</li>
 *   <li>by mapping: a head per PTE of the page-table pool (an int per PTE, 4 KiB per pool
 *   frame), a singly linked list of that mapping's edges.</li>
 * </ul>
 * Invariant: an edge is on exactly one bucket chain and one mapping list, or on the free
 * list; a mapping with edges is present in its page table and vice versa (kept by
 * {@link PageTableCache}). Memory: 24 bytes per edge + 4 per bucket + 4 per PTE, fixed at
 * construction. All operations are O(1) except {@link #firstMapping}, which is O(chain).
 *
 * <p>Not thread safe; allocation-free.
 */
public final class DependencyTable {
    private final int capacity;
    private final RecordBuffer edges;
    private final RecordBuffer buckets;
    private final RecordBuffer mappingHeads;
    private final int bucketShift;
    private final int mappingCount;
    private int freeHead;
    private int used;

    /**
     * @param capacity edges (run option)
     * @param mappingCount PTEs that may carry edges (pool frames * 1024)
     */
    public DependencyTable(int capacity, int mappingCount) {
        if (capacity < 1 || capacity > (1 << 26)) {
            throw new IllegalArgumentException("dependency capacity out of range: " + capacity);
        }
        this.capacity = capacity;
        this.mappingCount = mappingCount;
        int bits = 32 - Integer.numberOfLeadingZeros(capacity - 1);
        bits = Math.max(bits, 4);
        this.bucketShift = 32 - bits;
        this.edges = new RecordBuffer(capacity * DependencyDescriptor.LENGTH);
        this.buckets = new RecordBuffer((1 << bits) * 4);
        this.mappingHeads = new RecordBuffer(mappingCount * 4);
        clear();
    }

    /** Forgets every edge. */
    public void clear() {
        buckets.setMemory(0, buckets.capacity(), (byte) 0xFF);
        mappingHeads.setMemory(0, mappingHeads.capacity(), (byte) 0xFF);
        for (int e = 0; e < capacity; e++) {
            edges.putInt(recordOffset(e) + MAPPING_NEXT_OFFSET, e + 1 == capacity ? NONE : e + 1);
        }
        freeHead = 0;
        used = 0;
    }

    public int capacity() {
        return capacity;
    }

    public int used() {
        return used;
    }

    public int free() {
        return capacity - used;
    }

    private int bucketOf(int location) {
        return ((location * 0x9E3779B9) >>> bucketShift) * 4;
    }

    /** Records that {@code mapping} depends on {@code location}. Requires {@link #free()} &gt; 0. */
    public void add(int location, int mapping) {
        int e = freeHead;
        if (e == NONE) {
            throw new IllegalStateException("dependency table full: the caller reclaims first");
        }
        int o = recordOffset(e);
        freeHead = edges.getInt(o + MAPPING_NEXT_OFFSET);
        used++;
        int b = bucketOf(location);
        int head = buckets.getInt(b);
        edges.putInt(o + LOCATION_OFFSET, location);
        edges.putInt(o + CHAIN_PREV_OFFSET, NONE);
        edges.putInt(o + CHAIN_NEXT_OFFSET, head);
        if (head != NONE) {
            edges.putInt(recordOffset(head) + CHAIN_PREV_OFFSET, e);
        }
        buckets.putInt(b, e);
        edges.putInt(o + MAPPING_OFFSET, mapping);
        edges.putInt(o + MAPPING_NEXT_OFFSET, mappingHeads.getInt(mapping * 4));
        mappingHeads.putInt(mapping * 4, e);
    }

    /** A mapping that depends on {@code location}, or NONE. */
    public int firstMapping(int location) {
        for (int e = buckets.getInt(bucketOf(location)); e != NONE; e = edges.getInt(recordOffset(e) + CHAIN_NEXT_OFFSET)) {
            if (edges.getInt(recordOffset(e) + LOCATION_OFFSET) == location) {
                return edges.getInt(recordOffset(e) + MAPPING_OFFSET);
            }
        }
        return NONE;
    }

    /** Whether {@code mapping} has any edge. */
    public boolean hasEdges(int mapping) {
        return mappingHeads.getInt(mapping * 4) != NONE;
    }

    /** Number of edges of {@code mapping} (tests, checks). */
    public int edgeCount(int mapping) {
        int n = 0;
        for (int e = mappingHeads.getInt(mapping * 4); e != NONE; e = edges.getInt(recordOffset(e) + MAPPING_NEXT_OFFSET)) {
            n++;
        }
        return n;
    }

    /** Removes every edge of {@code mapping}. */
    public void removeMapping(int mapping) {
        int e = mappingHeads.getInt(mapping * 4);
        mappingHeads.putInt(mapping * 4, NONE);
        while (e != NONE) {
            int o = recordOffset(e);
            int next = edges.getInt(o + MAPPING_NEXT_OFFSET);
            int prev = edges.getInt(o + CHAIN_PREV_OFFSET);
            int chainNext = edges.getInt(o + CHAIN_NEXT_OFFSET);
            if (prev == NONE) {
                buckets.putInt(bucketOf(edges.getInt(o + LOCATION_OFFSET)), chainNext);
            } else {
                edges.putInt(recordOffset(prev) + CHAIN_NEXT_OFFSET, chainNext);
            }
            if (chainNext != NONE) {
                edges.putInt(recordOffset(chainNext) + CHAIN_PREV_OFFSET, prev);
            }
            edges.putInt(o + MAPPING_NEXT_OFFSET, freeHead);
            freeHead = e;
            used--;
            e = next;
        }
    }

    int mappingCount() {
        return mappingCount;
    }
}
