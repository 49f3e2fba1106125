package org.erosim.kernel.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import static org.erosim.kernel.store.StoreDescriptor.*;

/**
 * Test helper: a store file as a plain byte array, for patching bytes to build corrupt or
 * inconsistent files. {@link #save(boolean)} can re-seal the checksums so that a test reaches
 * the check it aims at instead of stopping at "checksum mismatch".
 */
final class StoreBytes {
    final Path file;
    final ByteBuffer buf;

    StoreBytes(Path file) throws IOException {
        this.file = file;
        this.buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    }

    int objectCount() {
        return buf.getInt(OBJECT_COUNT_OFFSET);
    }

    long directoryOffset() {
        return buf.getLong(DIRECTORY_OFFSET_OFFSET);
    }

    /** File offset of the directory entry of {@code oid}. */
    int entry(long oid) {
        for (int i = 0; i < objectCount(); i++) {
            int e = (int) entryOffset(directoryOffset(), i);
            if (buf.getLong(e) == oid) {
                return e;
            }
        }
        throw new AssertionError("no OID " + oid);
    }

    int entryAt(int index) {
        return (int) entryOffset(directoryOffset(), index);
    }

    int record(long oid) {
        return (int) buf.getLong(entry(oid) + ENTRY_RECORD_OFFSET);
    }

    /** File offset of the key in {@code slot} of node {@code oid} (the slot must be non-void). */
    int key(long oid, int slot) {
        int at = record(oid);
        int bitmap = buf.getInt(at);
        if ((bitmap & (1 << slot)) == 0) {
            throw new AssertionError("OID " + oid + " slot " + slot + " is void");
        }
        return at + BITMAP_LENGTH + Integer.bitCount(bitmap & ((1 << slot) - 1)) * KEY_LENGTH;
    }

    void save(boolean reseal) throws IOException {
        if (reseal) {
            CRC32C crc = new CRC32C();
            long dirEnd = directoryOffset() + (long) objectCount() * ENTRY_LENGTH;
            if (directoryOffset() >= 0 && objectCount() >= 0 && dirEnd <= buf.capacity()) {
                // (a directory moved outside the file keeps its stale checksum: the range check fails first)
                crc.update(buf.array(), (int) directoryOffset(), objectCount() * ENTRY_LENGTH);
                buf.putInt(DIRECTORY_CRC_OFFSET, (int) crc.getValue());
            }
            crc.reset();
            crc.update(buf.array(), 0, HEADER_CRC_OFFSET);
            buf.putInt(HEADER_CRC_OFFSET, (int) crc.getValue());
        }
        Files.write(file, buf.array());
    }

    void truncate(int length) throws IOException {
        byte[] b = new byte[length];
        System.arraycopy(buf.array(), 0, b, 0, length);
        Files.write(file, b);
    }
}
