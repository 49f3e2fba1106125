package org.erosim.kernel.object;

/**
 * Bucket heads of an OID -> record-index hash with chains threaded through the records'
 * own link field (so the index costs one int per bucket and never allocates or resizes).
 * The table owning the records supplies the chain links through {@link Links}.
 *
 * <p>Invariant: every in-use record is on exactly the chain of {@code bucket(oid)}; no free
 * record is on any chain. Bucket count is the capacity rounded up to a power of two, so
 * chains average under one record.
 */
final class OidIndex {
    /** Access to the owner's per-record OID and link fields. */
    interface Links {
        long oidOf(int index);

        int linkOf(int index);

        void setLink(int index, int next);
    }

    private final int[] heads;
    private final int mask;
    private final Links links;

    /** Bytes of the bucket heads (4 per bucket). */
    long footprintBytes() {
        return 4L * heads.length;
    }

    OidIndex(int capacity, Links links) {
        int buckets = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        this.heads = new int[buckets];
        this.mask = buckets - 1;
        this.links = links;
        java.util.Arrays.fill(heads, NodeDescriptor.NONE);
    }

    /** Murmur3's 64-bit finaliser: OIDs are often dense, consecutive numbers. */
    static int hash(long oid) {
        long h = oid;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }

    int find(long oid) {
        int i = heads[hash(oid) & mask];
        while (i != NodeDescriptor.NONE) {
            if (links.oidOf(i) == oid) {
                return i;
            }
            i = links.linkOf(i);
        }
        return NodeDescriptor.NONE;
    }

    void insert(int index) {
        int b = hash(links.oidOf(index)) & mask;
        links.setLink(index, heads[b]);
        heads[b] = index;
    }

    /** Unchains {@code index}; returns false if it was not on its bucket's chain. */
    boolean remove(int index) {
        int b = hash(links.oidOf(index)) & mask;
        int i = heads[b];
        if (i == index) {
            heads[b] = links.linkOf(index);
            return true;
        }
        while (i != NodeDescriptor.NONE) {
            int next = links.linkOf(i);
            if (next == index) {
                links.setLink(i, links.linkOf(index));
                return true;
            }
            i = next;
        }
        return false;
    }

    int buckets() {
        return heads.length;
    }

    int head(int bucket) {
        return heads[bucket];
    }
}
