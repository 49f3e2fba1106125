package org.erosim.kernel.store;

import java.nio.file.Path;
import java.util.List;

import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.RedSegmentFormat;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.image.ImageBuilder;
import org.erosim.kernel.key.KeyDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.erosim.kernel.store.StoreDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/** Each inconsistency the checker knows, produced by patching the bytes of a good file. */
class StoreCheckerTest {
    @TempDir
    Path dir;

    // OIDs of the base image.
    static final long SERVER = 1; // process root, WAITING (key registers: 2)
    static final long CLIENT = 3; // process root, AVAILABLE (key registers: 4)
    static final long HOLDER = 5; // node holding one key of each kind
    static final long PAGE = 6;
    static final long SEGMENT = 7; // red segment, height 2

    private int serial;

    private Path base() {
        ImageBuilder b = new ImageBuilder();
        int server = b.process();
        b.setRunState(server, ProcessLayout.WAITING);
        int client = b.process();
        int holder = b.node();
        int page = b.page(new byte[] {1});
        int seg = b.node();
        b.redSegment(seg, 16, 30, 31, RedSegmentFormat.CONVENTION_NODE_KEY, 2);
        b.setStartKey(seg, 30, server, 1);
        b.setNodeKey(holder, 0, seg, 0);
        b.setSegmentKey(holder, 1, seg, 2, Restriction.READ_ONLY);
        b.setPageKey(holder, 2, page, 0);
        b.setStartKey(holder, 3, server, 7);
        b.setResumeKey(holder, 4, server);
        b.setNumberKey(holder, 5, 1, 2, 3);
        b.setKernelKey(holder, 6, KeyType.CONSOLE);
        b.setProcessKey(holder, 7, client);
        assertEquals(HOLDER, b.oid(holder));
        assertEquals(SEGMENT, b.oid(seg));
        Path f = dir.resolve("c" + (serial++) + ".img");
        b.write(f);
        return f;
    }

    interface Patch {
        void apply(StoreBytes s);
    }

    private StoreChecker.Report check(Patch... patches) throws Exception {
        Path f = base();
        StoreBytes s = new StoreBytes(f);
        for (Patch p : patches) {
            p.apply(s);
        }
        s.save(true);
        return StoreChecker.check(f);
    }

    private void assertFinding(String expected, Patch... patches) throws Exception {
        StoreChecker.Report r = check(patches);
        assertEquals(List.of(expected), r.findings());
        assertEquals(1, r.findingCount());
        assertFalse(r.consistent());
    }

    private static Patch tail(long oid, int slot, int tail) {
        return s -> s.buf.putInt(s.key(oid, slot) + KeyDescriptor.TAIL_OFFSET, tail);
    }

    private static Patch target(long oid, int slot, long target) {
        return s -> s.buf.putLong(s.key(oid, slot) + KeyDescriptor.OID_OFFSET, target);
    }

    private static Patch word(long oid, int slot, int word, int value) {
        return s -> s.buf.putInt(s.key(oid, slot) + word * 4, value);
    }

    @Test
    void theBaseImageIsConsistent() throws Exception {
        StoreChecker.Report r = check();
        assertTrue(r.consistent(), () -> String.join("\n", r.findings()));
        assertEquals(2, r.processes());
        assertEquals(1, r.redSegments());
        assertEquals(7, r.objects());
        assertEquals(0, r.staleKeys());
        assertEquals("7 objects (6 nodes, 1 pages), 2 processes, 1 red segments, 26 keys (0 stale): consistent", r.summary());
    }

    @Test
    void aPlainNodeShapedLikeAProcessRootIsNotCheckedAsOne() throws Exception {
        // slot 3 holds a node key, but no process key names the node and slot 8 holds no
        // run-state number: a plain node, whatever slots 9-13 hold
        ImageBuilder b = new ImageBuilder();
        int plain = b.node();
        int other = b.node();
        b.setNodeKey(plain, ProcessLayout.SLOT_KEY_REGISTERS, other, 0);
        b.setKernelKey(plain, ProcessLayout.SLOT_EIP_ESP_EFLAGS, KeyType.CONSOLE);
        b.setNodeKey(other, 0, plain, 0);
        Path f = dir.resolve("plain.img");
        b.write(f);
        StoreChecker.Report r = StoreChecker.check(f);
        assertTrue(r.consistent(), () -> String.join("\n", r.findings()));
        assertEquals(0, r.processes());
    }

    @Test
    void aKeyToAMissingObjectIsReported() throws Exception {
        assertFinding("OID 5 slot 2: page key names OID 99, which is not in the store", target(HOLDER, 2, 99));
    }

    @Test
    void aPageKeyToANodeIsReported() throws Exception {
        assertFinding("OID 5 slot 2: page key names OID 7, which is a node", target(HOLDER, 2, SEGMENT));
    }

    @Test
    void aNodeKeyToAPageIsReported() throws Exception {
        assertFinding("OID 5 slot 0: node key names OID 6, which is a page", target(HOLDER, 0, PAGE));
    }

    @Test
    void aStartKeyToANodeThatIsNoProcessIsReported() throws Exception {
        assertFinding("OID 5 slot 3: start key names OID 7, which is not a process root (slot 3 is not a node key to another node)",
            target(HOLDER, 3, SEGMENT));
    }

    @Test
    void aKeyCountAboveItsObjectsCountIsReported() throws Exception {
        assertFinding("OID 5 slot 2: page key to OID 6 has count 5 above the object's allocation count 0",
            s -> s.buf.putInt(s.key(HOLDER, 2) + KeyDescriptor.COUNT_OFFSET, 5));
    }

    @Test
    void aResumeKeyCountAboveTheCallCountIsReported() throws Exception {
        assertFinding("OID 5 slot 4: resume key to OID 1 has count 1 above the object's call count 0",
            s -> s.buf.putInt(s.key(HOLDER, 4) + KeyDescriptor.COUNT_OFFSET, 1));
    }

    @Test
    void staleKeysAreLegalAndCounted() throws Exception {
        StoreChecker.Report r = check(
            s -> s.buf.putInt(s.entry(PAGE) + ENTRY_ALLOCATION_COUNT_OFFSET, 2),
            s -> s.buf.putInt(s.entry(SERVER) + ENTRY_CALL_COUNT_OFFSET, 1));
        assertTrue(r.consistent(), () -> String.join("\n", r.findings()));
        assertEquals(2, r.staleKeys(), "the page key and the resume key");
    }

    @Test
    void aStaleResumeKeyToAProcessThatIsNoLongerWaitingIsLegal() throws Exception {
        StoreChecker.Report r = check(
            s -> s.buf.putInt(s.entry(SERVER) + ENTRY_CALL_COUNT_OFFSET, 1),
            word(SERVER, ProcessLayout.SLOT_FAULT_AND_STATE, 2, ProcessLayout.AVAILABLE));
        assertTrue(r.consistent(), () -> String.join("\n", r.findings()));
    }

    @Test
    void aCurrentResumeKeyToAProcessThatIsNotWaitingIsReported() throws Exception {
        assertFinding("OID 5 slot 4: resume key to process OID 1 which is available, not waiting",
            word(SERVER, ProcessLayout.SLOT_FAULT_AND_STATE, 2, ProcessLayout.AVAILABLE));
    }

    @Test
    void aPreparedKeyOnDiskIsReported() throws Exception {
        assertFinding("OID 5 slot 0: node key is marked PREPARED on disk (flags 1)",
            tail(HOLDER, 0, KeyDescriptor.tail(KeyType.NODE, KeyDescriptor.FLAG_PREPARED, 0, 0)));
    }

    @Test
    void anInvalidKeyTypeIsReported() throws Exception {
        assertFinding("OID 5 slot 5: invalid key type 20", tail(HOLDER, 5, 20));
    }

    @Test
    void undefinedRestrictionBitsAreReported() throws Exception {
        assertFinding("OID 5 slot 0: node key has undefined restriction bits 0x10",
            tail(HOLDER, 0, KeyDescriptor.tail(KeyType.NODE, 0, 16, 0)));
    }

    @Test
    void aSegmentHeightOutOfRangeIsReported() throws Exception {
        assertFinding("OID 5 slot 1: segment key has height 5, not 1..4",
            tail(HOLDER, 1, KeyDescriptor.tail(KeyType.SEGMENT, 0, Restriction.READ_ONLY, 5)));
        assertFinding("OID 5 slot 1: segment key has height 0, not 1..4",
            tail(HOLDER, 1, KeyDescriptor.tail(KeyType.SEGMENT, 0, Restriction.READ_ONLY, 0)));
    }

    @Test
    void keyDataOnAKeyThatCarriesNoneIsReported() throws Exception {
        assertFinding("OID 5 slot 6: console key has keyData 3 (only start and segment keys carry keyData)",
            tail(HOLDER, 6, KeyDescriptor.tail(KeyType.CONSOLE, 0, 0, 3)));
    }

    @Test
    void aKernelKeyWithABodyIsReported() throws Exception {
        assertFinding("OID 5 slot 6: console key has a non-zero body", word(HOLDER, 6, 1, 5));
    }

    @Test
    void aVoidKeyStoredExplicitlyIsReported() throws Exception {
        assertFinding("OID 5 slot 6: void key stored explicitly (void slots are omitted from node records)",
            tail(HOLDER, 6, KeyDescriptor.VOID_TAIL));
    }

    @Test
    void aMalformedRedSegmentFormatKeyIsReported() throws Exception {
        int bad = RedSegmentFormat.encode(16, 30, 31, 0, 0);
        assertFinding("OID 7 slot 31: red segment format key 0x" + Integer.toHexString(bad)
                + " is malformed (height 0, convention 0, undefined bits 0x0)",
            word(SEGMENT, 31, 0, bad));
    }

    @Test
    void aProcessRunStateOutOfRangeIsReported() throws Exception {
        assertFinding("OID 3 slot 8: process run state 3 is not 0 (available), 1 (running) or 2 (waiting)",
            word(CLIENT, ProcessLayout.SLOT_FAULT_AND_STATE, 2, 3));
    }

    @Test
    void aProcessRootRegisterSlotThatIsNoNumberKeyIsReported() throws Exception {
        assertFinding("OID 3 slot 9: process root slot holds a console key, not a number key",
            s -> {
                int k = s.key(CLIENT, ProcessLayout.SLOT_EIP_ESP_EFLAGS);
                s.buf.putLong(k, 0);
                s.buf.putInt(k + 8, 0);
                s.buf.putInt(k + 12, KeyDescriptor.tail(KeyType.CONSOLE, 0, 0, 0));
            });
    }

    @Test
    void duplicateOidsAreFindingsNotAFailure() throws Exception {
        StoreChecker.Report r = check(s -> s.buf.putLong(s.entry(PAGE) + ENTRY_OID_OFFSET, HOLDER));
        assertTrue(r.findings().contains("OID 5: duplicate directory entry"), () -> String.join("\n", r.findings()));
        assertTrue(r.findings().contains("OID 5 slot 2: page key names OID 6, which is not in the store"));
        assertTrue(r.findings().contains("directory: entries are not in strictly increasing OID order"));
    }

    @Test
    void overlappingRecordsAreReported() throws Exception {
        StoreChecker.Report r = check(s -> s.buf.putLong(s.entry(CLIENT) + ENTRY_RECORD_OFFSET, s.record(SERVER) + 8));
        assertTrue(r.findings().stream().anyMatch(f -> f.startsWith("the record of OID 3 [") && f.endsWith("overlaps the record of OID 1")),
            () -> String.join("\n", r.findings()));
    }

    @Test
    void aNextOidThatCouldReuseAnOidIsReported() throws Exception {
        assertFinding("header: next OID 3 is not above the largest OID 7 (a new object would reuse an OID)",
            s -> s.buf.putLong(NEXT_OID_OFFSET, 3));
    }

    @Test
    void everyInconsistencyIsReportedNotJustTheFirst() throws Exception {
        StoreChecker.Report r = check(
            target(HOLDER, 2, 99),
            tail(HOLDER, 0, KeyDescriptor.tail(KeyType.NODE, KeyDescriptor.FLAG_PREPARED, 0, 0)),
            word(CLIENT, ProcessLayout.SLOT_FAULT_AND_STATE, 2, 7),
            word(SERVER, ProcessLayout.SLOT_FAULT_AND_STATE, 2, ProcessLayout.RUNNING),
            word(SEGMENT, 31, 0, 1 << 19));
        assertEquals(5, r.findingCount(), () -> String.join("\n", r.findings()));
        assertEquals(5, r.findings().size());
        assertTrue(r.summary().endsWith(": 5 inconsistencies"), r.summary());
    }

    @Test
    void theListingIsCappedButTheCountIsExact() throws Exception {
        Path f = base();
        StoreBytes s = new StoreBytes(f);
        for (int slot = 0; slot < 8; slot++) {
            s.buf.putInt(s.key(HOLDER, slot) + KeyDescriptor.TAIL_OFFSET, 30);
        }
        s.save(true);
        StoreChecker.Report r = StoreChecker.check(f, 3);
        assertEquals(3, r.findings().size());
        assertEquals(8, r.findingCount());
    }
}
