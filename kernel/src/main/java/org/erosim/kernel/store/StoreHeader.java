package org.erosim.kernel.store;

import java.nio.file.Path;
import java.util.zip.CRC32C;

import net.openhft.chronicle.bytes.RandomDataInput;

import static org.erosim.kernel.store.StoreDescriptor.*;

/**
 * The header fields of an open store, read once and validated so that every later access
 * through the directory stays inside the file. Header problems are fatal
 * ({@link StoreFormatException}): without a trustworthy header nothing else can be located.
 */
final class StoreHeader {
    int objectCount;
    int directoryCapacity;
    long directoryOffset;
    long dataOffset;
    long dataEnd;
    long nextOid;
    int nodeCount;
    int pageCount;
    int flags;
    int directoryCrc;

    /**
     * Reads and validates the header of {@code file} ({@code fileLength} bytes, measured
     * before mapping: Chronicle may grow a writable mapping).
     */
    static StoreHeader read(Path file, long fileLength, RandomDataInput bytes, byte[] scratch, CRC32C crc) {
        if (fileLength < HEADER_LENGTH) {
            throw new StoreFormatException(file + ": truncated: " + fileLength
                + " bytes, shorter than the " + HEADER_LENGTH + "-byte store header");
        }
        long magic = bytes.readLong(MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new StoreFormatException(file + ": not an erosim store (bad magic 0x" + Long.toHexString(magic) + ")");
        }
        int version = bytes.readInt(VERSION_OFFSET);
        if (version != VERSION) {
            throw new StoreFormatException(file + ": unsupported store version " + version + " (this build reads " + VERSION + ")");
        }
        int stored = bytes.readInt(HEADER_CRC_OFFSET);
        int computed = StoreIo.crc(bytes, 0, HEADER_CRC_OFFSET, scratch, crc);
        if (stored != computed) {
            throw new StoreFormatException(file + ": header checksum mismatch (stored 0x" + Integer.toHexString(stored)
                + ", computed 0x" + Integer.toHexString(computed) + ")");
        }
        int headerLength = bytes.readInt(HEADER_LENGTH_OFFSET);
        if (headerLength != HEADER_LENGTH) {
            throw new StoreFormatException(file + ": header length " + headerLength + ", expected " + HEADER_LENGTH);
        }
        StoreHeader h = new StoreHeader();
        h.objectCount = bytes.readInt(OBJECT_COUNT_OFFSET);
        h.directoryCapacity = bytes.readInt(DIRECTORY_CAPACITY_OFFSET);
        h.directoryOffset = bytes.readLong(DIRECTORY_OFFSET_OFFSET);
        h.dataOffset = bytes.readLong(DATA_OFFSET_OFFSET);
        h.dataEnd = bytes.readLong(DATA_END_OFFSET);
        h.nextOid = bytes.readLong(NEXT_OID_OFFSET);
        h.nodeCount = bytes.readInt(NODE_COUNT_OFFSET);
        h.pageCount = bytes.readInt(PAGE_COUNT_OFFSET);
        h.flags = bytes.readInt(FLAGS_OFFSET);
        h.directoryCrc = bytes.readInt(DIRECTORY_CRC_OFFSET);
        if (h.objectCount < 0 || h.directoryCapacity < 0 || h.objectCount > h.directoryCapacity) {
            throw new StoreFormatException(file + ": directory holds " + h.objectCount + " entries but has room for "
                + h.directoryCapacity);
        }
        if (h.dataEnd < HEADER_LENGTH || h.dataEnd > fileLength) {
            throw new StoreFormatException(file + ": truncated: data ends at byte " + h.dataEnd + " but the file has "
                + fileLength + " bytes");
        }
        long dirEnd = h.directoryOffset + (long) h.directoryCapacity * ENTRY_LENGTH;
        if (h.directoryOffset < HEADER_LENGTH || dirEnd > h.dataEnd) {
            throw new StoreFormatException(file + ": directory [" + h.directoryOffset + ", " + dirEnd
                + ") lies outside the file's data (" + HEADER_LENGTH + ".." + h.dataEnd + ")");
        }
        if (h.dataOffset < HEADER_LENGTH || h.dataOffset > h.dataEnd) {
            throw new StoreFormatException(file + ": data offset " + h.dataOffset + " outside " + HEADER_LENGTH + ".." + h.dataEnd);
        }
        if (h.nodeCount < 0 || h.pageCount < 0 || (long) h.nodeCount + h.pageCount != h.objectCount) {
            throw new StoreFormatException(file + ": header counts " + h.nodeCount + " nodes + " + h.pageCount
                + " pages do not add up to " + h.objectCount + " objects");
        }
        if (h.nextOid < 1) {
            throw new StoreFormatException(file + ": next OID " + h.nextOid + " is not positive");
        }
        if ((h.flags & FLAG_CLEAN) != 0) {
            int dc = StoreIo.crc(bytes, h.directoryOffset, (long) h.objectCount * ENTRY_LENGTH, scratch, crc);
            if (dc != h.directoryCrc) {
                throw new StoreFormatException(file + ": directory checksum mismatch (stored 0x"
                    + Integer.toHexString(h.directoryCrc) + ", computed 0x" + Integer.toHexString(dc) + ")");
            }
        }
        return h;
    }
}
