package org.erosim.kernel.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytes;
import org.agrona.DirectBuffer;
import org.erosim.kernel.object.ObjectSource;

import static org.erosim.kernel.store.StoreDescriptor.*;

/**
 * Writes a new store file in one pass: the caller adds every object in strictly increasing
 * OID order, then {@link #finish()}. The directory is sized up front (with slack for objects
 * created at run time, {@link StoreDescriptor#directoryCapacityFor}); records follow it
 * back to back, node records compact (bitmap + non-void keys), zero pages take no record.
 * Until {@link #finish()} the file has no valid header, so a half-written file is never
 * mistaken for a store.
 */
public final class StoreWriter implements AutoCloseable {
    private final Path file;
    /** The mapping (lifecycle only) and its store, through which every byte is written. */
    private MappedBytes mapping;
    private BytesStore<?, ?> bytes;
    private long capacity;
    private final int objectCount;
    private final int directoryCapacity;
    private final long dataOffset;
    private final byte[] scratch = new byte[1 << 16];
    private final CRC32C crc = new CRC32C();

    private int added;
    private long lastOid;
    private long dataEnd;
    private int nodes;
    private int pages;
    private boolean finished;
    private boolean closed;

    private StoreWriter(Path file, int objectCount, long recordBytes) {
        this.file = file;
        this.objectCount = objectCount;
        this.directoryCapacity = directoryCapacityFor(objectCount);
        this.dataOffset = HEADER_LENGTH + (long) directoryCapacity * ENTRY_LENGTH;
        this.dataEnd = dataOffset;
        this.capacity = dataOffset + Math.max(recordBytes, PAGE_RECORD);
        this.mapping = StoreIo.map(file, false, capacity);
        this.bytes = StoreIo.storeOf(file, mapping, capacity);
    }

    /** Creates (or replaces) {@code file} for exactly {@code objectCount} objects. */
    public static StoreWriter create(Path file, int objectCount) {
        return create(file, objectCount, StoreIo.GROWTH_MIN);
    }

    /**
     * Creates (or replaces) {@code file} for exactly {@code objectCount} objects whose records
     * take about {@code recordBytes} (an exact figure avoids remapping; more is found room for).
     */
    public static StoreWriter create(Path file, int objectCount, long recordBytes) {
        if (objectCount < 0) {
            throw new StoreException(file + ": negative object count " + objectCount);
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new StoreException(file + ": cannot replace the file: " + StoreIo.oneLine(e));
        }
        StoreWriter w = new StoreWriter(file, objectCount, recordBytes);
        // Unused directory entries must read as zero; a fresh file is zero but be explicit.
        w.bytes.zeroOut(0, w.dataOffset);
        return w;
    }

    /** Remaps with room for {@code end} bytes (doubling), when a record would not fit. */
    private void ensure(long end) {
        if (end <= capacity) {
            return;
        }
        capacity = Math.max(end, capacity * 2);
        StoreIo.unmap(mapping);
        mapping = StoreIo.map(file, false, capacity);
        bytes = StoreIo.storeOf(file, mapping, capacity);
    }

    /**
     * Adds a node: counts, the bitmap of non-void slots, and {@code bitCount(bitmap)} keys
     * (16 bytes each, unprepared, in slot order) at {@code keys}/{@code offset}.
     */
    public void addNode(long oid, int allocationCount, int callCount, int bitmap, DirectBuffer keys, int offset) {
        int length = nodeRecordLength(bitmap);
        ensure(dataEnd + length);
        entry(oid, ObjectSource.KIND_NODE, allocationCount, callCount, length, length);
        bytes.writeInt(dataEnd, bitmap);
        StoreIo.copyIn(bytes, dataEnd + BITMAP_LENGTH, keys, offset, length - BITMAP_LENGTH);
        dataEnd += length;
        nodes++;
    }

    /** Adds a page with 4096 bytes of data. */
    public void addPage(long oid, int allocationCount, DirectBuffer data, int offset) {
        ensure(dataEnd + PAGE_RECORD);
        entry(oid, ObjectSource.KIND_PAGE, allocationCount, 0, PAGE_RECORD, PAGE_RECORD);
        StoreIo.copyIn(bytes, dataEnd, data, offset, PAGE_RECORD);
        dataEnd += PAGE_RECORD;
        pages++;
    }

    /** Adds an all-zero page: an entry with no record. */
    public void addZeroPage(long oid, int allocationCount) {
        entry(oid, ObjectSource.KIND_PAGE, allocationCount, 0, 0, 0);
        pages++;
    }

    private int entry(long oid, int kind, int allocationCount, int callCount, int length, int capacity) {
        if (finished || closed) {
            throw new StoreException(file + ": the writer is finished");
        }
        if (added == objectCount) {
            throw new StoreException(file + ": more objects added than the " + objectCount + " announced");
        }
        if (oid <= lastOid) {
            throw new StoreException(file + ": OID " + oid + " added after OID " + lastOid
                + " (OIDs must be positive and strictly increasing)");
        }
        long e = entryOffset(HEADER_LENGTH, added);
        bytes.writeLong(e + ENTRY_OID_OFFSET, oid);
        bytes.writeLong(e + ENTRY_RECORD_OFFSET, length == 0 ? 0 : dataEnd);
        bytes.writeInt(e + ENTRY_ALLOCATION_COUNT_OFFSET, allocationCount);
        bytes.writeInt(e + ENTRY_CALL_COUNT_OFFSET, callCount);
        bytes.writeInt(e + ENTRY_LENGTH_OFFSET, length);
        bytes.writeByte(e + ENTRY_KIND_OFFSET, (byte) kind);
        bytes.writeByte(e + ENTRY_KIND_OFFSET + 1, (byte) 0);
        bytes.writeShort(e + ENTRY_CAPACITY_OFFSET, (short) capacity);
        lastOid = oid;
        return added++;
    }

    /** Writes the header (CLEAN, both checksums) and trims the file to its data end. */
    public void finish() {
        if (added != objectCount) {
            throw new StoreException(file + ": " + added + " objects added, " + objectCount + " announced");
        }
        bytes.writeLong(MAGIC_OFFSET, MAGIC);
        bytes.writeInt(VERSION_OFFSET, VERSION);
        bytes.writeInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH);
        bytes.writeInt(OBJECT_COUNT_OFFSET, objectCount);
        bytes.writeInt(DIRECTORY_CAPACITY_OFFSET, directoryCapacity);
        bytes.writeLong(DIRECTORY_OFFSET_OFFSET, HEADER_LENGTH);
        bytes.writeLong(DATA_OFFSET_OFFSET, dataOffset);
        bytes.writeLong(DATA_END_OFFSET, dataEnd);
        bytes.writeLong(NEXT_OID_OFFSET, lastOid + 1);
        bytes.writeInt(NODE_COUNT_OFFSET, nodes);
        bytes.writeInt(PAGE_COUNT_OFFSET, pages);
        bytes.writeInt(FLAGS_OFFSET, FLAG_CLEAN);
        bytes.writeInt(DIRECTORY_CRC_OFFSET,
            StoreIo.crc(bytes, HEADER_LENGTH, (long) objectCount * ENTRY_LENGTH, scratch, crc));
        StoreIo.sealHeader(bytes, scratch, crc);
        finished = true;
        close();
    }

    /** Releases the mapping; a writer closed before {@link #finish()} leaves no valid store. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        StoreIo.unmap(mapping);
        if (finished) {
            StoreIo.truncate(file, dataEnd);
        } else {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new StoreException(file + ": cannot remove the unfinished file: " + StoreIo.oneLine(e));
            }
        }
    }

    /** Bytes the finished file occupies. */
    public long length() {
        return dataEnd;
    }
}
