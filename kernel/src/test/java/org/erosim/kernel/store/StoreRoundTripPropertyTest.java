package org.erosim.kernel.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.image.ImageBuilder;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.ObjectHeader;
import org.erosim.kernel.object.ObjectSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Property: for random images (nodes, pages, processes in every run state, keys of every kind
 * with random restrictions, red segments, program spaces, counts raised after keys were made),
 * everything written reads back identically through {@link StoreFile}, the checker finds no
 * inconsistency and counts exactly the stale keys; then random rewrites and new objects
 * through the store survive reopening and keep the store consistent.
 */
class StoreRoundTripPropertyTest {
    @TempDir
    Path dir;

    /** Slots random keys may go to: not 3 (would make a process root) and not 8-13 (root registers) or 31 (format). */
    private static int freeSlot(SplittableRandom r) {
        int s;
        do {
            s = r.nextInt(31);
        } while (s == 3 || s >= 8 && s <= 13);
        return s;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void randomImagesRoundTripAndCheckClean(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        ImageBuilder b = new ImageBuilder();
        List<Integer> nodes = new ArrayList<>();
        List<Integer> pages = new ArrayList<>();
        List<Integer> processes = new ArrayList<>();
        List<Integer> waiting = new ArrayList<>();
        int nProc = 1 + r.nextInt(30);
        for (int i = 0; i < nProc; i++) {
            int p = b.process();
            processes.add(p);
            nodes.add(p);
            nodes.add(b.keyRegistersNode(p));
            int rs = r.nextInt(3);
            b.setRunState(p, rs);
            if (rs == ProcessLayout.WAITING) {
                waiting.add(p);
            }
            b.setRegisters(p, r.nextInt(), r.nextInt(), r.nextInt());
        }
        for (int i = 0, n = 1 + r.nextInt(40); i < n; i++) {
            nodes.add(b.node());
        }
        for (int i = 0, n = 1 + r.nextInt(20); i < n; i++) {
            if (r.nextBoolean()) {
                pages.add(b.zeroPage());
            } else {
                byte[] d = new byte[r.nextInt(4097)];
                r.nextBytes(d);
                pages.add(b.page(d));
            }
        }
        int redSegments = 0;
        for (int node : nodes) {
            if (!b.isProcess(node) && r.nextInt(5) == 0) {
                b.redSegment(node, r.nextInt(32), r.nextBoolean() ? 31 : r.nextInt(31), r.nextBoolean() ? 31 : r.nextInt(31),
                    r.nextInt(2), 1 + r.nextInt(4));
                redSegments++;
            }
        }
        if (r.nextBoolean()) {
            int prog = b.program("p" + seed);
            b.addRegion(prog, 0x1000L * (1 + r.nextInt(64)), new byte[1 + r.nextInt(9000)], 12000, false);
            b.addRegion(prog, 0x100000L, new byte[] {1, 2}, 1 + r.nextInt(10000), true);
            b.stack(prog, 4096 * (1 + r.nextInt(3)), 0x200000L + 4096L * r.nextInt(1 << 10));
            b.entry(prog, 0x1000);
            for (int p : processes) {
                if (r.nextBoolean()) {
                    b.instantiate(prog, p);
                }
            }
        }
        int keyCount = r.nextInt(400);
        for (int i = 0; i < keyCount; i++) {
            int node = nodes.get(r.nextInt(nodes.size()));
            int slot = freeSlot(r);
            int restr = r.nextInt(16);
            switch (r.nextInt(10)) {
                case 0 -> b.setVoid(node, slot);
                case 1 -> b.setNumberKey(node, slot, r.nextInt(), r.nextInt(), r.nextInt());
                case 2 -> b.setNodeKey(node, slot, nodes.get(r.nextInt(nodes.size())), restr);
                case 3 -> b.setSegmentKey(node, slot, nodes.get(r.nextInt(nodes.size())), 1 + r.nextInt(4), restr);
                case 4 -> b.setPageKey(node, slot, pages.get(r.nextInt(pages.size())), restr);
                case 5 -> b.setStartKey(node, slot, processes.get(r.nextInt(processes.size())), r.nextInt(1 << 16));
                case 6 -> b.setProcessKey(node, slot, processes.get(r.nextInt(processes.size())));
                case 7 -> {
                    if (!waiting.isEmpty()) {
                        b.setResumeKey(node, slot, waiting.get(r.nextInt(waiting.size())));
                    }
                }
                case 8 -> b.setKernelKey(node, slot, KeyType.RANGE + r.nextInt(KeyType.CHECKPOINT - KeyType.RANGE + 1));
                default -> b.restrict(node, slot, Restriction.WEAK);
            }
        }
        // Rescind-like count bumps after keys exist: earlier keys become stale.
        for (int i = 0, n = r.nextInt(6); i < n; i++) {
            int h = r.nextInt(b.objectCount());
            b.setAllocationCount(h, b.allocationCount(h) + 1 + r.nextInt(3));
            if (b.isNode(h) && r.nextBoolean()) {
                b.setCallCount(h, b.callCount(h) + 1);
            }
        }
        long expectedStale = 0;
        UnsafeBuffer k = new UnsafeBuffer(new byte[16]);
        for (int h = 0; h < b.objectCount(); h++) {
            if (!b.isNode(h)) {
                continue;
            }
            for (int s = 0; s < 32; s++) {
                b.readKey(h, s, k, 0);
                int type = KeyDescriptor.type(k.getInt(12));
                if (KeyType.isObjectKey(type)) {
                    int target = (int) (k.getLong(0) - 1);
                    int objectCount = type == KeyType.RESUME ? b.callCount(target) : b.allocationCount(target);
                    if (Integer.compareUnsigned(k.getInt(8), objectCount) < 0) {
                        expectedStale++;
                    }
                }
            }
        }

        Path f = dir.resolve("r" + seed + ".img");
        b.write(f);
        assertSameAsBuilder(b, f);
        StoreChecker.Report report = StoreChecker.check(f);
        assertTrue(report.consistent(), () -> "seed " + seed + ":\n" + String.join("\n", report.findings()));
        assertEquals(expectedStale, report.staleKeys());
        assertEquals(processes.size(), report.processes());
        assertEquals(b.objectCount(), report.objects());
        assertTrue(report.redSegments() <= redSegments, "only red segments named by a segment key are counted");

        mutateThroughTheStore(r, f, b.objectCount());
    }

    private static void assertSameAsBuilder(ImageBuilder b, Path f) {
        ObjectHeader h = new ObjectHeader();
        UnsafeBuffer keys = new UnsafeBuffer(new byte[512]);
        UnsafeBuffer want = new UnsafeBuffer(new byte[4096]);
        UnsafeBuffer got = new UnsafeBuffer(new byte[4096]);
        try (StoreFile s = StoreFile.openReadOnly(f)) {
            assertEquals(b.objectCount(), s.objectCount());
            for (int handle = 0; handle < b.objectCount(); handle++) {
                long oid = b.oid(handle);
                if (b.isNode(handle)) {
                    assertTrue(s.readNode(oid, h, keys, 0));
                    assertEquals(b.allocationCount(handle), h.allocationCount);
                    assertEquals(b.callCount(handle), h.callCount);
                    for (int slot = 0; slot < 32; slot++) {
                        b.readKey(handle, slot, want, 0);
                        for (int i = 0; i < 16; i += 4) {
                            assertEquals(want.getInt(i), keys.getInt(slot * 16 + i), "OID " + oid + " slot " + slot + " byte " + i);
                        }
                    }
                } else {
                    assertTrue(s.readPage(oid, h, got, 0));
                    assertEquals(b.allocationCount(handle), h.allocationCount);
                    b.readPage(handle, want, 0);
                    for (int i = 0; i < 4096; i += 8) {
                        assertEquals(want.getLong(i), got.getLong(i), "page OID " + oid + " offset " + i);
                    }
                }
            }
        }
    }

    /** Random rewrites (keys copied between nodes, counts raised) and new objects; compared against a model after reopening. */
    private static void mutateThroughTheStore(SplittableRandom r, Path f, int objects) {
        Map<Long, byte[]> nodeModel = new HashMap<>();
        Map<Long, int[]> counts = new HashMap<>();
        ObjectHeader h = new ObjectHeader();
        UnsafeBuffer keys = new UnsafeBuffer(new byte[512]);
        UnsafeBuffer other = new UnsafeBuffer(new byte[512]);
        UnsafeBuffer page = new UnsafeBuffer(new byte[4096]);
        try (StoreFile s = StoreFile.open(f)) {
            for (int i = 0; i < 200; i++) {
                long oid = 1 + r.nextInt(objects);
                if (s.readNode(oid, h, keys, 0)) {
                    long from = 1 + r.nextInt(objects);
                    if (s.readNode(from, new ObjectHeader(), other, 0)) {
                        int src = freeSlot(r);
                        int dst = freeSlot(r);
                        keys.putBytes(dst * 16, other, src * 16, 16);
                    }
                    if (r.nextBoolean()) {
                        int v = freeSlot(r) * 16;
                        keys.putLong(v, 0);
                        keys.putInt(v + 8, 0);
                        keys.putInt(v + 12, KeyDescriptor.VOID_TAIL);
                    }
                    h.allocationCount += r.nextInt(2);
                    s.writeNode(h, keys, 0);
                    byte[] copy = new byte[512];
                    keys.getBytes(0, copy);
                    nodeModel.put(oid, copy);
                    counts.put(oid, new int[] {h.allocationCount, h.callCount});
                } else if (s.readPage(oid, h, page, 0)) {
                    page.putByte(r.nextInt(4096), (byte) r.nextInt(256));
                    s.writePage(h, page, 0);
                }
            }
            for (int i = 0; i < 20; i++) {
                long oid = s.newOid(ObjectSource.KIND_NODE);
                for (int slot = 0; slot < 32; slot++) {
                    keys.putLong(slot * 16, 0);
                    keys.putInt(slot * 16 + 8, 0);
                    keys.putInt(slot * 16 + 12, KeyDescriptor.VOID_TAIL);
                }
                keys.putInt(5 * 16, i);
                keys.putInt(5 * 16 + 12, KeyDescriptor.tail(KeyType.NUMBER, 0, 0, 0));
                s.writeNode(h.set(ObjectSource.KIND_NODE, oid, 0, 0), keys, 0);
                byte[] copy = new byte[512];
                keys.getBytes(0, copy);
                nodeModel.put(oid, copy);
                counts.put(oid, new int[] {0, 0});
            }
        }
        try (StoreFile s = StoreFile.openReadOnly(f)) {
            for (Map.Entry<Long, byte[]> e : nodeModel.entrySet()) {
                assertTrue(s.readNode(e.getKey(), h, keys, 0));
                byte[] got = new byte[512];
                keys.getBytes(0, got);
                assertArrayEquals(e.getValue(), got, "OID " + e.getKey());
                assertEquals(counts.get(e.getKey())[0], h.allocationCount);
                assertEquals(counts.get(e.getKey())[1], h.callCount);
            }
        }
        StoreChecker.Report report = StoreChecker.check(f);
        assertTrue(report.consistent(), () -> String.join("\n", report.findings()));
    }
}
