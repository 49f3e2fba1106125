package org.erosim.kernel.object;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Where the object cache faults objects in from and writes dirty objects back to: the
 * store file at run time ({@code org.erosim.kernel.store}), or an in-memory source in tests.
 *
 * <p>Contract: node keys cross this interface as 32 consecutive 16-byte keys in
 * {@link org.erosim.kernel.key.KeyDescriptor} layout, always <b>unprepared</b> (512 bytes);
 * pages as 4096 bytes. A read of an OID the source does not hold returns false (the
 * cache then treats keys naming it as void). Counts only grow: a write never carries a
 * smaller allocation or call count than the source holds. Implementations allocate
 * nothing per call in steady state.
 */
public interface ObjectSource {
    int KIND_NODE = 1;
    int KIND_PAGE = 2;
    int NODE_KEYS_LENGTH = 32 * 16;
    int PAGE_LENGTH = 4096;

    /** Fills {@code header} and copies node {@code oid}'s 512 key bytes to {@code keys} at {@code offset}. */
    boolean readNode(long oid, ObjectHeader header, MutableDirectBuffer keys, int offset);

    /** Fills {@code header} and copies page {@code oid}'s 4096 bytes to {@code dst} at {@code offset}. */
    boolean readPage(long oid, ObjectHeader header, MutableDirectBuffer dst, int offset);

    /** Stores a node (creating it if new): header counts and 512 unprepared key bytes. */
    void writeNode(ObjectHeader header, DirectBuffer keys, int offset);

    /** Stores a page (creating it if new). */
    void writePage(ObjectHeader header, DirectBuffer src, int offset);

    /**
     * A fresh OID for a new object of {@code kind} (range key NEW_NODE/NEW_PAGE/NEW_PROCESS),
     * never returned before by this source; -1 when the source cannot hold more objects.
     */
    long newOid(int kind);

    /**
     * Makes what was written so far a consistent whole on the source's medium (a checkpoint
     * calls it after writing every dirty object back). Nothing by default.
     */
    default void flush() {
    }
}
