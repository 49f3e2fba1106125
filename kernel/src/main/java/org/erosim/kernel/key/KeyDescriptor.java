package org.erosim.kernel.key;

/**
 * The layout of a key: 16 bytes, little-endian, the same in the node table, in key-holding
 * kernel records and (unprepared only) in the store file.
 *
 * <pre>
 *   0                   4                   8                  12                  16
 *   +-------------------+-------------------+-------------------+-------------------+
 *   | body                                                      | tail              |
 *   +-------------------+-------------------+-------------------+-------------------+
 *   unprepared object key:  OID (8, low word first)             | count (4) | tail  |
 *   prepared object key:    ring prev (4) | ring next (4)       | handle (4) | tail |
 *   number key:             96-bit value: word 0 | word 1 | word 2            | tail |
 *   other keys:             zero                                               | tail |
 *
 *   tail (int at 12):  bits 0-7 type | bits 8-10 flags | bits 11-15 restrictions | bits 16-31 keyData
 *   flags: 1 PREPARED, 2 READ_HAZARD, 4 WRITE_HAZARD
 * </pre>
 *
 * <p>Invariants: only object keys (types 0-5) are ever PREPARED; a prepared key is on the
 * key ring of the object its handle names, and every key on that ring is prepared and
 * names it. The store file never holds a prepared key. A void key has a zero body,
 * zero restrictions and zero keyData, so an all-zero slot would be a START key: empty
 * slots are written as void explicitly ({@link #VOID_TAIL}).
 */
public final class KeyDescriptor {
    public static final int LENGTH = 16;

    public static final int OID_OFFSET = 0;
    public static final int COUNT_OFFSET = 8;
    public static final int RING_PREV_OFFSET = 0;
    public static final int RING_NEXT_OFFSET = 4;
    public static final int HANDLE_OFFSET = 8;
    public static final int WORD0_OFFSET = 0;
    public static final int WORD1_OFFSET = 4;
    public static final int WORD2_OFFSET = 8;
    public static final int TAIL_OFFSET = 12;

    public static final int FLAG_PREPARED = 1;
    public static final int FLAG_READ_HAZARD = 2;
    public static final int FLAG_WRITE_HAZARD = 4;

    /** keyData bit 0 of a RESUME key: a fault resume key (made for a keeper upcall). */
    public static final int KEYDATA_FAULT = 1;

    /** The tail of a void key: type VOID, no flags, no restrictions, keyData 0. */
    public static final int VOID_TAIL = org.erosim.kernel.abi.KeyType.VOID;

    private KeyDescriptor() {
    }

    public static int type(int tail) {
        return tail & 0xFF;
    }

    public static int flags(int tail) {
        return (tail >>> 8) & 0x7;
    }

    public static int restrictions(int tail) {
        return (tail >>> 11) & 0x1F;
    }

    public static int keyData(int tail) {
        return tail >>> 16;
    }

    public static boolean isPrepared(int tail) {
        return (tail & (FLAG_PREPARED << 8)) != 0;
    }

    public static int tail(int type, int flags, int restrictions, int keyData) {
        return (type & 0xFF) | (flags & 0x7) << 8 | (restrictions & 0x1F) << 11 | (keyData & 0xFFFF) << 16;
    }

    public static int withFlags(int tail, int flags) {
        return (tail & ~(0x7 << 8)) | (flags & 0x7) << 8;
    }

    public static int withRestrictions(int tail, int restrictions) {
        return (tail & ~(0x1F << 11)) | (restrictions & 0x1F) << 11;
    }

    public static int withKeyData(int tail, int keyData) {
        return (tail & 0xFFFF) | (keyData & 0xFFFF) << 16;
    }
}
