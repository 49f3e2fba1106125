package org.erosim.kernel.store;

import org.erosim.kernel.key.KeyDescriptor;

/**
 * The layout of a store file, all little-endian (docs/store-format.md has the prose).
 *
 * <pre>
 * File:
 *   +--------------------+ 0
 *   | header (128 bytes) |
 *   +--------------------+ directoryOffset
 *   | directory          |  directoryCapacity entries of 32 bytes; the first objectCount in
 *   |                    |  use, sorted by OID (strictly increasing), the rest zero
 *   +--------------------+ dataOffset
 *   | records            |  node records and page records, each at its entry's offset
 *   +--------------------+ dataEnd (appends go here; a relocated directory too)
 *
 * Header:
 *   0                   8         12        16        20        24
 *   +-------------------+---------+---------+---------+---------+-------------------+
 *   | magic "EROSSTOR"  | version | hdr len | objects | dir cap | directoryOffset   |
 *   +-------------------+---------+---------+---------+---------+-------------------+
 *   32                  40                  48                  56        60
 *   +-------------------+-------------------+-------------------+---------+---------+
 *   | dataOffset        | dataEnd           | nextOid           | nodes   | pages   |
 *   +-------------------+-------------------+-------------------+---------+---------+
 *   64        68        72 ........................................... 124       128
 *   +---------+---------+----------------------------------------------+---------+
 *   | flags   | dir CRC | reserved, zero                               | hdr CRC |
 *   +---------+---------+----------------------------------------------+---------+
 *   flags bit 0 CLEAN: the directory CRC (CRC32C of the objectCount entries in use) is
 *   valid. A writer clears it while it works and sets it on close. hdr CRC = CRC32C of
 *   header bytes [0, 124).
 *
 * Directory entry (32 bytes):
 *   0                   8                   16        20        24        28  29  30
 *   +-------------------+-------------------+---------+---------+---------+---+---+-------+
 *   | OID               | record offset     | alloc # | call #  | length  |knd|rsv| cap   |
 *   +-------------------+-------------------+---------+---------+---------+---+---+-------+
 *   kind 1 node, 2 page; length = bytes of the record in use; cap (u16) = bytes reserved at
 *   the offset (length &lt;= cap). A zero page has length 0, cap 0 and offset 0.
 *
 * Node record (4 + 16 n bytes, n = bitCount(bitmap) &lt;= 32):
 *   +---------+-----------+-----------+-----+
 *   | bitmap  | key s0    | key s1    | ... |   bit s set = slot s holds a non-void key;
 *   +---------+-----------+-----------+-----+   keys of the set slots in slot order, each
 *                                                16 bytes in KeyDescriptor layout, unprepared
 * Page record: 4096 bytes.
 * </pre>
 */
public final class StoreDescriptor {
    /** "EROSSTOR" read as a little-endian long. */
    public static final long MAGIC = 0x524F5453534F5245L;
    public static final int VERSION = 1;

    public static final int HEADER_LENGTH = 128;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int HEADER_LENGTH_OFFSET = 12;
    public static final int OBJECT_COUNT_OFFSET = 16;
    public static final int DIRECTORY_CAPACITY_OFFSET = 20;
    public static final int DIRECTORY_OFFSET_OFFSET = 24;
    public static final int DATA_OFFSET_OFFSET = 32;
    public static final int DATA_END_OFFSET = 40;
    public static final int NEXT_OID_OFFSET = 48;
    public static final int NODE_COUNT_OFFSET = 56;
    public static final int PAGE_COUNT_OFFSET = 60;
    public static final int FLAGS_OFFSET = 64;
    public static final int DIRECTORY_CRC_OFFSET = 68;
    public static final int HEADER_CRC_OFFSET = 124;

    public static final int FLAG_CLEAN = 1;

    public static final int ENTRY_LENGTH = 32;
    public static final int ENTRY_OID_OFFSET = 0;
    public static final int ENTRY_RECORD_OFFSET = 8;
    public static final int ENTRY_ALLOCATION_COUNT_OFFSET = 16;
    public static final int ENTRY_CALL_COUNT_OFFSET = 20;
    public static final int ENTRY_LENGTH_OFFSET = 24;
    public static final int ENTRY_KIND_OFFSET = 28;
    public static final int ENTRY_CAPACITY_OFFSET = 30;

    public static final int BITMAP_LENGTH = 4;
    public static final int KEY_LENGTH = KeyDescriptor.LENGTH;
    /** A node record with all 32 slots non-void. */
    public static final int MAX_NODE_RECORD = BITMAP_LENGTH + 32 * KEY_LENGTH;
    public static final int PAGE_RECORD = 4096;

    /** Spare directory entries a writer reserves for objects created at run time. */
    public static final int DIRECTORY_SLACK_MIN = 1024;

    private StoreDescriptor() {
    }

    /** File offset of directory entry {@code index}. */
    public static long entryOffset(long directoryOffset, int index) {
        return directoryOffset + (long) index * ENTRY_LENGTH;
    }

    public static int nodeRecordLength(int bitmap) {
        return BITMAP_LENGTH + Integer.bitCount(bitmap) * KEY_LENGTH;
    }

    /** Directory capacity a writer reserves for {@code objects}: room to grow by 1/8 at least. */
    public static int directoryCapacityFor(int objects) {
        long cap = (long) objects + Math.max(DIRECTORY_SLACK_MIN, objects >> 3);
        return (int) Math.min(cap, Integer.MAX_VALUE / ENTRY_LENGTH);
    }
}
