package org.erosim.kernel.store;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.bytes.RandomDataInput;
import net.openhft.chronicle.bytes.RandomDataOutput;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Low-level helpers shared by the writer, the store file and the checker: mapping a file
 * with Chronicle Bytes, checksums, copying between a mapping and Agrona buffers.
 */
final class StoreIo {
    /** Room a writable mapping gets beyond what is needed now, so that appends rarely remap. */
    static final long GROWTH_MIN = 1L << 20;

    private StoreIo() {
    }

    /**
     * Maps {@code capacity} bytes of {@code file} as ONE mapping. A chunked Chronicle mapping
     * keeps only one chunk current and unmaps it when an access moves to another chunk, so
     * alternating between the directory and the records (every lookup) would remap each
     * time (measured: 100 µs per object on a 224 MB store). A writable mapping longer than
     * the file extends it (sparse); the owner trims the file to its data end on close.
     */
    static MappedBytes map(Path file, boolean readOnly, long capacity) {
        try {
            MappedBytes bytes = MappedBytes.singleMappedBytes(file.toFile(), capacity, readOnly);
            // The kernel may open a store on one thread and run it on another.
            bytes.singleThreadedCheckDisabled(true);
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new StoreException(file + ": cannot map the file: " + oneLine(e));
        } catch (LinkageError e) {
            // Chronicle initialises itself reflectively on first use.
            throw new StoreException(file + ": cannot map the file: Chronicle Bytes failed to initialise ("
                + oneLine(e.getCause() != null ? e.getCause() : e) + "); the JVM needs the options in docs/store-format.md");
        }
    }

    /**
     * The store behind a single mapping, for random access without {@link MappedBytes}'
     * per-call chunk bookkeeping (measured: scattered node reads 1000 ns -> 460 ns). The
     * mapping acquires its store on first access, hence the read of offset 0.
     */
    static BytesStore<?, ?> storeOf(Path file, MappedBytes bytes, long capacity) {
        bytes.readInt(0);
        BytesStore<?, ?> store = bytes.bytesStore();
        if (store == null || store.start() != 0 || store.safeLimit() < capacity) {
            throw new StoreException(file + ": cannot map the file: the mapping does not cover " + capacity + " bytes");
        }
        return store;
    }

    /**
     * Releases a mapping and unmaps the file now. Chronicle Bytes 2.26 leaves one
     * reservation on a single mapping's store after both the bytes and the mapped file are
     * released, so the file would stay mapped forever (measured: one leaked mapping per
     * open, 40 000 after 20 000 open/check cycles); dropping that reservation unmaps it.
     */
    static void unmap(MappedBytes mapping) {
        BytesStore<?, ?> store = mapping.bytesStore();
        mapping.releaseLast();
        if (store instanceof MappedBytesStore && store.refCount() > 0) {
            store.releaseLast();
        }
        // Chronicle unmaps on its background releaser thread; wait for it, so that a closed
        // store is unmapped when close returns (a test counts mappings in /proc/self/maps,
        // and a busy machine could otherwise see the mapping still there).
        net.openhft.chronicle.core.io.BackgroundResourceReleaser.releasePendingResources();
    }

    static long fileLength(Path file) {
        try {
            return java.nio.file.Files.size(file);
        } catch (IOException e) {
            throw new StoreException(file + ": cannot read the file: " + oneLine(e));
        }
    }

    static void truncate(Path file, long length) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        } catch (IOException e) {
            throw new StoreException(file + ": cannot set the file length: " + oneLine(e));
        }
    }

    /** CRC32C of [from, from + length) of the mapping, via a caller-owned scratch array. */
    static int crc(RandomDataInput bytes, long from, long length, byte[] scratch, CRC32C crc) {
        // Random-access reads only: Chronicle's bulk read(offset, byte[]) is bounded by the
        // streaming read limit, which a store never uses. length is a multiple of 4.
        crc.reset();
        long at = from;
        long end = from + length;
        while (at < end) {
            int n = (int) Math.min(scratch.length, end - at);
            int i = 0;
            for (; i + 8 <= n; i += 8) {
                long v = bytes.readLong(at + i);
                for (int k = 0; k < 8; k++) {
                    scratch[i + k] = (byte) (v >>> (8 * k));
                }
            }
            for (; i < n; i += 4) {
                int v = bytes.readInt(at + i);
                for (int k = 0; k < 4; k++) {
                    scratch[i + k] = (byte) (v >>> (8 * k));
                }
            }
            crc.update(scratch, 0, n);
            at += n;
        }
        return (int) crc.getValue();
    }

    /** Recomputes and stores the header CRC. */
    static <T extends RandomDataInput & RandomDataOutput<?>> void sealHeader(T bytes, byte[] scratch, CRC32C crc) {
        bytes.writeInt(StoreDescriptor.HEADER_CRC_OFFSET,
            crc(bytes, 0, StoreDescriptor.HEADER_CRC_OFFSET, scratch, crc));
    }

    /** Copies {@code length} bytes (a multiple of 4) from an Agrona buffer into the mapping. */
    static void copyIn(RandomDataOutput<?> bytes, long at, DirectBuffer src, int offset, int length) {
        byte[] array = src.byteArray();
        if (array != null) {
            bytes.write(at, array, src.wrapAdjustment() + offset, length);
            return;
        }
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            bytes.writeLong(at + i, src.getLong(offset + i));
        }
        for (; i < length; i += 4) {
            bytes.writeInt(at + i, src.getInt(offset + i));
        }
    }

    /** Copies {@code length} bytes (a multiple of 4) from the mapping into an Agrona buffer. */
    static void copyOut(RandomDataInput bytes, long at, MutableDirectBuffer dst, int offset, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            dst.putLong(offset + i, bytes.readLong(at + i));
        }
        for (; i < length; i += 4) {
            dst.putInt(offset + i, bytes.readInt(at + i));
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
