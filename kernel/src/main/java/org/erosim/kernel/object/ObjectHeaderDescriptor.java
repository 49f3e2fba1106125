package org.erosim.kernel.object;

/**
 * The header every in-memory object record starts with, nodes ({@link NodeDescriptor}) and
 * pages ({@link FrameDescriptor}) alike: the first 32 bytes of a node record, the whole of a
 * frame record. {@link ObjectTable} keeps it; the concrete descriptors extend this class only
 * to inherit its constants (so {@code NodeDescriptor.FLAGS_OFFSET} and
 * {@code FrameDescriptor.FLAGS_OFFSET} are the same compile-time constant); nothing is ever
 * an instance of it.
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
 * <p>The ring anchor (prev, next) sits at the same relative offsets (0 and 4) from
 * {@link #RING_OFFSET} as a prepared key's ring links from its slot
 * ({@code KeyDescriptor.RING_PREV_OFFSET}, {@code RING_NEXT_OFFSET}), so ring code treats an
 * anchor and a key alike: the key ring is a circular doubly linked list through key
 * locations ({@link KeyLocation}) with the anchor as sentinel; next of the anchor is the head,
 * prev of the anchor is the tail; an empty ring is an anchor that points at itself.
 *
 * <p>The hash link chains records of one OID-index bucket while the record is in use and the
 * free list while it is free; {@link #NONE} ends either chain. The header is 8-byte aligned
 * in every record (records are multiples of 32 bytes in a 64-byte-aligned buffer), so the
 * OID is one aligned long.
 */
public abstract class ObjectHeaderDescriptor {
    public static final int OID_OFFSET = 0;
    public static final int ALLOCATION_COUNT_OFFSET = 8;
    public static final int FLAGS_OFFSET = 12;
    /** Ring anchor: prev (the tail) at +0, next (the head) at +4, as in a prepared key. */
    public static final int RING_OFFSET = 16;
    public static final int LINK_OFFSET = 24;
    public static final int PIN_COUNT_OFFSET = 28;
    /** Bytes of the common header; a kind's own header fields follow it. */
    public static final int COMMON_LENGTH = 32;
    /** Record buffers start at multiples of this (a cache line). */
    public static final int ALIGNMENT = 64;

    /** The record holds an object (else it is on the free list). */
    public static final int FLAG_IN_USE = 1;
    /** The object differs from the source's copy and must be written back before it leaves. */
    public static final int FLAG_DIRTY = 2;
    /** Set on use, cleared by the CLOCK hand: an object with the bit set survives one sweep. */
    public static final int FLAG_REFERENCED = 4;
    public static final int FLAGS_DEFINED = FLAG_IN_USE | FLAG_DIRTY | FLAG_REFERENCED;

    /** No record: ends the free list and hash chains; what lookups return for a miss. */
    public static final int NONE = -1;

    /** Only the descriptors extend this, for its constants. */
    ObjectHeaderDescriptor() {
    }
}
