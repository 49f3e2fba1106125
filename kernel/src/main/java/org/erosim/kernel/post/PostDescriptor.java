package org.erosim.kernel.post;

import org.erosim.kernel.abi.Limits;
import org.erosim.kernel.key.KeyDescriptor;

/**
 * Layout of one queued-post record (kernel.md §11) in {@link PostTable}'s off-heap buffer:
 * the message a QPOST copied, the key it was sent to, and the gate it waits on. Fixed size,
 * little-endian, 32-byte aligned:
 *
 * <pre>
 *   0  state            FREE, or IN_USE
 *   4  next             free list / the gate node's list of gated posts
 *   8  prev             the gate node's list of gated posts
 *  12  gate node        node-table index of the gate red segment while linked, else NONE
 *  16  activity         the post's detached activity (KIND_POST, subject = this record)
 *  20  string length    0..MAX_POST_STRING
 *  24  flags            PASSED: the gate was passed; only the target remains
 *  28  (reserved, 0)
 *  32  sequence         u64, order of queueing (diagnostics; FIFO comes from the queues)
 *  40  (reserved, 0)
 *  48  target key       16 bytes: the invoked key, unprepared form
 *  64  w0 w1 w2 w3      the message words
 *  80  keys 0..3        4 x 16 bytes: the sent keys, unprepared form
 * 144  gate key         16 bytes: the gate's segment key, unprepared (recheck mode only)
 * 160  string           MAX_POST_STRING bytes (416 in all)
 * </pre>
 *
 * Everything a post's evaluation and a fire to a void or busy target reads — state, links,
 * gate, activity, flags, the target key's type — is in its first 64 bytes (one cache line
 * for every other record, two for the rest: the records are not padded to 448 bytes,
 * which would put the eviction storm's memory per stalled process at 1,998 of its 2,048).
 *
 * Keys are kept <em>unprepared</em> (OID and allocation or call count, like keys in a node
 * on the store): a post record is not in any key ring, so revocation reaches its keys the
 * way it reaches a stored key — the count no longer matches when the key is next prepared,
 * at delivery, and it becomes void.
 */
public final class PostDescriptor {
    public static final int STATE_OFFSET = 0;
    public static final int NEXT_OFFSET = 4;
    public static final int PREV_OFFSET = 8;
    public static final int GATE_NODE_OFFSET = 12;
    public static final int ACTIVITY_OFFSET = 16;
    public static final int STRING_LENGTH_OFFSET = 20;
    public static final int FLAGS_OFFSET = 24;
    public static final int FLAG_PASSED = 1;
    public static final int SEQUENCE_OFFSET = 32;
    public static final int TARGET_KEY_OFFSET = 48;
    public static final int WORDS_OFFSET = 64;
    public static final int KEYS_OFFSET = 80;
    public static final int GATE_KEY_OFFSET = KEYS_OFFSET + 4 * KeyDescriptor.LENGTH;
    public static final int STRING_OFFSET = GATE_KEY_OFFSET + KeyDescriptor.LENGTH;
    public static final int RECORD_LENGTH = STRING_OFFSET + Limits.MAX_POST_STRING;

    public static final int FREE = 0;
    public static final int IN_USE = 1;

    /** No record / no node. */
    public static final int NONE = -1;

    private PostDescriptor() {
    }
}
