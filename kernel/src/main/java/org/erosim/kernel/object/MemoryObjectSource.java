package org.erosim.kernel.object;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2LongHashMap;

/**
 * An {@link ObjectSource} held in memory: for tests, benchmarks and scenario tests that
 * need no store file. Objects are records appended to one expandable direct buffer and
 * found through an OID map; a record keeps its place for life (an object never changes
 * kind), so reads and writes of known objects allocate nothing. Only growth (a new object)
 * may allocate, when the map or the buffer expands.
 *
 * <pre>
 *   record: kind (4) | allocation count (4) | call count (4) | reserved (4) | payload
 *   payload: 512 key bytes (node) or 4096 data bytes (page)
 * </pre>
 *
 * <p>It enforces the {@link ObjectSource} contract (counts never shrink, nodes arrive
 * unprepared, an OID keeps its kind) by throwing {@link IllegalStateException}: a violation
 * is a bug in the cache, and tests must see it.
 */
public final class MemoryObjectSource implements ObjectSource {
    private static final int KIND = 0;
    private static final int ALLOCATION_COUNT = 4;
    private static final int CALL_COUNT = 8;
    private static final int PAYLOAD = 16;

    private final Long2LongHashMap offsets;
    private final ExpandableDirectByteBuffer records;
    private final int maxObjects;
    private int end;
    private long nextOid;
    private long reads;
    private long writes;

    /**
     * @param firstOid the first OID {@link #newOid} hands out (later ones count up, skipping
     *     OIDs already stored)
     * @param maxObjects how many objects it holds at most; {@link #newOid} answers -1 beyond
     */
    public MemoryObjectSource(long firstOid, int maxObjects) {
        this.nextOid = firstOid;
        this.maxObjects = maxObjects;
        this.offsets = new Long2LongHashMap(Math.max(16, maxObjects * 2), 0.65f, -1L);
        this.records = new ExpandableDirectByteBuffer(64 * 1024);
    }

    public int size() {
        return offsets.size();
    }

    public boolean contains(long oid) {
        return offsets.containsKey(oid);
    }

    /** {@link #KIND_NODE}, {@link #KIND_PAGE}, or 0 if absent. */
    public int kind(long oid) {
        long at = offsets.get(oid);
        return at < 0 ? 0 : records.getInt((int) at + KIND);
    }

    public int allocationCount(long oid) {
        return records.getInt(requireOffset(oid) + ALLOCATION_COUNT);
    }

    public int callCount(long oid) {
        return records.getInt(requireOffset(oid) + CALL_COUNT);
    }

    /** The buffer and offset of an object's payload, for tests to inspect. */
    public DirectBuffer buffer() {
        return records;
    }

    public int payloadOffset(long oid) {
        return requireOffset(oid) + PAYLOAD;
    }

    public long reads() {
        return reads;
    }

    public long writes() {
        return writes;
    }

    private int requireOffset(long oid) {
        long at = offsets.get(oid);
        if (at < 0) {
            throw new IllegalArgumentException("no object 0x" + Long.toHexString(oid));
        }
        return (int) at;
    }

    @Override
    public boolean readNode(long oid, ObjectHeader header, MutableDirectBuffer keys, int offset) {
        return read(oid, KIND_NODE, NODE_KEYS_LENGTH, header, keys, offset);
    }

    @Override
    public boolean readPage(long oid, ObjectHeader header, MutableDirectBuffer dst, int offset) {
        return read(oid, KIND_PAGE, PAGE_LENGTH, header, dst, offset);
    }

    private boolean read(long oid, int kind, int length, ObjectHeader header, MutableDirectBuffer dst, int offset) {
        long at = offsets.get(oid);
        if (at < 0 || records.getInt((int) at + KIND) != kind) {
            return false;
        }
        int r = (int) at;
        header.set(kind, oid, records.getInt(r + ALLOCATION_COUNT), records.getInt(r + CALL_COUNT));
        dst.putBytes(offset, records, r + PAYLOAD, length);
        reads++;
        return true;
    }

    @Override
    public void writeNode(ObjectHeader header, DirectBuffer keys, int offset) {
        for (int s = 0; s < 32; s++) {
            int tail = keys.getInt(offset + s * 16 + 12);
            if (org.erosim.kernel.key.KeyDescriptor.isPrepared(tail)) {
                throw new IllegalStateException("node 0x" + Long.toHexString(header.oid) + " slot " + s
                    + " written to the source prepared");
            }
        }
        write(header, KIND_NODE, NODE_KEYS_LENGTH, keys, offset);
    }

    @Override
    public void writePage(ObjectHeader header, DirectBuffer src, int offset) {
        write(header, KIND_PAGE, PAGE_LENGTH, src, offset);
    }

    private void write(ObjectHeader header, int kind, int length, DirectBuffer src, int offset) {
        long oid = header.oid;
        long at = offsets.get(oid);
        int r;
        if (at < 0) {
            if (offsets.size() >= maxObjects) {
                throw new IllegalStateException("memory object source full (" + maxObjects + " objects)");
            }
            r = end;
            end += PAYLOAD + length;
            records.checkLimit(end);
            records.putInt(r + KIND, kind);
            records.putInt(r + ALLOCATION_COUNT, header.allocationCount);
            records.putInt(r + CALL_COUNT, header.callCount);
            offsets.put(oid, r);
            if (oid >= nextOid) {
                nextOid = oid + 1;
            }
        } else {
            r = (int) at;
            if (records.getInt(r + KIND) != kind) {
                throw new IllegalStateException("object 0x" + Long.toHexString(oid) + " written as another kind");
            }
            if (Integer.compareUnsigned(header.allocationCount, records.getInt(r + ALLOCATION_COUNT)) < 0
                || Integer.compareUnsigned(header.callCount, records.getInt(r + CALL_COUNT)) < 0) {
                throw new IllegalStateException("object 0x" + Long.toHexString(oid) + " written with a smaller count");
            }
            records.putInt(r + ALLOCATION_COUNT, header.allocationCount);
            records.putInt(r + CALL_COUNT, header.callCount);
        }
        records.putBytes(r + PAYLOAD, src, offset, length);
        writes++;
    }

    @Override
    public long newOid(int kind) {
        if (offsets.size() >= maxObjects) {
            return -1;
        }
        while (offsets.containsKey(nextOid)) {
            nextOid++;
        }
        return nextOid++;
    }
}
