package org.erosim.kernel.object;

import static org.erosim.kernel.object.Fixture.FIRST_NODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.key.KeyDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The checker finds each kind of corruption it claims to (each test breaks one thing by hand). */
class ConsistencyCheckerTest {
    private Fixture f;
    private int holder;
    private int target;

    @BeforeEach
    void setUp() {
        f = new Fixture(4, 1);
        f.putNode(FIRST_NODE, 0, 0);
        f.putNode(FIRST_NODE + 1, 3, 0);
        holder = f.node(FIRST_NODE);
        target = f.node(FIRST_NODE + 1);
        for (int s = 0; s < 3; s++) {
            int k = KeyLocation.nodeSlot(holder, s);
            f.keys.storeObjectKey(k, KeyType.NODE, FIRST_NODE + 1, 3, 0, 0);
            f.keys.prepare(k);
        }
        f.assertConsistent();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private int slotOffset(int slot) {
        return f.nodes.slotOffset(holder, slot);
    }

    private void assertFinding(String expected) {
        List<String> findings = f.checker.check();
        assertTrue(findings.stream().anyMatch(s -> s.contains(expected)), () -> "expected '" + expected + "' in " + findings);
    }

    @Test
    void reportsAPreparedKeyThatIsNotOnItsRing() {
        f.nodes.buffer().putInt(slotOffset(5) + KeyDescriptor.HANDLE_OFFSET, target);
        f.nodes.buffer().putInt(slotOffset(5) + KeyDescriptor.TAIL_OFFSET,
            KeyDescriptor.tail(KeyType.NODE, KeyDescriptor.FLAG_PREPARED, 0, 0));
        assertFinding("node 0x1000 slot 5: prepared node key is not on the key ring of node 0x1001");
    }

    @Test
    void reportsARingMemberThatIsNotPrepared() {
        int tail = f.nodes.keyTail(holder, 1);
        f.nodes.buffer().putInt(slotOffset(1) + KeyDescriptor.TAIL_OFFSET, KeyDescriptor.withFlags(tail, 0));
        assertFinding("node 0x1001: ring member node#" + holder + " slot 1 (node 0x1000) is not prepared");
    }

    @Test
    void reportsBrokenPrevLinks() {
        f.nodes.buffer().putInt(slotOffset(1) + KeyDescriptor.RING_PREV_OFFSET, KeyLocation.nodeSlot(holder, 30));
        assertFinding("has prev node#" + holder + " slot 30");
    }

    @Test
    void reportsARingThatNeverReturnsToItsAnchor() {
        // Ring order is head 2, 1, 0 tail (keys go in at the head); the tail now loops to the head.
        f.nodes.buffer().putInt(slotOffset(0) + KeyDescriptor.RING_NEXT_OFFSET, KeyLocation.nodeSlot(holder, 2));
        assertFinding("is on a key ring twice");
    }

    @Test
    void reportsAPreparedKeyNamingAFreeRecord() {
        f.nodes.buffer().putInt(slotOffset(0) + KeyDescriptor.HANDLE_OFFSET, 3);
        assertFinding("node 0x1000 slot 0: prepared node key names free record 3");
    }

    @Test
    void reportsAResumeKeyAheadOfOtherKeys() {
        int tail = f.nodes.keyTail(holder, 2); // slot 2 is the ring's head
        f.nodes.buffer().putInt(slotOffset(2) + KeyDescriptor.TAIL_OFFSET,
            (tail & ~0xFF) | KeyType.RESUME);
        assertFinding("follows a resume key");
    }

    @Test
    void reportsUndefinedTypesAndNonZeroVoidKeys() {
        f.nodes.buffer().putInt(slotOffset(10) + KeyDescriptor.TAIL_OFFSET, 99);
        f.nodes.buffer().putInt(slotOffset(11), 1);
        assertFinding("node 0x1000 slot 10: undefined key type 99");
        assertFinding("node 0x1000 slot 11: void key with a non-zero body");
    }

    @Test
    void reportsAnUnpreparedKeyWithACountAboveItsObjects() {
        f.keys.storeObjectKey(KeyLocation.nodeSlot(holder, 12), KeyType.NODE, FIRST_NODE + 1, 4, 0, 0);
        assertFinding("node 0x1000 slot 12: unprepared node key to 0x1001 has count 4 above the object's 3");
    }

    @Test
    void reportsAnOidIndexThatDisagreesWithTheRecords() {
        f.nodes.buffer().putLong(NodeDescriptor.recordOffset(target) + NodeDescriptor.OID_OFFSET, FIRST_NODE + 77);
        List<String> findings = f.checker.check();
        assertTrue(findings.stream().anyMatch(s -> s.contains("node 0x104d")), findings::toString);
    }

    @Test
    void aConsistentCacheHasNoFindings() {
        assertEquals(List.of(), f.checker.check());
    }
}
