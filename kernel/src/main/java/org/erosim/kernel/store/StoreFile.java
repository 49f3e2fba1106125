package org.erosim.kernel.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytes;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.ObjectHeader;
import org.erosim.kernel.object.ObjectSource;

import static org.erosim.kernel.store.StoreDescriptor.*;

/**
 * A store file opened through a Chronicle Bytes {@link MappedBytes} mapping: the
 * {@link ObjectSource} the object cache faults objects in from and writes dirty objects
 * back to.
 *
 * <p><b>Opening</b> validates the header ({@link StoreHeader}) and the whole directory
 * (OIDs strictly increasing, known kinds, lengths that fit the kind and the reserved
 * capacity, records inside the data area, node bitmaps that agree with record lengths), so
 * that every later read stays inside the file: a corrupt or truncated file is a
 * {@link StoreFormatException} with one line naming the file and the problem, never an
 * index error. Overlapping records are left to {@link StoreChecker}.
 *
 * <p><b>Reads</b> are lazy: a binary search of the directory in the mapping, then a copy
 * of the record. Node records are compact (bitmap + non-void keys); reading expands them to
 * 32 keys with explicit void keys.
 *
 * <p><b>Writes</b> go in place when the new record fits the capacity reserved at its offset;
 * otherwise the record is appended at the data end (nodes with a full 516-byte capacity, so
 * a node moves at most once) and the directory entry is repointed; the old space is dead.
 * A new OID gets a directory entry inserted in OID order; a full directory is copied to the
 * data end with twice the capacity. While a writable store is open its CLEAN flag is clear;
 * {@link #close()} recomputes the directory checksum, sets CLEAN, releases the mapping and
 * trims the file to its data end. Checkpoint atomicity is not provided here.
 *
 * <p>Steady-state reads and writes allocate nothing. Not thread-safe.
 */
public final class StoreFile implements ObjectSource, AutoCloseable {
    private final Path file;
    /** The mapping (lifecycle only: acquire, remap, release). */
    private MappedBytes mapping;
    /** The single mapping's store: every access goes through it ({@link StoreIo#storeOf}). */
    private BytesStore<?, ?> bytes;
    /** Bytes mapped; a writable mapping reaches past the data end so that appends rarely remap. */
    private long capacity;
    private final boolean readOnly;
    private final StoreHeader h;
    private final byte[] scratch = new byte[1 << 16];
    private final CRC32C crc = new CRC32C();
    private boolean dirty;
    private boolean closed;

    private StoreFile(Path file, MappedBytes mapping, long capacity, boolean readOnly, StoreHeader h) {
        this.file = file;
        this.mapping = mapping;
        this.bytes = StoreIo.storeOf(file, mapping, capacity);
        this.capacity = capacity;
        this.readOnly = readOnly;
        this.h = h;
    }

    /** Opens a store for reading and writing. */
    public static StoreFile open(Path file) {
        return open(file, false);
    }

    /** Opens a store for reading only; writes throw {@link StoreException}. */
    public static StoreFile openReadOnly(Path file) {
        return open(file, true);
    }

    private static StoreFile open(Path file, boolean readOnly) {
        if (!Files.isRegularFile(file)) {
            throw new StoreException(file + ": no such store file");
        }
        long length = StoreIo.fileLength(file);
        if (length < HEADER_LENGTH) {
            throw new StoreFormatException(file + ": truncated: " + length
                + " bytes, shorter than the " + HEADER_LENGTH + "-byte store header");
        }
        long capacity = readOnly ? length : length + Math.max(StoreIo.GROWTH_MIN, length >> 3);
        MappedBytes bytes = StoreIo.map(file, readOnly, capacity);
        try {
            StoreFile s = new StoreFile(file, bytes, capacity, readOnly,
                StoreHeader.read(file, length, bytes, new byte[1 << 16], new CRC32C()));
            s.validateDirectory();
            return s;
        } catch (RuntimeException e) {
            StoreIo.unmap(bytes);
            if (!readOnly) {
                // A writable mapping extends the file; give it its length back.
                StoreIo.truncate(file, length);
            }
            throw e;
        }
    }

    private void validateDirectory() {
        long previous = 0;
        int nodes = 0;
        for (int i = 0; i < h.objectCount; i++) {
            long e = entryOffset(h.directoryOffset, i);
            long oid = bytes.readLong(e + ENTRY_OID_OFFSET);
            if (oid == previous && i > 0) {
                throw new StoreFormatException(file + ": duplicate OID " + oid + " in directory entries " + (i - 1) + " and " + i);
            }
            if (oid <= previous) {
                throw new StoreFormatException(file + ": directory entry " + i + " has OID " + oid
                    + (i == 0 ? ", not positive" : ", not above the previous OID " + previous));
            }
            previous = oid;
            int kind = bytes.readUnsignedByte(e + ENTRY_KIND_OFFSET);
            int length = bytes.readInt(e + ENTRY_LENGTH_OFFSET);
            int cap = bytes.readUnsignedShort(e + ENTRY_CAPACITY_OFFSET);
            long offset = bytes.readLong(e + ENTRY_RECORD_OFFSET);
            if (kind == KIND_NODE) {
                nodes++;
                if (cap > MAX_NODE_RECORD || length < BITMAP_LENGTH || length > cap
                    || (length - BITMAP_LENGTH) % KEY_LENGTH != 0) {
                    throw new StoreFormatException(file + ": OID " + oid + ": node record length " + length
                        + " / capacity " + cap + " impossible (4 + 16 n bytes, n <= 32)");
                }
            } else if (kind == KIND_PAGE) {
                if (!(length == 0 && cap == 0 || length == PAGE_RECORD && cap == PAGE_RECORD)) {
                    throw new StoreFormatException(file + ": OID " + oid + ": page record length " + length
                        + " / capacity " + cap + " impossible (0 for a zero page, else 4096)");
                }
            } else {
                throw new StoreFormatException(file + ": OID " + oid + ": unknown object kind " + kind);
            }
            if (cap != 0 && (offset < h.dataOffset || offset + cap > h.dataEnd)) {
                throw new StoreFormatException(file + ": OID " + oid + ": record [" + offset + ", " + (offset + cap)
                    + ") lies outside the data area [" + h.dataOffset + ", " + h.dataEnd + ")");
            }
            if (kind == KIND_NODE) {
                int bitmap = bytes.readInt(offset);
                if (nodeRecordLength(bitmap) != length) {
                    throw new StoreFormatException(file + ": OID " + oid + ": node bitmap has " + Integer.bitCount(bitmap)
                        + " slots but the record length " + length + " holds " + (length - BITMAP_LENGTH) / KEY_LENGTH + " keys");
                }
            }
        }
        if (nodes != h.nodeCount) {
            throw new StoreFormatException(file + ": directory holds " + nodes + " nodes, header says " + h.nodeCount);
        }
        if (h.objectCount > 0 && previous >= h.nextOid) {
            throw new StoreFormatException(file + ": next OID " + h.nextOid + " is not above the largest OID " + previous);
        }
    }

    // ------------------------------------------------------------------ queries

    public Path path() {
        return file;
    }

    public int objectCount() {
        return h.objectCount;
    }

    public int nodeCount() {
        return h.nodeCount;
    }

    public int pageCount() {
        return h.pageCount;
    }

    public long nextOid() {
        return h.nextOid;
    }

    /** Bytes of the file in use (header, directory, records, dead space). */
    public long dataEnd() {
        return h.dataEnd;
    }

    /** OID of directory entry {@code index} (0 .. objectCount-1, in OID order). */
    public long oidAt(int index) {
        checkOpen();
        checkIndex(index);
        return bytes.readLong(entryOffset(h.directoryOffset, index) + ENTRY_OID_OFFSET);
    }

    /** The kind of object {@code oid} ({@link #KIND_NODE}, {@link #KIND_PAGE}), or 0 if absent. */
    public int kind(long oid) {
        checkOpen();
        int i = find(oid);
        return i < 0 ? 0 : bytes.readUnsignedByte(entryOffset(h.directoryOffset, i) + ENTRY_KIND_OFFSET);
    }

    /** Whether page {@code oid} is stored as a zero page (no record). */
    public boolean isZeroPage(long oid) {
        checkOpen();
        int i = find(oid);
        return i >= 0 && bytes.readInt(entryOffset(h.directoryOffset, i) + ENTRY_LENGTH_OFFSET) == 0
            && bytes.readUnsignedByte(entryOffset(h.directoryOffset, i) + ENTRY_KIND_OFFSET) == KIND_PAGE;
    }

    // ------------------------------------------------------------------ ObjectSource

    @Override
    public boolean readNode(long oid, ObjectHeader header, MutableDirectBuffer keys, int offset) {
        checkOpen();
        int i = find(oid);
        if (i < 0) {
            return false;
        }
        long e = entryOffset(h.directoryOffset, i);
        if (bytes.readUnsignedByte(e + ENTRY_KIND_OFFSET) != KIND_NODE) {
            return false;
        }
        header.set(KIND_NODE, oid, bytes.readInt(e + ENTRY_ALLOCATION_COUNT_OFFSET), bytes.readInt(e + ENTRY_CALL_COUNT_OFFSET));
        long at = bytes.readLong(e + ENTRY_RECORD_OFFSET);
        int bitmap = bytes.readInt(at);
        long key = at + BITMAP_LENGTH;
        for (int slot = 0; slot < 32; slot++) {
            int o = offset + slot * KEY_LENGTH;
            if ((bitmap & (1 << slot)) != 0) {
                keys.putLong(o, bytes.readLong(key));
                keys.putLong(o + 8, bytes.readLong(key + 8));
                key += KEY_LENGTH;
            } else {
                keys.putLong(o, 0L);
                keys.putInt(o + 8, 0);
                keys.putInt(o + KeyDescriptor.TAIL_OFFSET, KeyDescriptor.VOID_TAIL);
            }
        }
        return true;
    }

    @Override
    public boolean readPage(long oid, ObjectHeader header, MutableDirectBuffer dst, int offset) {
        checkOpen();
        int i = find(oid);
        if (i < 0) {
            return false;
        }
        long e = entryOffset(h.directoryOffset, i);
        if (bytes.readUnsignedByte(e + ENTRY_KIND_OFFSET) != KIND_PAGE) {
            return false;
        }
        header.set(KIND_PAGE, oid, bytes.readInt(e + ENTRY_ALLOCATION_COUNT_OFFSET), 0);
        if (bytes.readInt(e + ENTRY_LENGTH_OFFSET) == 0) {
            dst.setMemory(offset, PAGE_RECORD, (byte) 0);
        } else {
            StoreIo.copyOut(bytes, bytes.readLong(e + ENTRY_RECORD_OFFSET), dst, offset, PAGE_RECORD);
        }
        return true;
    }

    @Override
    public void writeNode(ObjectHeader header, DirectBuffer keys, int offset) {
        checkWritable();
        int bitmap = 0;
        for (int slot = 0; slot < 32; slot++) {
            int tail = keys.getInt(offset + slot * KEY_LENGTH + KeyDescriptor.TAIL_OFFSET);
            if (KeyDescriptor.isPrepared(tail)) {
                throw new StoreException(file + ": OID " + header.oid + " slot " + slot
                    + ": a prepared key cannot be written to the store (deprepare first)");
            }
            if (KeyDescriptor.type(tail) != KeyType.VOID) {
                bitmap |= 1 << slot;
            }
        }
        int length = nodeRecordLength(bitmap);
        long e = entryFor(header, KIND_NODE, length, MAX_NODE_RECORD);
        long at = bytes.readLong(e + ENTRY_RECORD_OFFSET);
        bytes.writeInt(at, bitmap);
        long key = at + BITMAP_LENGTH;
        for (int slot = 0; slot < 32; slot++) {
            if ((bitmap & (1 << slot)) != 0) {
                int o = offset + slot * KEY_LENGTH;
                bytes.writeLong(key, keys.getLong(o));
                bytes.writeLong(key + 8, keys.getLong(o + 8));
                key += KEY_LENGTH;
            }
        }
    }

    @Override
    public void writePage(ObjectHeader header, DirectBuffer src, int offset) {
        checkWritable();
        int i = find(header.oid);
        boolean zero = isZero(src, offset);
        if (zero && (i < 0 || bytes.readUnsignedShort(entryOffset(h.directoryOffset, i) + ENTRY_CAPACITY_OFFSET) == 0)) {
            // An all-zero page with no record keeps (or gets) the record-less zero-page form.
            long e = entryFor(header, KIND_PAGE, 0, 0);
            bytes.writeInt(e + ENTRY_LENGTH_OFFSET, 0);
            return;
        }
        long e = entryFor(header, KIND_PAGE, PAGE_RECORD, PAGE_RECORD);
        StoreIo.copyIn(bytes, bytes.readLong(e + ENTRY_RECORD_OFFSET), src, offset, PAGE_RECORD);
    }

    @Override
    public long newOid(int kind) {
        checkWritable();
        if (kind != KIND_NODE && kind != KIND_PAGE) {
            throw new StoreException(file + ": newOid for unknown kind " + kind);
        }
        if (h.nextOid == Long.MAX_VALUE || h.objectCount >= Integer.MAX_VALUE / ENTRY_LENGTH - 1) {
            return -1;
        }
        markDirty();
        long oid = h.nextOid++;
        bytes.writeLong(NEXT_OID_OFFSET, h.nextOid);
        StoreIo.sealHeader(bytes, scratch, crc);
        return oid;
    }

    // ------------------------------------------------------------------ directory maintenance

    /**
     * The directory entry for {@code header.oid}, created if absent, updated with the
     * header's counts, with a record of at least {@code length} bytes reserved (appending
     * one of {@code appendCapacity} bytes when the current one is too small). Sets length.
     */
    private long entryFor(ObjectHeader header, int kind, int length, int appendCapacity) {
        markDirty();
        long oid = header.oid;
        int i = find(oid);
        long e;
        if (i >= 0) {
            e = entryOffset(h.directoryOffset, i);
            int k = bytes.readUnsignedByte(e + ENTRY_KIND_OFFSET);
            if (k != kind) {
                throw new StoreException(file + ": OID " + oid + " is a " + kindName(k) + ", cannot write it as a " + kindName(kind));
            }
            int alloc = bytes.readInt(e + ENTRY_ALLOCATION_COUNT_OFFSET);
            int calls = bytes.readInt(e + ENTRY_CALL_COUNT_OFFSET);
            if (Integer.compareUnsigned(header.allocationCount, alloc) < 0
                || kind == KIND_NODE && Integer.compareUnsigned(header.callCount, calls) < 0) {
                throw new StoreException(file + ": OID " + oid + ": counts only grow (stored allocation " + alloc + ", call "
                    + calls + "; written " + header.allocationCount + ", " + header.callCount + ")");
            }
        } else {
            if (oid <= 0) {
                throw new StoreException(file + ": OID " + oid + " is not positive");
            }
            e = insertEntry(oid, kind);
        }
        bytes.writeInt(e + ENTRY_ALLOCATION_COUNT_OFFSET, header.allocationCount);
        bytes.writeInt(e + ENTRY_CALL_COUNT_OFFSET, kind == KIND_NODE ? header.callCount : 0);
        if (bytes.readUnsignedShort(e + ENTRY_CAPACITY_OFFSET) < length) {
            e = ensure(h.dataEnd + appendCapacity, e);
            long at = h.dataEnd;
            bytes.zeroOut(at, at + appendCapacity);
            h.dataEnd += appendCapacity;
            bytes.writeLong(e + ENTRY_RECORD_OFFSET, at);
            bytes.writeShort(e + ENTRY_CAPACITY_OFFSET, (short) appendCapacity);
            writeHeaderFields();
        }
        bytes.writeInt(e + ENTRY_LENGTH_OFFSET, length);
        return e;
    }

    /** Inserts a zeroed entry for a new OID in OID order; returns its file offset. */
    private long insertEntry(long oid, int kind) {
        if (h.objectCount == h.directoryCapacity) {
            relocateDirectory();
        }
        int at = -(find(oid) + 1);
        // Shift the entries above up by one, from the top (new OIDs usually land at the end).
        for (int j = h.objectCount - 1; j >= at; j--) {
            long from = entryOffset(h.directoryOffset, j);
            for (int w = 0; w < ENTRY_LENGTH; w += 8) {
                bytes.writeLong(from + ENTRY_LENGTH + w, bytes.readLong(from + w));
            }
        }
        long e = entryOffset(h.directoryOffset, at);
        bytes.zeroOut(e, e + ENTRY_LENGTH);
        bytes.writeLong(e + ENTRY_OID_OFFSET, oid);
        bytes.writeByte(e + ENTRY_KIND_OFFSET, (byte) kind);
        h.objectCount++;
        if (kind == KIND_NODE) {
            h.nodeCount++;
        } else {
            h.pageCount++;
        }
        if (oid >= h.nextOid) {
            h.nextOid = oid + 1;
        }
        writeHeaderFields();
        return e;
    }

    /** Copies the directory to the data end with twice the capacity; the old one is dead space. */
    private void relocateDirectory() {
        int cap = (int) Math.min((long) Math.max(16, h.directoryCapacity) * 2, Integer.MAX_VALUE / ENTRY_LENGTH);
        if (cap <= h.directoryCapacity) {
            throw new StoreException(file + ": directory full (" + h.directoryCapacity + " entries)");
        }
        ensure(h.dataEnd + (long) cap * ENTRY_LENGTH, 0);
        long to = h.dataEnd;
        long used = (long) h.objectCount * ENTRY_LENGTH;
        bytes.zeroOut(to, to + (long) cap * ENTRY_LENGTH);
        for (long w = 0; w < used; w += 8) {
            bytes.writeLong(to + w, bytes.readLong(h.directoryOffset + w));
        }
        h.directoryOffset = to;
        h.directoryCapacity = cap;
        h.dataEnd = to + (long) cap * ENTRY_LENGTH;
        writeHeaderFields();
    }

    /**
     * Makes the mapping reach {@code end}, remapping (with room to grow) if it does not.
     * Offsets stay valid across a remap; returns {@code offset} for call-site convenience.
     */
    private long ensure(long end, long offset) {
        if (end > capacity) {
            capacity = Math.max(end + StoreIo.GROWTH_MIN, capacity + (capacity >> 1));
            StoreIo.unmap(mapping);
            mapping = StoreIo.map(file, false, capacity);
            bytes = StoreIo.storeOf(file, mapping, capacity);
        }
        return offset;
    }

    /**
     * Directory index of {@code oid}, or -(insertion point + 1) when absent. OIDs are dense
     * in practice (the builder numbers from 1, newOid counts up), so the entry at
     * {@code oid - firstOid} is tried first and usually is the one; otherwise it narrows a
     * binary search. Reads the mapping only; allocation-free.
     */
    private int find(long oid) {
        int lo = 0;
        int hi = h.objectCount - 1;
        if (hi < 0) {
            return -1;
        }
        long dir = h.directoryOffset;
        long guess = oid - bytes.readLong(dir);
        if (guess >= 0 && guess <= hi) {
            int g = (int) guess;
            long v = bytes.readLong(dir + (long) g * ENTRY_LENGTH);
            if (v == oid) {
                return g;
            }
            // OIDs strictly increase, so entry g holds an OID >= firstOid + g: oid lies below g.
            hi = g - 1;
        }
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = bytes.readLong(dir + (long) mid * ENTRY_LENGTH);
            if (v < oid) {
                lo = mid + 1;
            } else if (v > oid) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    private void markDirty() {
        if (!dirty) {
            dirty = true;
            h.flags &= ~FLAG_CLEAN;
            writeHeaderFields();
        }
    }

    private void writeHeaderFields() {
        bytes.writeInt(OBJECT_COUNT_OFFSET, h.objectCount);
        bytes.writeInt(DIRECTORY_CAPACITY_OFFSET, h.directoryCapacity);
        bytes.writeLong(DIRECTORY_OFFSET_OFFSET, h.directoryOffset);
        bytes.writeLong(DATA_END_OFFSET, h.dataEnd);
        bytes.writeLong(NEXT_OID_OFFSET, h.nextOid);
        bytes.writeInt(NODE_COUNT_OFFSET, h.nodeCount);
        bytes.writeInt(PAGE_COUNT_OFFSET, h.pageCount);
        bytes.writeInt(FLAGS_OFFSET, h.flags);
        StoreIo.sealHeader(bytes, scratch, crc);
    }

    private static boolean isZero(DirectBuffer src, int offset) {
        for (int i = 0; i < PAGE_RECORD; i += 8) {
            if (src.getLong(offset + i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** A closed store's mapping is gone: reading it must be an error, never a stray memory access. */
    private void checkOpen() {
        if (closed) {
            throw new StoreException(file + ": the store is closed");
        }
    }

    private void checkWritable() {
        checkOpen();
        if (readOnly) {
            throw new StoreException(file + ": the store is open read-only");
        }
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= h.objectCount) {
            throw new StoreException(file + ": directory index " + index + " out of range 0.." + (h.objectCount - 1));
        }
    }

    static String kindName(int kind) {
        return kind == KIND_NODE ? "node" : kind == KIND_PAGE ? "page" : "kind " + kind;
    }

    /**
     * Writes the directory checksum and sets CLEAN if anything changed since the store was
     * opened or last flushed, exactly as {@link #close} does, but keeps the store open: the
     * file is then a complete, checksummed store until the next write clears CLEAN again.
     * No fsync: the bytes are in the mapping (the OS page cache), not necessarily on disk.
     */
    @Override
    public void flush() {
        checkWritable();
        if (dirty) {
            h.directoryCrc = StoreIo.crc(bytes, h.directoryOffset, (long) h.objectCount * ENTRY_LENGTH, scratch, crc);
            h.flags |= FLAG_CLEAN;
            bytes.writeInt(DIRECTORY_CRC_OFFSET, h.directoryCrc);
            writeHeaderFields();
            dirty = false;
        }
    }

    /** Writes the directory checksum and CLEAN (if anything changed), unmaps and trims the file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (dirty) {
            h.directoryCrc = StoreIo.crc(bytes, h.directoryOffset, (long) h.objectCount * ENTRY_LENGTH, scratch, crc);
            h.flags |= FLAG_CLEAN;
            bytes.writeInt(DIRECTORY_CRC_OFFSET, h.directoryCrc);
            writeHeaderFields();
        }
        StoreIo.unmap(mapping);
        if (!readOnly) {
            StoreIo.truncate(file, h.dataEnd);
        }
    }
}
