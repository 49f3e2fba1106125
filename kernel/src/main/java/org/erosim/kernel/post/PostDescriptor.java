package org.erosim.kernel.post;

import org.erosim.kernel.abi.Limits;
import org.erosim.kernel.key.KeyDescriptor;

/**
 * Layout of one queued post (kernel.md §11) in {@link PostTable}: a 16-byte <b>header</b> in
 * the table's dense header array, and a <b>record</b> in its record array holding the
 * message a QPOST copied, the key it was sent to and the gate key. Little-endian.
 *
 * <p>Header (four to a cache line) — everything a post's evaluation, a fire to a void
 * target and the pool's lists read or write:
 * <pre>
 *   0  flags      IN_USE; PASSED: the gate was passed, only the target remains;
 *                 VOID_TARGET: the target was the void key when the post was queued
 *   4  next       free list / the gate node's list of gated posts
 *   8  prev       the gate node's list of gated posts
 *  12  gate node  node-table index of the gate red segment while linked, else NONE
 * </pre>
 *
 * <p>Record (384 bytes, six cache lines; only a delivery to a process reads it):
 * <pre>
 *   0  activity        the post's detached activity (KIND_POST, subject = this post)
 *   4  string length   0..MAX_POST_STRING
 *   8  reserved        8 bytes, unused (FIFO order comes from the queues, not from the record)
 *  16  target key      16 bytes: the invoked key, unprepared form
 *  32  w0 w1 w2 w3     the message words
 *  48  keys 0..3       4 x 16 bytes: the sent keys, unprepared form
 * 112  gate key        16 bytes: the gate's segment key, unprepared (recheck mode only)
 * 128  string          MAX_POST_STRING bytes
 * </pre>
 *
 * Why two arrays: the posts one slot write releases are evaluated one after another, and a
 * fire that drops its post (void target) or waits on its target needs only the header. In
 * one 416-byte record the header fields cost a dependent cache-line visit per post in a
 * 416-byte stride; 1,000 headers are 16 KB, neighbours on a gate list share lines, and
 * the fire of a post to the void key never touches its record (docs/performance.md §9.4).
 *
 * <p>Keys are kept <em>unprepared</em> (OID and allocation or call count, like keys in a node
 * on the store): a post record is not in any key ring, so revocation reaches its keys the
 * way it reaches a stored key — the count no longer matches when the key is next prepared,
 * at delivery, and it becomes void.
 */
public final class PostDescriptor {
    public static final int HEADER_LENGTH = 16;
    public static final int FLAGS_OFFSET = 0;
    public static final int NEXT_OFFSET = 4;
    public static final int PREV_OFFSET = 8;
    public static final int GATE_NODE_OFFSET = 12;

    /** Header flag: the post is allocated. */
    public static final int FLAG_IN_USE = 1;
    /** Header flag: the gate was passed; only the target remains. */
    public static final int FLAG_PASSED = 2;
    /** Header flag: the target key was the void key when the post was queued. */
    public static final int FLAG_VOID_TARGET = 4;

    public static final int ACTIVITY_OFFSET = 0;
    public static final int STRING_LENGTH_OFFSET = 4;
    public static final int TARGET_KEY_OFFSET = 16;
    public static final int WORDS_OFFSET = 32;
    public static final int KEYS_OFFSET = 48;
    public static final int GATE_KEY_OFFSET = KEYS_OFFSET + 4 * KeyDescriptor.LENGTH;
    public static final int STRING_OFFSET = GATE_KEY_OFFSET + KeyDescriptor.LENGTH;
    public static final int RECORD_LENGTH = STRING_OFFSET + Limits.MAX_POST_STRING;

    /** Bytes per post in all: its header and its record. */
    public static final int FOOTPRINT = HEADER_LENGTH + RECORD_LENGTH;

    /** No post / no node. */
    public static final int NONE = -1;

    private PostDescriptor() {
    }
}
