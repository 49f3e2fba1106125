package org.erosim.kernel.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32C;

import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytes;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.RedSegmentFormat;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.key.KeyDescriptor;

import static org.erosim.kernel.object.ObjectSource.KIND_NODE;
import static org.erosim.kernel.object.ObjectSource.KIND_PAGE;
import static org.erosim.kernel.store.StoreDescriptor.*;

/**
 * The offline consistency checker (kernel.md §12) for a store file: it reads the file
 * through its own read-only mapping, without trusting the directory, and reports every
 * inconsistency it finds as one line naming the OID and slot. Only a header that cannot be
 * trusted (truncated, bad magic, bad checksum, directory outside the file) stops it, with a
 * {@link StoreFormatException}.
 *
 * <p>What it verifies:
 * <ul>
 * <li>directory: OIDs positive, strictly increasing (so unique), known kinds, record lengths
 *     possible for the kind, records inside the data area and not overlapping each other or
 *     the directory, header object counts, next OID above every OID;</li>
 * <li>node records: bitmap agrees with the record length, no void key stored explicitly;</li>
 * <li>every key: a valid type, no flags (no PREPARED key on disk), only defined restriction
 *     bits, keyData as its type allows (segment height 1..4, resume FAULT bit only, zero for
 *     the rest), zero body for void and kernel keys;</li>
 * <li>every object key names an existing object of the right kind: page key → page,
 *     node/segment key → node, start/process/resume key → a process root (a node whose slot
 *     3 is a node key to another node);</li>
 * <li>counts: a key's count above its object's (allocation count; call count for resume
 *     keys) is impossible; below is a stale key, legal (void at its next preparation) and
 *     counted in {@link Report#staleKeys()};</li>
 * <li>red segments (nodes named by a segment key whose slot 31 holds a number key): a
 *     well-formed format key ({@link RedSegmentFormat#isWellFormed});</li>
 * <li>process roots: number keys in slots 8-13, run state 0..2; a current resume key only
 *     to a WAITING process.</li>
 * </ul>
 * The first {@code maxListed} findings are kept as text; {@link Report#findingCount()} counts
 * them all.
 */
public final class StoreChecker {
    /** Findings kept as text by {@link #check(Path)}; the count is always exact. */
    public static final int DEFAULT_MAX_LISTED = 10_000;

    private static final byte FLAG_ROOT = 1;
    private static final byte FLAG_SEGMENT = 2;
    private static final byte FLAG_RECORD_OK = 4;
    /** A process root: shaped like one, and named by a process key or holding a run state (below). */
    private static final byte FLAG_PROCESS = 8;

    private final Path file;
    private final BytesStore<?, ?> bytes;
    private final StoreHeader h;
    private final Report report;

    // Valid directory entries, sorted by OID.
    private int n;
    private long[] oid;
    private long[] offset;
    private byte[] kind;
    private int[] alloc;
    private int[] calls;
    private int[] lengths;
    private int[] caps;
    private byte[] flags;
    private byte[] runState;

    private StoreChecker(Path file, BytesStore<?, ?> bytes, StoreHeader h, int maxListed) {
        this.file = file;
        this.bytes = bytes;
        this.h = h;
        this.report = new Report(maxListed);
    }

    /** Checks {@code file}; throws {@link StoreFormatException} if its header is unusable. */
    public static Report check(Path file) {
        return check(file, DEFAULT_MAX_LISTED);
    }

    public static Report check(Path file, int maxListed) {
        if (!Files.isRegularFile(file)) {
            throw new StoreException(file + ": no such store file");
        }
        long length = StoreIo.fileLength(file);
        if (length < HEADER_LENGTH) {
            throw new StoreFormatException(file + ": truncated: " + length
                + " bytes, shorter than the " + HEADER_LENGTH + "-byte store header");
        }
        MappedBytes bytes = StoreIo.map(file, true, length);
        try {
            StoreHeader h = StoreHeader.read(file, length, bytes, new byte[1 << 16], new CRC32C());
            StoreChecker c = new StoreChecker(file, StoreIo.storeOf(file, bytes, length), h, maxListed);
            c.run();
            return c.report;
        } finally {
            StoreIo.unmap(bytes);
        }
    }

    private void run() {
        readDirectory();
        checkOverlaps();
        classifyNodes();
        for (int i = 0; i < n; i++) {
            if (kind[i] == KIND_NODE && (flags[i] & FLAG_RECORD_OK) != 0) {
                checkKeys(i);
            }
        }
        report.processes = 0;
        for (int i = 0; i < n; i++) {
            if (kind[i] == KIND_NODE && (flags[i] & FLAG_RECORD_OK) != 0) {
                if ((flags[i] & FLAG_SEGMENT) != 0) {
                    checkRedSegment(i);
                }
                if ((flags[i] & FLAG_PROCESS) != 0) {
                    report.processes++;
                    checkProcessRoot(i);
                }
            }
        }
    }

    // ------------------------------------------------------------------ directory

    private void readDirectory() {
        int count = h.objectCount;
        oid = new long[count];
        offset = new long[count];
        kind = new byte[count];
        alloc = new int[count];
        calls = new int[count];
        lengths = new int[count];
        caps = new int[count];
        int nodes = 0;
        int pages = 0;
        long previous = 0;
        boolean sorted = true;
        for (int i = 0; i < count; i++) {
            long e = entryOffset(h.directoryOffset, i);
            long id = bytes.readLong(e + ENTRY_OID_OFFSET);
            int k = bytes.readUnsignedByte(e + ENTRY_KIND_OFFSET);
            int length = bytes.readInt(e + ENTRY_LENGTH_OFFSET);
            int cap = bytes.readUnsignedShort(e + ENTRY_CAPACITY_OFFSET);
            long at = bytes.readLong(e + ENTRY_RECORD_OFFSET);
            String where = "directory entry " + i + " (OID " + id + ")";
            if (id <= 0) {
                report.add(where + ": OID is not positive");
                continue;
            }
            if (id <= previous) {
                sorted = false;
            }
            previous = Math.max(previous, id);
            if (k == KIND_NODE) {
                nodes++;
                if (cap > MAX_NODE_RECORD || length < BITMAP_LENGTH || length > cap || (length - BITMAP_LENGTH) % KEY_LENGTH != 0) {
                    report.add(where + ": node record length " + length + " / capacity " + cap
                        + " impossible (4 + 16 n bytes, n <= 32, within the capacity)");
                    continue;
                }
            } else if (k == KIND_PAGE) {
                pages++;
                if (!(length == 0 && cap == 0 || length == PAGE_RECORD && cap == PAGE_RECORD)) {
                    report.add(where + ": page record length " + length + " / capacity " + cap
                        + " impossible (0 for a zero page, else 4096)");
                    continue;
                }
            } else {
                report.add(where + ": unknown object kind " + k);
                continue;
            }
            if (cap != 0 && (at < h.dataOffset || at + cap > h.dataEnd)) {
                report.add(where + ": record [" + at + ", " + (at + cap) + ") lies outside the data area ["
                    + h.dataOffset + ", " + h.dataEnd + ")");
                continue;
            }
            oid[n] = id;
            offset[n] = cap == 0 ? -1 : at;
            kind[n] = (byte) k;
            alloc[n] = bytes.readInt(e + ENTRY_ALLOCATION_COUNT_OFFSET);
            calls[n] = bytes.readInt(e + ENTRY_CALL_COUNT_OFFSET);
            lengths[n] = length;
            caps[n] = cap;
            if (k == KIND_PAGE && calls[n] != 0) {
                report.add("OID " + id + ": page has a call count (" + calls[n] + "); only nodes have one");
            }
            n++;
        }
        if (nodes != h.nodeCount || pages != h.pageCount) {
            report.add("header: counts " + h.nodeCount + " nodes, " + h.pageCount + " pages; the directory holds "
                + nodes + " nodes, " + pages + " pages");
        }
        if (count > 0 && previous >= h.nextOid) {
            report.add("header: next OID " + h.nextOid + " is not above the largest OID " + previous
                + " (a new object would reuse an OID)");
        }
        if (!sorted) {
            sortByOid();
        }
        // Duplicates are adjacent now; keep the first, report the rest.
        int w = 0;
        for (int r = 0; r < n; r++) {
            if (w > 0 && oid[r] == oid[w - 1]) {
                report.add("OID " + oid[r] + ": duplicate directory entry");
                continue;
            }
            move(r, w++);
        }
        if (!sorted) {
            report.add("directory: entries are not in strictly increasing OID order");
        }
        n = w;
        report.objects = n;
        for (int i = 0; i < n; i++) {
            if (kind[i] == KIND_NODE) {
                report.nodes++;
            } else {
                report.pages++;
            }
        }
        flags = new byte[n];
        runState = new byte[n];
        Arrays.fill(runState, (byte) -1);
    }

    private void sortByOid() {
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Long.compare(oid[a], oid[b]));
        long[] o2 = new long[n];
        long[] off2 = new long[n];
        byte[] k2 = new byte[n];
        int[] a2 = new int[n];
        int[] c2 = new int[n];
        int[] l2 = new int[n];
        int[] cap2 = new int[n];
        for (int i = 0; i < n; i++) {
            int j = idx[i];
            l2[i] = lengths[j];
            cap2[i] = caps[j];
            o2[i] = oid[j];
            off2[i] = offset[j];
            k2[i] = kind[j];
            a2[i] = alloc[j];
            c2[i] = calls[j];
        }
        oid = o2;
        offset = off2;
        kind = k2;
        alloc = a2;
        calls = c2;
        lengths = l2;
        caps = cap2;
    }

    private void move(int from, int to) {
        oid[to] = oid[from];
        offset[to] = offset[from];
        kind[to] = kind[from];
        alloc[to] = alloc[from];
        calls[to] = calls[from];
        lengths[to] = lengths[from];
        caps[to] = caps[from];
    }

    /** Records may not overlap each other or the directory. */
    private void checkOverlaps() {
        // Records are written in OID order, so the starts are nearly sorted; an index merge
        // sort on primitives keeps this O(n log n) without boxing.
        int m = 0;
        long[] start = new long[n + 1];
        long[] end = new long[n + 1];
        long[] who = new long[n + 1];
        for (int i = 0; i < n; i++) {
            if (offset[i] >= 0) {
                start[m] = offset[i];
                end[m] = offset[i] + caps[i];
                who[m] = oid[i];
                m++;
            }
        }
        start[m] = h.directoryOffset;
        end[m] = h.directoryOffset + (long) h.directoryCapacity * ENTRY_LENGTH;
        who[m] = 0; // the directory
        m++;
        int[] order = sortedByStart(start, m);
        long maxEnd = -1;
        long maxWho = -1;
        for (int r = 0; r < m; r++) {
            int i = order[r];
            if (start[i] < maxEnd) {
                report.add(name(who[i]) + " [" + start[i] + ", " + end[i] + ") overlaps " + name(maxWho));
            }
            if (end[i] > maxEnd) {
                maxEnd = end[i];
                maxWho = who[i];
            }
        }
    }

    private static String name(long who) {
        return who == 0 ? "the directory" : "the record of OID " + who;
    }

    private static int[] sortedByStart(long[] start, int m) {
        int[] idx = new int[m];
        for (int i = 0; i < m; i++) {
            idx[i] = i;
        }
        int[] tmp = new int[m];
        for (int width = 1; width < m; width <<= 1) {
            for (int lo = 0; lo < m; lo += width << 1) {
                int mid = Math.min(lo + width, m);
                int hi = Math.min(lo + (width << 1), m);
                int a = lo;
                int b = mid;
                int t = lo;
                while (a < mid && b < hi) {
                    tmp[t++] = start[idx[a]] <= start[idx[b]] ? idx[a++] : idx[b++];
                }
                while (a < mid) {
                    tmp[t++] = idx[a++];
                }
                while (b < hi) {
                    tmp[t++] = idx[b++];
                }
            }
            int[] s = idx;
            idx = tmp;
            tmp = s;
        }
        return idx;
    }

    // ------------------------------------------------------------------ nodes and keys

    /**
     * Marks nodes shaped like process roots (slot 3 = node key to another existing node) and
     * their run states. The shape alone does not make a process: a plain node may hold a
     * node key in slot 3. A shaped node is checked as a process root when a start, process
     * or resume key names it ({@link #checkKey}) or when its slot 8 holds a number key (the
     * run-state word every process root has; a process that nobody names, e.g. one that runs
     * at boot, is recognised by it).
     */
    private void classifyNodes() {
        for (int i = 0; i < n; i++) {
            if (kind[i] != KIND_NODE) {
                continue;
            }
            long at = offset[i];
            int bitmap = bytes.readInt(at);
            int length = lengths[i];
            if (nodeRecordLength(bitmap) != length) {
                report.add("OID " + oid[i] + ": node bitmap has " + Integer.bitCount(bitmap) + " slots but the record holds "
                    + (length - BITMAP_LENGTH) / KEY_LENGTH + " keys");
                continue;
            }
            flags[i] |= FLAG_RECORD_OK;
            long k3 = keyOffset(at, bitmap, ProcessLayout.SLOT_KEY_REGISTERS);
            if (k3 >= 0 && KeyDescriptor.type(bytes.readInt(k3 + KeyDescriptor.TAIL_OFFSET)) == KeyType.NODE) {
                int t = find(bytes.readLong(k3));
                if (t >= 0 && t != i && kind[t] == KIND_NODE) {
                    flags[i] |= FLAG_ROOT;
                    long k8 = keyOffset(at, bitmap, ProcessLayout.SLOT_FAULT_AND_STATE);
                    if (k8 >= 0 && KeyDescriptor.type(bytes.readInt(k8 + KeyDescriptor.TAIL_OFFSET)) == KeyType.NUMBER) {
                        runState[i] = (byte) Math.min(127, bytes.readInt(k8 + KeyDescriptor.WORD2_OFFSET) & 0xFF);
                        flags[i] |= FLAG_PROCESS;
                    }
                }
            }
        }
    }

    private void checkKeys(int i) {
        long at = offset[i];
        int bitmap = bytes.readInt(at);
        long key = at + BITMAP_LENGTH;
        for (int slot = 0; slot < 32; slot++) {
            if ((bitmap & (1 << slot)) == 0) {
                continue;
            }
            checkKey(oid[i], slot, key);
            key += KEY_LENGTH;
        }
    }

    private void checkKey(long holder, int slot, long key) {
        report.keys++;
        int tail = bytes.readInt(key + KeyDescriptor.TAIL_OFFSET);
        int type = KeyDescriptor.type(tail);
        int keyData = KeyDescriptor.keyData(tail);
        int restrictions = KeyDescriptor.restrictions(tail);
        String where = "OID " + holder + " slot " + slot;
        if (!KeyType.isValid(type)) {
            report.add(where + ": invalid key type " + type);
            return;
        }
        String what = where + ": " + KeyType.name(type) + " key";
        if (KeyDescriptor.flags(tail) != 0) {
            report.add(what + (KeyDescriptor.isPrepared(tail) ? " is marked PREPARED on disk" : " has hazard flags on disk")
                + " (flags " + KeyDescriptor.flags(tail) + ")");
        }
        if ((restrictions & ~Restriction.ALL) != 0) {
            report.add(what + " has undefined restriction bits 0x" + Integer.toHexString(restrictions));
        }
        if (type == KeyType.VOID) {
            report.add(what + " stored explicitly (void slots are omitted from node records)");
        }
        if (type == KeyType.SEGMENT) {
            if (keyData < 1 || keyData > 4) {
                report.add(what + " has height " + keyData + ", not 1..4");
            }
        } else if (type == KeyType.RESUME) {
            if ((keyData & ~KeyDescriptor.KEYDATA_FAULT) != 0) {
                report.add(what + " has keyData 0x" + Integer.toHexString(keyData) + " (only the FAULT bit is defined)");
            }
        } else if (type != KeyType.START && keyData != 0) {
            report.add(what + " has keyData " + keyData + " (only start and segment keys carry keyData)");
        }
        if (!KeyType.isObjectKey(type)) {
            if (type != KeyType.NUMBER && (bytes.readLong(key) != 0 || bytes.readInt(key + 8) != 0)) {
                report.add(what + " has a non-zero body");
            }
            return;
        }
        long target = bytes.readLong(key + KeyDescriptor.OID_OFFSET);
        int count = bytes.readInt(key + KeyDescriptor.COUNT_OFFSET);
        int t = find(target);
        if (t < 0) {
            report.add(what + " names OID " + target + ", which is not in the store");
            return;
        }
        int tk = kind[t];
        if (type == KeyType.PAGE && tk != KIND_PAGE || KeyType.namesNode(type) && tk != KIND_NODE) {
            report.add(what + " names OID " + target + ", which is a " + StoreFile.kindName(tk));
            return;
        }
        if (KeyType.namesProcess(type) && (flags[t] & FLAG_ROOT) == 0) {
            report.add(what + " names OID " + target + ", which is not a process root (slot 3 is not a node key to another node)");
            return;
        }
        if (type == KeyType.SEGMENT) {
            flags[t] |= FLAG_SEGMENT;
        }
        if (KeyType.namesProcess(type)) {
            flags[t] |= FLAG_PROCESS;
        }
        int objectCount = type == KeyType.RESUME ? calls[t] : alloc[t];
        int cmp = Integer.compareUnsigned(count, objectCount);
        if (cmp > 0) {
            report.add(what + " to OID " + target + " has count " + Integer.toUnsignedString(count) + " above the object's "
                + (type == KeyType.RESUME ? "call" : "allocation") + " count " + Integer.toUnsignedString(objectCount));
        } else if (cmp < 0) {
            report.staleKeys++;
        } else if (type == KeyType.RESUME && runState[t] != ProcessLayout.WAITING) {
            report.add(what + " to process OID " + target + " which is " + runStateName(runState[t]) + ", not waiting");
        }
    }

    private void checkRedSegment(int i) {
        long at = offset[i];
        int bitmap = bytes.readInt(at);
        long k = keyOffset(at, bitmap, RedSegmentFormat.FORMAT_SLOT);
        if (k < 0 || KeyDescriptor.type(bytes.readInt(k + KeyDescriptor.TAIL_OFFSET)) != KeyType.NUMBER) {
            return;
        }
        int word = bytes.readInt(k + KeyDescriptor.WORD0_OFFSET);
        if (!RedSegmentFormat.isWellFormed(word)) {
            report.add("OID " + oid[i] + " slot 31: red segment format key 0x" + Integer.toHexString(word)
                + " is malformed (height " + RedSegmentFormat.height(word) + ", convention " + RedSegmentFormat.convention(word)
                + ", undefined bits 0x" + Integer.toHexString(word & ~0xF1FFFF) + ")");
        } else {
            report.redSegments++;
        }
    }

    private void checkProcessRoot(int i) {
        long at = offset[i];
        int bitmap = bytes.readInt(at);
        for (int slot = ProcessLayout.SLOT_FAULT_AND_STATE; slot <= ProcessLayout.SLOT_RECEIVE; slot++) {
            long k = keyOffset(at, bitmap, slot);
            int type = k < 0 ? KeyType.VOID : KeyDescriptor.type(bytes.readInt(k + KeyDescriptor.TAIL_OFFSET));
            if (type != KeyType.NUMBER) {
                report.add("OID " + oid[i] + " slot " + slot + ": process root slot holds a " + KeyType.name(type)
                    + " key, not a number key");
            }
        }
        int rs = runState[i];
        if (rs >= 0 && rs > ProcessLayout.WAITING) {
            report.add("OID " + oid[i] + " slot 8: process run state " + rs + " is not 0 (available), 1 (running) or 2 (waiting)");
        }
    }

    private static String runStateName(int rs) {
        switch (rs) {
            case ProcessLayout.AVAILABLE:
                return "available";
            case ProcessLayout.RUNNING:
                return "running";
            default:
                return "in run state " + rs;
        }
    }

    /** File offset of the key in {@code slot} of the node record at {@code at}, or -1 if void. */
    private static long keyOffset(long at, int bitmap, int slot) {
        if ((bitmap & (1 << slot)) == 0) {
            return -1;
        }
        return at + BITMAP_LENGTH + (long) Integer.bitCount(bitmap & ((1 << slot) - 1)) * KEY_LENGTH;
    }

    private int find(long id) {
        int lo = 0;
        int hi = n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (oid[mid] < id) {
                lo = mid + 1;
            } else if (oid[mid] > id) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** What the checker found. */
    public static final class Report {
        private final int maxListed;
        private final List<String> findings = new ArrayList<>();
        private long findingCount;
        int processes;
        long keys;
        long staleKeys;
        int redSegments;
        int objects;
        int nodes;
        int pages;

        Report(int maxListed) {
            this.maxListed = maxListed;
        }

        void add(String finding) {
            findingCount++;
            if (findings.size() < maxListed) {
                findings.add(finding);
            }
        }

        /** The findings (at most the listing limit), one line each, in the order found. */
        public List<String> findings() {
            return Collections.unmodifiableList(findings);
        }

        /** Every finding, listed or not. */
        public long findingCount() {
            return findingCount;
        }

        public boolean consistent() {
            return findingCount == 0;
        }

        public int processes() {
            return processes;
        }

        public long keys() {
            return keys;
        }

        /** Keys whose count is below their object's: legal, void at their next preparation. */
        public long staleKeys() {
            return staleKeys;
        }

        public int redSegments() {
            return redSegments;
        }

        public int objects() {
            return objects;
        }

        public int nodes() {
            return nodes;
        }

        public int pages() {
            return pages;
        }

        /** One line: counts and the verdict. */
        public String summary() {
            return objects + " objects (" + nodes + " nodes, " + pages + " pages), " + processes + " processes, "
                + redSegments + " red segments, " + keys + " keys (" + staleKeys + " stale): "
                + (findingCount == 0 ? "consistent" : findingCount + " inconsistenc" + (findingCount == 1 ? "y" : "ies"));
        }
    }
}
