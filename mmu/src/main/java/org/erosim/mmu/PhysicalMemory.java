package org.erosim.mmu;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The emulated machine's physical address space: RAM in one off-heap block, an optional ROM
 * window and memory-mapped I/O ranges.
 *
 * <pre>
 *  0 ................ ramSize          RAM (off-heap, zeroed)
 *  1 MiB - low ROM window .. 1 MiB     last min(romSize, 128 KiB) of the ROM, read-only
 *  4 GiB - romSize .. 4 GiB            the whole ROM, read-only
 *  MMIO ranges                         answered by an {@link MmioHandler}
 *  anything else                       open bus: reads all ones, writes are ignored
 * </pre>
 *
 * <p>RAM is allocated with Agrona's {@link UnsafeApi} so that it can exceed 2 GiB (up to
 * 3 GiB) and so that the CPU's TLB can hold direct host addresses. Every raw access made
 * here is bounds-checked against the block it targets; the CPU's fast path only uses host
 * addresses that {@link #hostPage} handed out, which are whole pages inside a block.
 *
 * <p>Invariant: a RAM page marked as code ({@link #markCode}) is never writable through a
 * TLB fast path (the TLB fill asks {@link #isCode}); every write to it comes through one of
 * the {@code write*} methods here, which report it to the {@link CodeWriteListener}.
 */
public final class PhysicalMemory implements AutoCloseable {
    public static final int PAGE_SHIFT = 12;
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    public static final long PAGE_MASK = PAGE_SIZE - 1;
    public static final long MAX_RAM = 3L << 30;
    /** Returned by {@link #hostPage} for pages with no direct host backing (MMIO, open bus). */
    public static final long NO_HOST = -1L;
    private static final long FOUR_GIB = 1L << 32;
    /** Read once: Unsafe.arrayBaseOffset is not an intrinsic, and bulk copies are on the invocation path. */
    private static final long BYTE_ARRAY_BASE = UnsafeApi.arrayBaseOffset(byte[].class);
    private static final long LOW_ROM_END = 1L << 20;
    private static final int MAX_LOW_ROM = 128 * 1024;

    private static final byte FLAG_CODE = 1;

    private final long ramBase;
    private final long ramSize;
    private final byte[] pageFlags;
    private long romBase;
    private long romSize;
    private long lowRomStart = LOW_ROM_END;
    private MmioRange[] mmio = new MmioRange[0];
    private CodeWriteListener codeListener;
    private boolean closed;

    private record MmioRange(long start, long end, MmioHandler handler) {
    }

    /**
     * Allocates {@code ramSize} bytes of zeroed RAM.
     *
     * @throws IllegalArgumentException if the size is not a positive multiple of 4 KiB or
     *     exceeds 3 GiB
     */
    public PhysicalMemory(long ramSize) {
        if (ramSize <= 0 || ramSize > MAX_RAM || (ramSize & PAGE_MASK) != 0) {
            throw new IllegalArgumentException(
                "RAM size must be a multiple of 4 KiB between 4 KiB and 3 GiB, got " + ramSize);
        }
        this.ramSize = ramSize;
        this.ramBase = UnsafeApi.allocateMemory(ramSize);
        UnsafeApi.setMemory(ramBase, ramSize, (byte) 0);
        this.pageFlags = new byte[(int) (ramSize >>> PAGE_SHIFT)];
    }

    public long ramSize() {
        return ramSize;
    }

    /** Host address of RAM byte 0; for flyweights that view RAM directly. */
    public long ramAddress() {
        return ramBase;
    }

    /**
     * An Agrona view of a RAM range (at most 2 GiB), for bulk work by loaders and the kernel.
     * Writes through the view bypass code invalidation; use {@link #writeBytes} for code, or
     * report them with {@link #hostWritten}.
     */
    public UnsafeBuffer ramView(long pa, int length) {
        checkRam(pa, length);
        return new UnsafeBuffer(ramBase + pa, length);
    }

    public void setCodeWriteListener(CodeWriteListener listener) {
        this.codeListener = listener;
    }

    /**
     * Maps a ROM image at the top of 4 GiB and its last {@code min(size, 128 KiB)} bytes
     * below 1 MiB, as a PC chipset does at reset.
     */
    public void mapRom(byte[] image) {
        if (image.length == 0 || (image.length & 0xFFFF) != 0 || image.length > (16 << 20)) {
            throw new IllegalArgumentException(
                "ROM size must be a non-zero multiple of 64 KiB up to 16 MiB, got " + image.length);
        }
        if (romBase != 0) {
            UnsafeApi.freeMemory(romBase);
        }
        romSize = image.length;
        romBase = UnsafeApi.allocateMemory(romSize);
        UnsafeApi.copyMemory(image, BYTE_ARRAY_BASE, null, romBase, romSize);
        lowRomStart = LOW_ROM_END - Math.min(romSize, MAX_LOW_ROM);
    }

    /** Routes physical range {@code [start, start + length)} to a device. */
    public void mapMmio(long start, long length, MmioHandler handler) {
        MmioRange[] n = java.util.Arrays.copyOf(mmio, mmio.length + 1);
        n[mmio.length] = new MmioRange(start, start + length, handler);
        mmio = n;
    }

    // ---------------------------------------------------------------- page classification

    /**
     * Host address of the 4 KiB physical page containing {@code pa}, or {@link #NO_HOST}
     * if it must be accessed through the slow path (MMIO, open bus).
     */
    public long hostPage(long pa) {
        long page = pa & ~PAGE_MASK;
        if (mmio.length != 0 && mmioOverlapsPage(page)) {
            return NO_HOST;
        }
        return backingPage(page);
    }

    /** Host address of the RAM or ROM page {@code page}, whether or not a device shares it. */
    private long backingPage(long page) {
        if (romSize != 0) {
            if (page >= lowRomStart && page < LOW_ROM_END) {
                return romBase + romSize - (LOW_ROM_END - page);
            }
            if (page >= FOUR_GIB - romSize && page < FOUR_GIB) {
                return romBase + (page - (FOUR_GIB - romSize));
            }
        }
        if (page < ramSize) {
            return ramBase + page;
        }
        return NO_HOST;
    }

    /** True if a page is RAM a TLB may write directly (not ROM, not MMIO, not code). */
    public boolean isFastWritable(long pa) {
        long page = pa & ~PAGE_MASK;
        if (page >= ramSize || isRomPage(page)) {
            return false;
        }
        if (mmio.length != 0 && mmioOverlapsPage(page)) {
            return false;
        }
        return pageFlags[(int) (page >>> PAGE_SHIFT)] == 0;
    }

    private boolean isRomPage(long page) {
        return romSize != 0 && ((page >= lowRomStart && page < LOW_ROM_END)
            || (page >= FOUR_GIB - romSize && page < FOUR_GIB));
    }

    // ---------------------------------------------------------------- code tracking

    /** Marks a RAM page as holding pre-decoded code; ROM and open bus need no mark. */
    public void markCode(long pa) {
        long page = pa >>> PAGE_SHIFT;
        if (pa < ramSize && !isRomPage(pa & ~PAGE_MASK)) {
            pageFlags[(int) page] |= FLAG_CODE;
        }
    }

    public void clearCode(long pa) {
        if (pa >= 0 && pa < ramSize) {
            pageFlags[(int) (pa >>> PAGE_SHIFT)] &= ~FLAG_CODE;
        }
    }

    public boolean isCode(long pa) {
        return pa >= 0 && pa < ramSize && (pageFlags[(int) (pa >>> PAGE_SHIFT)] & FLAG_CODE) != 0;
    }

    // ---------------------------------------------------------------- slow-path access
    // Each of these accesses bytes within one page; callers split page-crossing accesses.

    public int read8(long pa) {
        long h = hostByte(pa);
        if (h != NO_HOST) {
            return UnsafeApi.getByte(h) & 0xFF;
        }
        MmioRange r = mmioAt(pa);
        if (r != null) {
            return r.handler.read(pa, 1) & 0xFF;
        }
        // RAM or ROM on a page it shares with a device range is still memory (writes reach it)
        long b = backingPage(pa & ~PAGE_MASK);
        return b != NO_HOST ? UnsafeApi.getByte(b + (pa & PAGE_MASK)) & 0xFF : 0xFF;
    }

    public int read16(long pa) {
        long h = hostByte(pa);
        if (h != NO_HOST && (pa & PAGE_MASK) <= PAGE_SIZE - 2) {
            return UnsafeApi.getShort(h) & 0xFFFF;
        }
        MmioRange r = mmioAt(pa);
        if (r != null) {
            return r.handler.read(pa, 2) & 0xFFFF;
        }
        return read8(pa) | (read8(pa + 1) << 8);
    }

    public int read32(long pa) {
        long h = hostByte(pa);
        if (h != NO_HOST && (pa & PAGE_MASK) <= PAGE_SIZE - 4) {
            return UnsafeApi.getInt(h);
        }
        MmioRange r = mmioAt(pa);
        if (r != null) {
            return r.handler.read(pa, 4);
        }
        return read16(pa) | (read16(pa + 2) << 16);
    }

    public void write8(long pa, int v) {
        if (pa >= 0 && pa < ramSize && !isRomPage(pa & ~PAGE_MASK) && (mmio.length == 0 || mmioAt(pa) == null)) {
            UnsafeApi.putByte(ramBase + pa, (byte) v);
            noteWrite(pa, 1);
            return;
        }
        MmioRange r = mmioAt(pa);
        if (r != null) {
            r.handler.write(pa, 1, v & 0xFF);
        }
    }

    public void write16(long pa, int v) {
        if ((pa & PAGE_MASK) <= PAGE_SIZE - 2 && pa >= 0 && pa < ramSize && !isRomPage(pa & ~PAGE_MASK)
            && (mmio.length == 0 || mmioAt(pa) == null)) {
            UnsafeApi.putShort(ramBase + pa, (short) v);
            noteWrite(pa, 2);
            return;
        }
        MmioRange r = mmioAt(pa);
        if (r != null) {
            r.handler.write(pa, 2, v & 0xFFFF);
            return;
        }
        write8(pa, v);
        write8(pa + 1, v >>> 8);
    }

    public void write32(long pa, int v) {
        if ((pa & PAGE_MASK) <= PAGE_SIZE - 4 && pa >= 0 && pa < ramSize && !isRomPage(pa & ~PAGE_MASK)
            && (mmio.length == 0 || mmioAt(pa) == null)) {
            UnsafeApi.putInt(ramBase + pa, v);
            noteWrite(pa, 4);
            return;
        }
        MmioRange r = mmioAt(pa);
        if (r != null) {
            r.handler.write(pa, 4, v);
            return;
        }
        write16(pa, v);
        write16(pa + 2, v >>> 16);
    }

    private void noteWrite(long pa, int n) {
        if ((pageFlags[(int) (pa >>> PAGE_SHIFT)] & FLAG_CODE) != 0 && codeListener != null) {
            codeListener.codeWritten(pa, n);
        }
    }

    /** Host-side bulk write (loaders, DMA); honours ROM, MMIO and code invalidation. */
    public void writeBytes(long pa, byte[] src, int off, int len) {
        for (int i = 0; i < len; ) {
            long p = pa + i;
            int chunk = (int) Math.min(len - i, PAGE_SIZE - (p & PAGE_MASK));
            if (p >= 0 && p + chunk <= ramSize && !isRomPage(p & ~PAGE_MASK)
                && (mmio.length == 0 || mmioAt(p) == null)) {
                UnsafeApi.copyMemory(src, BYTE_ARRAY_BASE + off + i, null, ramBase + p, chunk);
                noteWrite(p, chunk);
            } else {
                for (int k = 0; k < chunk; k++) {
                    write8(p + k, src[off + i + k]);
                }
            }
            i += chunk;
        }
    }

    /**
     * Host-side bulk read (the kernel reading invocation descriptors and strings). Same bytes
     * as {@link #read8} one by one: a page with a host address (RAM or ROM that no device
     * range overlaps) is copied in one go, any other page byte by byte through read8.
     */
    public void readBytes(long pa, byte[] dst, int off, int len) {
        for (int i = 0; i < len; ) {
            long p = pa + i;
            int chunk = (int) Math.min(len - i, PAGE_SIZE - (p & PAGE_MASK));
            long h = p >= 0 ? hostPage(p) : NO_HOST;
            if (h != NO_HOST) {
                UnsafeApi.copyMemory(null, h + (p & PAGE_MASK), dst, BYTE_ARRAY_BASE + off + i, chunk);
            } else {
                for (int k = 0; k < chunk; k++) {
                    dst[off + i + k] = (byte) read8(p + k);
                }
            }
            i += chunk;
        }
    }

    /** Fills RAM range with zeroes (host-side; honours code invalidation). */
    public void zero(long pa, long len) {
        checkRam(pa, len);
        UnsafeApi.setMemory(ramBase + pa, len, (byte) 0);
        hostWritten(pa, len);
    }

    /**
     * Reports that the host changed RAM range {@code [pa, pa + len)} behind this class's
     * back, through a {@link #ramView} (a kernel loading a page from its store, say): the
     * code listener drops the decoded instructions of every code page in the range, exactly
     * as for a write through {@link #writeBytes}.
     */
    public void hostWritten(long pa, long len) {
        checkRam(pa, len);
        for (long p = pa & ~PAGE_MASK; p < pa + len; p += PAGE_SIZE) {
            if (isCode(p) && codeListener != null) {
                long s = Math.max(p, pa);
                long e = Math.min(p + PAGE_SIZE, pa + len);
                codeListener.codeWritten(s, (int) (e - s));
            }
        }
    }

    public boolean isRam(long pa, long len) {
        return pa >= 0 && len >= 0 && pa + len <= ramSize;
    }

    private void checkRam(long pa, long len) {
        if (!isRam(pa, len)) {
            throw new IndexOutOfBoundsException(
                String.format("physical range 0x%x+0x%x is outside RAM (0x%x bytes)", pa, len, ramSize));
        }
    }

    private long hostByte(long pa) {
        long hp = hostPage(pa);
        return hp == NO_HOST ? NO_HOST : hp + (pa & PAGE_MASK);
    }

    private boolean mmioOverlapsPage(long page) {
        for (MmioRange r : mmio) {
            if (r.start < page + PAGE_SIZE && r.end > page) {
                return true;
            }
        }
        return false;
    }

    private MmioRange mmioAt(long pa) {
        for (MmioRange r : mmio) {
            if (pa >= r.start && pa < r.end) {
                return r;
            }
        }
        return null;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            UnsafeApi.freeMemory(ramBase);
            if (romBase != 0) {
                UnsafeApi.freeMemory(romBase);
            }
        }
    }
}
