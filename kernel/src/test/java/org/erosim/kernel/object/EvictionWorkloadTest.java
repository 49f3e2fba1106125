package org.erosim.kernel.object;

import static org.erosim.kernel.object.Fixture.FIRST_NODE;
import static org.erosim.kernel.object.Fixture.FIRST_PAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.abi.ResultCode;
import org.erosim.kernel.key.KeyDescriptor;
import java.nio.file.Path;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;
import org.erosim.kernel.image.ImageBuilder;
import org.erosim.kernel.store.StoreFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Eviction under pressure: a seeded random workload over ten times more nodes (and pages)
 * than the cache holds - copy, swap, prepare, rescind, number writes, fresh keys, page
 * writes - checked after every step by the consistency checker, and at the end compared
 * object by object, through the source, with a reference model in plain collections.
 *
 * <p>The model keeps every key in its logical unprepared form (type, OID, count,
 * restrictions, keyData or number value). A key is logically void when its count no longer
 * matches its object's, which is exactly when the kernel voids it at preparation; so both
 * sides are compared after normalising stale keys to void.
 */
class EvictionWorkloadTest {
    private static final int CACHED_NODES = 12;
    private static final int CACHED_FRAMES = 4;
    private static final int NODES = 10 * CACHED_NODES;
    private static final int PAGES = 10 * CACHED_FRAMES;
    private static final int STEPS = 3000;

    /** One key in logical form; numbers keep their value in oid (words 0-1) and count (word 2). */
    record Key(int type, long oid, int count, int restrictions, int keyData) {
        static final Key VOID = new Key(KeyType.VOID, 0, 0, 0, 0);
    }

    static final class ModelNode {
        int allocationCount;
        int callCount;
        final Key[] slots = new Key[32];

        ModelNode() {
            java.util.Arrays.fill(slots, Key.VOID);
        }
    }

    static final class ModelPage {
        int allocationCount;
        final int[] words = new int[1024];
    }

    private final Map<Long, ModelNode> modelNodes = new HashMap<>();
    private final Map<Long, ModelPage> modelPages = new HashMap<>();

    @TempDir
    Path dir;

    static Stream<Arguments> sourcesAndSeeds() {
        return Stream.of("memory", "store file").flatMap(source -> LongStream.of(1, 42, 0xE05, 20260101, 987654321)
            .mapToObj(seed -> Arguments.of(source, seed)));
    }

    /**
     * The same workload on the in-memory source and on a store file (Chronicle-mapped, written
     * back in place or appended), so that the file round-trips every object too.
     */
    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("sourcesAndSeeds")
    void randomWorkloadOverTenTimesTheCacheStaysConsistentAndRoundTrips(String backing, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ObjectSource objects;
        if (backing.equals("memory")) {
            objects = new MemoryObjectSource(0x100000, 1 << 20);
        } else {
            Path img = dir.resolve("workload-" + seed + ".img");
            new ImageBuilder().write(img); // an empty store; the objects are written below
            objects = StoreFile.open(img);
        }
        try (Fixture f = new Fixture(objects, CACHED_NODES, CACHED_FRAMES)) {
            for (int n = 0; n < NODES; n++) {
                f.putNode(FIRST_NODE + n, 0, 0);
                modelNodes.put(FIRST_NODE + n, new ModelNode());
            }
            for (int p = 0; p < PAGES; p++) {
                f.putPage(FIRST_PAGE + p, 0, 0);
                modelPages.put(FIRST_PAGE + p, new ModelPage());
            }
            int[] done = new int[8];
            for (int step = 0; step < STEPS; step++) {
                int op = random.nextInt(8);
                if (step(f, random, op)) {
                    done[op]++;
                }
                List<String> findings = f.checker.check();
                if (!findings.isEmpty()) {
                    throw new AssertionError("seed " + seed + " step " + step + " op " + op + ": " + findings);
                }
                assertTrue(f.nodes.inUse() <= CACHED_NODES);
            }
            for (int op = 0; op < done.length; op++) {
                assertTrue(done[op] > 0, "operation " + op + " never took effect");
            }
            assertTrue(f.cache.evictions() > STEPS / 4, "the workload must evict: " + f.cache.evictions());

            f.cache.evictAll();
            assertEquals(0, f.nodes.inUse());
            compareWithSource(f);
        }
    }

    /** One random operation on the cache and the model; true if it changed something. */
    private boolean step(Fixture f, SplittableRandom random, int op) {
        long oidA = FIRST_NODE + random.nextInt(NODES);
        long oidB = FIRST_NODE + random.nextInt(NODES);
        int slotA = random.nextInt(32);
        int slotB = random.nextInt(32);
        int a = f.node(oidA);
        f.nodes.pin(a);
        int b = f.node(oidB);
        f.nodes.pin(b);
        int locA = KeyLocation.nodeSlot(a, slotA);
        int locB = KeyLocation.nodeSlot(b, slotB);
        Key[] modelA = modelNodes.get(oidA).slots;
        Key[] modelB = modelNodes.get(oidB).slots;
        boolean changed = true;
        switch (op) {
            case 0 -> { // copy, sometimes with extra restrictions
                int extra = random.nextInt(4) == 0 ? 1 << random.nextInt(4) : 0;
                f.keys.copy(locA, locB, extra);
                modelB[slotB] = restrict(modelA[slotA], extra);
            }
            case 1 -> { // swap
                f.keys.swap(locA, locB);
                Key t = modelA[slotA];
                modelA[slotA] = modelB[slotB];
                modelB[slotB] = t;
            }
            case 2 -> { // prepare: logically nothing changes (a stale key turns void, which it already was)
                changed = f.keys.prepare(locA) >= 0;
            }
            case 3 -> { // rescind the object the key names
                int result = f.keys.rescind(locA);
                Key k = normalise(modelA[slotA]);
                if (k.type() == KeyType.VOID || !KeyType.isObjectKey(k.type())) {
                    assertEquals(ResultCode.VOID, result);
                    changed = false;
                } else {
                    assertEquals(ResultCode.OK, result);
                    if (k.type() == KeyType.PAGE) {
                        modelPages.get(k.oid()).allocationCount++;
                    } else {
                        ModelNode n = modelNodes.get(k.oid());
                        n.allocationCount++;
                        n.callCount++;
                    }
                }
            }
            case 4 -> { // number
                int w0 = random.nextInt();
                int w1 = random.nextInt();
                int w2 = random.nextInt();
                f.keys.storeNumber(locA, w0, w1, w2);
                modelA[slotA] = new Key(KeyType.NUMBER, (w0 & 0xFFFFFFFFL) | (long) w1 << 32, w2, 0, 0);
            }
            case 5 -> { // a fresh key to a random object, with its current count (occasionally a stale one)
                Key k = freshKey(random);
                f.keys.storeObjectKey(locA, k.type(), k.oid(), k.count(), k.restrictions(), k.keyData());
                modelA[slotA] = k;
            }
            case 6 -> { // fetch through a node key in slot A (diminished if weak), into slot B
                Key nk = normalise(modelA[slotA]);
                int result = f.keys.fetchSlot(locA, slotB, locB);
                if (nk.type() != KeyType.NODE) {
                    assertEquals(ResultCode.VOID, result);
                    changed = false;
                } else {
                    assertEquals(ResultCode.OK, result);
                    Key fetched = modelNodes.get(nk.oid()).slots[slotB];
                    int extra = (nk.restrictions() & Restriction.WEAK) != 0 ? Restriction.diminished(0) : 0;
                    modelB[slotB] = restrict(fetched, extra);
                }
            }
            default -> { // write into a page and mark it dirty
                long page = FIRST_PAGE + random.nextInt(PAGES);
                int frame = f.cache.faultPage(page);
                int word = random.nextInt(1024);
                int value = random.nextInt();
                f.frames.data().putInt(f.frames.dataOffset(frame) + word * 4, value);
                f.frames.markDirty(frame);
                modelPages.get(page).words[word] = value;
            }
        }
        f.nodes.unpin(b);
        f.nodes.unpin(a);
        return changed;
    }

    private Key freshKey(SplittableRandom random) {
        boolean stale = random.nextInt(4) == 0;
        int restrictions = random.nextInt(3) == 0 ? random.nextInt(16) : 0;
        if (random.nextInt(4) == 0) {
            long page = FIRST_PAGE + random.nextInt(PAGES);
            int current = modelPages.get(page).allocationCount;
            int count = stale && current > 0 ? current - 1 : current; // stale = an older count: counts only grow
            return new Key(KeyType.PAGE, page, count, restrictions, 0);
        }
        long node = FIRST_NODE + random.nextInt(NODES);
        ModelNode m = modelNodes.get(node);
        int type = random.nextInt(6) == 0 ? KeyType.RESUME : random.nextInt(2) == 0 ? KeyType.NODE : KeyType.START;
        int current = type == KeyType.RESUME ? m.callCount : m.allocationCount;
        int count = stale && current > 0 ? current - 1 : current;
        return new Key(type, node, count, restrictions, type == KeyType.START ? random.nextInt(1 << 16) : 0);
    }

    private static Key restrict(Key k, int extra) {
        if (k.type() == KeyType.NUMBER || k.type() == KeyType.VOID) {
            return k;
        }
        return new Key(k.type(), k.oid(), k.count(), k.restrictions() | extra, k.keyData());
    }

    /** A stale object key is logically void. */
    private Key normalise(Key k) {
        if (!KeyType.isObjectKey(k.type())) {
            return k;
        }
        int current;
        if (k.type() == KeyType.PAGE) {
            current = modelPages.get(k.oid()).allocationCount;
        } else {
            ModelNode n = modelNodes.get(k.oid());
            current = k.type() == KeyType.RESUME ? n.callCount : n.allocationCount;
        }
        return k.count() == current ? k : Key.VOID;
    }

    private void compareWithSource(Fixture f) {
        for (Map.Entry<Long, ModelNode> e : modelNodes.entrySet()) {
            long oid = e.getKey();
            ModelNode m = e.getValue();
            f.sourceNode(oid);
            assertEquals(m.allocationCount, f.sourceHeader().allocationCount, "allocation count of node " + oid);
            assertEquals(m.callCount, f.sourceHeader().callCount, "call count of node " + oid);
            for (int s = 0; s < 32; s++) {
                int tail = f.sourceTail(oid, s);
                assertTrue(!KeyDescriptor.isPrepared(tail));
                Key stored = new Key(KeyDescriptor.type(tail), f.sourceOid(oid, s), f.sourceCount(oid, s),
                    KeyDescriptor.restrictions(tail), KeyDescriptor.keyData(tail));
                assertEquals(normalise(m.slots[s]), normalise(stored), "node 0x" + Long.toHexString(oid) + " slot " + s);
            }
        }
        for (Map.Entry<Long, ModelPage> e : modelPages.entrySet()) {
            long oid = e.getKey();
            UnsafeBuffer page = f.sourcePage(oid);
            assertEquals(e.getValue().allocationCount, f.sourceHeader().allocationCount, "allocation count of page " + oid);
            for (int w = 0; w < 1024; w++) {
                assertEquals(e.getValue().words[w], page.getInt(w * 4), "page " + oid + " word " + w);
            }
        }
    }
}
