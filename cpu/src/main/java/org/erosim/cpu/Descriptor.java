package org.erosim.cpu;

/**
 * Reading and decoding segment and gate descriptors from the GDT/LDT/IDT.
 *
 * <p>A descriptor is handled as a {@code long} (low dword in bits 0-31) so nothing is
 * allocated. Table accesses are supervisor accesses whatever the CPL.
 */
final class Descriptor {
    private Descriptor() {
    }

    static final int TYPE_TSS16_AVAIL = 1;
    static final int TYPE_LDT = 2;
    static final int TYPE_TSS16_BUSY = 3;
    static final int TYPE_CALLGATE16 = 4;
    static final int TYPE_TASKGATE = 5;
    static final int TYPE_INTGATE16 = 6;
    static final int TYPE_TRAPGATE16 = 7;
    static final int TYPE_TSS32_AVAIL = 9;
    static final int TYPE_TSS32_BUSY = 11;
    static final int TYPE_CALLGATE32 = 12;
    static final int TYPE_INTGATE32 = 14;
    static final int TYPE_TRAPGATE32 = 15;

    /** Returned by {@link #read} when the selector is beyond its table's limit. */
    static final long OUT_OF_LIMIT = Long.MIN_VALUE;

    /** Linear address of the descriptor for {@code selector}, or -1 beyond the table limit. */
    static long address(Cpu c, int selector) {
        int index = selector & 0xFFF8;
        int base;
        int limit;
        if ((selector & 4) != 0) {
            if ((c.sel[Reg.LDTR] & 0xFFFC) == 0 || (c.segAttr[Reg.LDTR] & 0x80) == 0) {
                return -1;
            }
            base = c.segBase[Reg.LDTR];
            limit = c.segLimit[Reg.LDTR];
        } else {
            base = c.gdtBase;
            limit = c.gdtLimit;
        }
        if (Integer.compareUnsigned(index + 7, limit) > 0) {
            return -1;
        }
        return (base + index) & 0xFFFFFFFFL;
    }

    static long read(Cpu c, int selector) {
        long a = address(c, selector);
        if (a < 0) {
            return OUT_OF_LIMIT;
        }
        int lo = c.readSys32((int) a);
        int hi = c.readSys32((int) a + 4);
        return (lo & 0xFFFFFFFFL) | ((long) hi << 32);
    }

    static int hi(long d) {
        return (int) (d >>> 32);
    }

    static int lo(long d) {
        return (int) d;
    }

    static int base(long d) {
        int lo = lo(d);
        int hi = hi(d);
        return (lo >>> 16) | ((hi & 0xFF) << 16) | (hi & 0xFF000000);
    }

    static int limit(long d) {
        int l = (lo(d) & 0xFFFF) | (hi(d) & 0xF0000);
        return (hi(d) & 0x800000) != 0 ? (l << 12) | 0xFFF : l;
    }

    /** Access rights in the cache format: type/S/DPL/P in bits 0-7, AVL/L/DB/G in 12-15. */
    static int attr(long d) {
        return (hi(d) >>> 8) & 0xF0FF;
    }

    static int type(long d) {
        return (hi(d) >>> 8) & 0xF;
    }

    /** S bit: code or data segment (as opposed to a system descriptor). */
    static boolean isSegment(long d) {
        return (hi(d) & 0x1000) != 0;
    }

    static boolean isCode(long d) {
        return isSegment(d) && (hi(d) & 0x800) != 0;
    }

    static boolean isConforming(long d) {
        return isCode(d) && (hi(d) & 0x400) != 0;
    }

    static boolean isReadable(long d) {
        return !isCode(d) || (hi(d) & 0x200) != 0;
    }

    static boolean isWritableData(long d) {
        return isSegment(d) && !isCode(d) && (hi(d) & 0x200) != 0;
    }

    static int dpl(long d) {
        return (hi(d) >>> 13) & 3;
    }

    static boolean present(long d) {
        return (hi(d) & 0x8000) != 0;
    }

    /** Gate fields. */
    static int gateSelector(long d) {
        return lo(d) >>> 16;
    }

    static int gateOffset(long d, boolean is32) {
        int off = lo(d) & 0xFFFF;
        return is32 ? off | (hi(d) & 0xFFFF0000) : off;
    }

    static int gateParams(long d) {
        return hi(d) & 0x1F;
    }

    /** Sets the accessed bit of a code/data descriptor in memory if it is clear. */
    static void setAccessed(Cpu c, int selector, long d) {
        if ((hi(d) & 0x100) == 0) {
            long a = address(c, selector);
            if (a >= 0) {
                c.writeSys32((int) a + 4, hi(d) | 0x100);
            }
        }
    }

    /** Loads a descriptor cache from a descriptor (with the accessed bit set). */
    static void loadCache(Cpu c, int s, int selector, long d) {
        c.setSegmentCache(s, selector, base(d), limit(d), attr(d) | 0x1);
    }
}
