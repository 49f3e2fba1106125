package org.erosim.kernel.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.agrona.concurrent.UnsafeBuffer;
import org.erosim.kernel.abi.FaultCode;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.RedSegmentFormat;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.kernel.object.KeyLocation;
import org.erosim.kernel.object.ObjectCache;
import org.erosim.kernel.object.ObjectHeader;
import org.erosim.kernel.object.ObjectSource;
import org.erosim.kernel.space.SegmentWalker;
import org.erosim.kernel.space.WalkResult;
import org.erosim.kernel.store.StoreChecker;
import org.erosim.kernel.store.StoreFile;
import org.erosim.mmu.PhysicalMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.*;

class ImageBuilderTest {
    @TempDir
    Path dir;

    private final UnsafeBuffer keys = new UnsafeBuffer(new byte[ObjectSource.NODE_KEYS_LENGTH]);
    private final ObjectHeader header = new ObjectHeader();

    private int tail(int slot) {
        return keys.getInt(slot * 16 + KeyDescriptor.TAIL_OFFSET);
    }

    @Test
    void everyKeyKindRoundTripsThroughTheStoreFile() {
        ImageBuilder b = new ImageBuilder();
        int server = b.process();
        b.setRunState(server, ProcessLayout.WAITING);
        int client = b.process();
        int n = b.node();
        int target = b.node();
        int page = b.page(new byte[] {1, 2, 3});
        b.setAllocationCount(page, 7);
        b.setAllocationCount(target, 3);
        b.setCallCount(server, 5);
        b.setNodeKey(n, 0, target, Restriction.WEAK | Restriction.READ_ONLY);
        b.setSegmentKey(n, 1, target, 2, Restriction.NO_CALL);
        b.setPageKey(n, 2, page, Restriction.READ_ONLY);
        b.setStartKey(n, 3, server, 0xBEEF);
        b.setProcessKey(n, 4, client);
        b.setResumeKey(n, 5, server);
        b.setNumberKey(n, 6, 0x11111111, 0x22222222, 0x33333333);
        int slot = 7;
        for (int k = KeyType.RANGE; k <= KeyType.CHECKPOINT; k++) {
            b.setKernelKey(n, slot++, k);
        }
        b.setNumberKey(n, 31, 9, 9, 9);
        b.setVoid(n, 31);
        Path f = dir.resolve("keys.img");
        b.write(f);

        try (StoreFile s = StoreFile.openReadOnly(f)) {
            assertTrue(s.readNode(b.oid(n), header, keys, 0));
            assertEquals(KeyDescriptor.tail(KeyType.NODE, 0, Restriction.WEAK | Restriction.READ_ONLY, 0), tail(0));
            assertEquals(b.oid(target), keys.getLong(0));
            assertEquals(3, keys.getInt(8));
            assertEquals(KeyDescriptor.tail(KeyType.SEGMENT, 0, Restriction.NO_CALL, 2), tail(1));
            assertEquals(KeyDescriptor.tail(KeyType.PAGE, 0, Restriction.READ_ONLY, 0), tail(2));
            assertEquals(b.oid(page), keys.getLong(32));
            assertEquals(7, keys.getInt(32 + 8));
            assertEquals(KeyDescriptor.tail(KeyType.START, 0, 0, 0xBEEF), tail(3));
            assertEquals(b.oid(server), keys.getLong(48));
            assertEquals(KeyDescriptor.tail(KeyType.PROCESS, 0, 0, 0), tail(4));
            assertEquals(b.oid(client), keys.getLong(64));
            assertEquals(KeyDescriptor.tail(KeyType.RESUME, 0, 0, 0), tail(5));
            assertEquals(5, keys.getInt(80 + 8), "a resume key carries the call count");
            assertEquals(KeyType.NUMBER, KeyDescriptor.type(tail(6)));
            assertEquals(0x11111111, keys.getInt(96));
            assertEquals(0x22222222, keys.getInt(100));
            assertEquals(0x33333333, keys.getInt(104));
            slot = 7;
            for (int k = KeyType.RANGE; k <= KeyType.CHECKPOINT; k++) {
                assertEquals(KeyDescriptor.tail(k, 0, 0, 0), tail(slot++), KeyType.name(k));
            }
            for (int s2 = slot; s2 < 32; s2++) {
                assertEquals(KeyDescriptor.VOID_TAIL, tail(s2), "slot " + s2 + " is void");
            }
            UnsafeBuffer data = new UnsafeBuffer(new byte[4096]);
            assertTrue(s.readPage(b.oid(page), header, data, 0));
            assertEquals(7, header.allocationCount);
            assertEquals(1, data.getByte(0));
            assertEquals(3, data.getByte(2));
            assertEquals(0, data.getByte(3));
            assertTrue(s.readNode(b.oid(server), header, keys, 0));
            assertEquals(5, header.callCount);
        }
        StoreChecker.Report r = StoreChecker.check(f);
        assertTrue(r.consistent(), () -> String.join("\n", r.findings()));
        assertEquals(2, r.processes());
    }

    @Test
    void newProcessHasKeyRegistersNodeNumberSlotsAndIsAvailable() {
        ImageBuilder b = new ImageBuilder();
        int p = b.process();
        assertTrue(b.isProcess(p));
        assertEquals(p, b.rootNode(p));
        int kr = b.keyRegistersNode(p);
        assertNotEquals(p, kr);
        assertEquals(KeyType.NODE, b.keyType(p, ProcessLayout.SLOT_KEY_REGISTERS));
        assertEquals(kr, b.keyTarget(p, ProcessLayout.SLOT_KEY_REGISTERS));
        for (int s = ProcessLayout.SLOT_FAULT_AND_STATE; s <= ProcessLayout.SLOT_RECEIVE; s++) {
            assertEquals(KeyType.NUMBER, b.keyType(p, s));
        }
        assertEquals(ProcessLayout.AVAILABLE, b.runState(p));
        assertEquals(ImageBuilder.DEFAULT_EFLAGS, b.numberWord(p, ProcessLayout.SLOT_EIP_ESP_EFLAGS, 2));
        assertEquals(0, b.slotBitmap(kr), "key registers start void");
        assertFalse(b.isProcess(kr));
    }

    @Test
    void registersKeeperScheduleAndRunsAtBootLandInTheRootSlots() {
        ImageBuilder b = new ImageBuilder();
        int p = b.process();
        int keeper = b.process();
        b.setRegisters(p, 0x1000, 0x2000, 0x246);
        b.setGeneralRegisters(p, 1, 2, 3, 4, 5, 6, 7);
        b.setEip(p, 0x1234);
        b.setKeeper(p, keeper, 9);
        b.setSchedule(p);
        b.setRunsAtBoot(p, true);
        assertEquals(0x1234, b.numberWord(p, ProcessLayout.SLOT_EIP_ESP_EFLAGS, 0));
        assertEquals(0x2000, b.numberWord(p, ProcessLayout.SLOT_EIP_ESP_EFLAGS, 1));
        assertEquals(0x246, b.numberWord(p, ProcessLayout.SLOT_EIP_ESP_EFLAGS, 2));
        assertEquals(1, b.numberWord(p, ProcessLayout.SLOT_EAX_EBX_ECX, 0));
        assertEquals(6, b.numberWord(p, ProcessLayout.SLOT_EDX_ESI_EDI, 2));
        assertEquals(7, b.numberWord(p, ProcessLayout.SLOT_EBP, 0));
        assertEquals(KeyType.START, b.keyType(p, ProcessLayout.SLOT_KEEPER));
        assertEquals(keeper, b.keyTarget(p, ProcessLayout.SLOT_KEEPER));
        assertEquals(KeyType.SCHED, b.keyType(p, ProcessLayout.SLOT_SCHEDULE));
        assertEquals(ProcessLayout.RUNNING, b.runState(p));
        b.setRunsAtBoot(p, false);
        assertEquals(ProcessLayout.AVAILABLE, b.runState(p));
    }

    @Test
    void redSegmentWritesAWellFormedFormatKeyInSlot31() {
        ImageBuilder b = new ImageBuilder();
        int seg = b.node();
        b.redSegment(seg, 16, 30, 17, RedSegmentFormat.CONVENTION_PASS, 3);
        int w = b.numberWord(seg, 31, 0);
        assertTrue(RedSegmentFormat.isWellFormed(w));
        assertEquals(16, RedSegmentFormat.initialSlots(w));
        assertEquals(30, RedSegmentFormat.keeperSlot(w));
        assertEquals(17, RedSegmentFormat.backgroundSlot(w));
        assertEquals(1, RedSegmentFormat.convention(w));
        assertEquals(3, RedSegmentFormat.height(w));
    }

    /** Walks a builder address space like the kernel's translation: returns the page handle for vaddr, or -1. */
    private static int translate(ImageBuilder b, int root, int height, long vaddr, boolean[] readOnly) {
        int node = root;
        for (int h = height; h >= 1; h--) {
            int slot = (int) ((vaddr >>> (12 + 5 * (h - 1))) & 31);
            int type = b.keyType(node, slot);
            UnsafeBuffer k = new UnsafeBuffer(new byte[16]);
            b.readKey(node, slot, k, 0);
            if ((KeyDescriptor.restrictions(k.getInt(12)) & Restriction.READ_ONLY) != 0) {
                readOnly[0] = true;
            }
            if (type == KeyType.VOID) {
                return -1;
            }
            if (h == 1) {
                assertEquals(KeyType.PAGE, type);
                return b.keyTarget(node, slot);
            }
            assertEquals(KeyType.SEGMENT, type);
            assertEquals(h - 1, KeyDescriptor.keyData(k.getInt(12)), "segment key height");
            node = b.keyTarget(node, slot);
        }
        throw new AssertionError("unreachable");
    }

    @Test
    void programAddressSpaceMapsEveryRegionByteAndTheStack() {
        ImageBuilder b = new ImageBuilder();
        int prog = b.program("hello");
        byte[] text = new byte[6000];
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) (i * 7 + 1);
        }
        byte[] data = {9, 8, 7};
        b.addRegion(prog, 0x08048000L, text, text.length, false);
        b.addRegion(prog, 0x0804B010L, data, 5000, true);
        b.stack(prog, 8192, 0xC0000000L);
        b.entry(prog, 0x08048010);
        int p = b.process();
        int root = b.instantiate(prog, p);
        assertEquals(4, b.programHeight(prog), "0x0804xxxx and 0xBFFFxxxx need the whole 4 GiB");
        assertEquals(KeyType.SEGMENT, b.keyType(p, ProcessLayout.SLOT_ADDRESS_SPACE));
        assertEquals(root, b.keyTarget(p, ProcessLayout.SLOT_ADDRESS_SPACE));
        assertEquals(0x08048010, b.numberWord(p, ProcessLayout.SLOT_EIP_ESP_EFLAGS, 0));
        assertEquals(0xC0000000, b.numberWord(p, ProcessLayout.SLOT_EIP_ESP_EFLAGS, 1));
        UnsafeBuffer page = new UnsafeBuffer(new byte[4096]);
        for (int i = 0; i < text.length; i += 97) {
            boolean[] ro = {false};
            int pg = translate(b, root, 4, 0x08048000L + i, ro);
            b.readPage(pg, page, 0);
            assertEquals(text[i], page.getByte((0x8000 + i) & 0xFFF), "text byte " + i);
            assertTrue(ro[0], "text is read-only");
        }
        boolean[] ro = {false};
        int dp = translate(b, root, 4, 0x0804B010L, ro);
        b.readPage(dp, page, 0);
        assertEquals(9, page.getByte(0x10));
        assertEquals(7, page.getByte(0x12));
        assertFalse(ro[0], "data is writable");
        int bss = translate(b, root, 4, 0x0804B010L + 4999, ro);
        assertTrue(b.isPage(bss));
        ro[0] = false;
        int stackPage = translate(b, root, 4, 0xBFFFFFFCL, ro);
        assertTrue(b.isPage(stackPage));
        assertFalse(ro[0], "stack is writable");
        assertEquals(-1, translate(b, root, 4, 0x10000000L, ro), "unmapped address");
        assertEquals(-1, translate(b, root, 4, 0xBFFFD000L - 1, ro), "below the stack");
    }

    @Test
    void processesOfOneProgramShareReadOnlyPagesAndSubtreesButNotWritablePages() {
        ImageBuilder b = new ImageBuilder();
        int prog = b.program("shared");
        // Text in its own 4 MiB (height-2) span, data in another: the text subtree is all read-only.
        b.addRegion(prog, 0x00400000L, new byte[8192], 8192, false);
        b.addRegion(prog, 0x00800000L, new byte[] {1}, 4096, true);
        b.stack(prog, 4096, 0x01000000L);
        b.entry(prog, 0x00400000);
        int p1 = b.process();
        int p2 = b.process();
        int r1 = b.instantiate(prog, p1);
        int before = b.objectCount();
        int r2 = b.instantiate(prog, p2);
        assertEquals(3, b.programHeight(prog));
        assertNotEquals(r1, r2, "roots hold writable subtrees, so they are per process");
        boolean[] ro = {false};
        assertEquals(translate(b, r1, 3, 0x00400000L, ro), translate(b, r2, 3, 0x00400000L, ro), "text page shared");
        assertEquals(translate(b, r1, 3, 0x00401000L, ro), translate(b, r2, 3, 0x00401000L, ro), "text page shared");
        assertNotEquals(translate(b, r1, 3, 0x00800000L, ro), translate(b, r2, 3, 0x00800000L, ro), "data page per process");
        assertNotEquals(translate(b, r1, 3, 0x00FFF000L, ro), translate(b, r2, 3, 0x00FFF000L, ro), "stack page per process");
        int textSlot = 0x00400000 >>> 22;
        assertEquals(b.keyTarget(r1, textSlot), b.keyTarget(r2, textSlot), "read-only subtree shared");
        // Second instantiation: root + data subtree (h2, h1) + stack subtree (h2, h1) + data page + stack page.
        assertEquals(7, b.objectCount() - before);
        Path f = dir.resolve("shared.img");
        b.write(f);
        StoreChecker.Report r = StoreChecker.check(f);
        assertTrue(r.consistent(), () -> String.join("\n", r.findings()));
    }

    @Test
    void aProgramWithoutWritablePagesSharesItsWholeSpace() {
        ImageBuilder b = new ImageBuilder();
        int prog = b.program("pure");
        b.addRegion(prog, 0x1000L, new byte[] {(byte) 0xF4}, 1, false);
        b.entry(prog, 0x1000);
        int p1 = b.process();
        int p2 = b.process();
        assertEquals(b.instantiate(prog, p1), b.instantiate(prog, p2));
        assertEquals(1, b.programHeight(prog), "a program below 128 KiB needs height 1");
        UnsafeBuffer k = new UnsafeBuffer(new byte[16]);
        b.readKey(p2, ProcessLayout.SLOT_ADDRESS_SPACE, k, 0);
        assertEquals(Restriction.READ_ONLY, KeyDescriptor.restrictions(k.getInt(12)));
    }

    @Test
    void writingTwiceGivesTheSameBytes() throws Exception {
        ImageBuilder b = new ImageBuilder();
        int p = b.process();
        b.setNumberKey(b.keyRegistersNode(p), 5, 1, 2, 3);
        b.zeroPage();
        b.page(new byte[] {4});
        b.write(dir.resolve("a.img"));
        b.write(dir.resolve("b.img"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.img")), Files.readAllBytes(dir.resolve("b.img")));
    }

    @Test
    void raisingACountAfterwardsMakesEarlierKeysStale() {
        ImageBuilder b = new ImageBuilder();
        int n = b.node();
        int pg = b.zeroPage();
        b.setPageKey(n, 0, pg, 0);
        b.setAllocationCount(pg, 1);
        b.setPageKey(n, 1, pg, 0);
        Path f = dir.resolve("stale.img");
        b.write(f);
        StoreChecker.Report r = StoreChecker.check(f);
        assertTrue(r.consistent(), () -> String.join("\n", r.findings()));
        assertEquals(1, r.staleKeys());
    }

    // ------------------------------------------------------------------ maps

    /**
     * The written image as the kernel sees it: a store-backed object cache and the kernel's
     * own {@link SegmentWalker}, so map tests check translations by the real rules (heights,
     * short-circuits, red segments, kept segments) rather than by a test walker.
     */
    private static final class KernelView implements AutoCloseable {
        final StoreFile store;
        final PhysicalMemory ram = new PhysicalMemory(17L * PhysicalMemory.PAGE_SIZE);
        final ObjectCache cache;
        final SegmentWalker walker;
        final WalkResult result = new WalkResult();
        final ImageBuilder b;

        KernelView(ImageBuilder b, Path file) {
            this.b = b;
            b.write(file);
            StoreChecker.Report r = StoreChecker.check(file);
            assertTrue(r.consistent(), () -> String.join("\n", r.findings()));
            store = StoreFile.openReadOnly(file);
            cache = new ObjectCache(store, 64, ram, PhysicalMemory.PAGE_SIZE, 16);
            walker = new SegmentWalker(cache);
        }

        /** Walks {@code address} through {@code process}'s root slot 2; returns the result. */
        WalkResult walk(int process, long address, boolean write) {
            int root = cache.faultNode(b.oid(process));
            assertTrue(root >= 0);
            walker.walk(KeyLocation.nodeSlot(root, ProcessLayout.SLOT_ADDRESS_SPACE), (int) address, write, result);
            return result;
        }

        /** The builder handle of the page {@code address} translates to in {@code process}, or -1. */
        int page(int process, long address) {
            WalkResult r = walk(process, address, false);
            return r.translated() ? (int) (cache.frames().oid(r.frame()) - 1) : -1;
        }

        @Override
        public void close() {
            store.close();
            ram.close();
        }
    }

    private static int keyHeight(ImageBuilder b, int node, int slot) {
        UnsafeBuffer k = new UnsafeBuffer(new byte[16]);
        b.readKey(node, slot, k, 0);
        return KeyDescriptor.keyData(k.getInt(KeyDescriptor.TAIL_OFFSET));
    }

    private static int keyRestrictions(ImageBuilder b, int node, int slot) {
        UnsafeBuffer k = new UnsafeBuffer(new byte[16]);
        b.readKey(node, slot, k, 0);
        return KeyDescriptor.restrictions(k.getInt(KeyDescriptor.TAIL_OFFSET));
    }

    @Test
    void mapPutsAKeptRedSegmentIntoOneProcessAndGrowsItsTree() {
        ImageBuilder b = new ImageBuilder();
        int prog = b.program("pure");
        b.addRegion(prog, 0x1000L, new byte[] {(byte) 0xF4}, 1, false);
        b.entry(prog, 0x1000);
        int p1 = b.process();
        int p2 = b.process();
        int shared = b.instantiate(prog, p1);
        assertEquals(shared, b.instantiate(prog, p2), "no writable page: one space for both");
        int keeper = b.process();
        int red = b.node();
        int page = b.page(new byte[] {'m', 'a', 'p'});
        b.setPageKey(red, 2, page, 0);
        b.setStartKey(red, 4, keeper, 0);
        b.redSegment(red, 4, 4, RedSegmentFormat.NONE, RedSegmentFormat.CONVENTION_NODE_KEY, 1);
        long at = 0x12340000L; // 128 KiB aligned; slots 2 (height 4), 8 (height 3), 26 (height 2)

        int holder = b.mapSegment(p1, at, red, 1, 0);

        // p1: a new height-4 root; slot 0 holds the chain down to the old shared root, unchanged.
        assertEquals(4, keyHeight(b, p1, ProcessLayout.SLOT_ADDRESS_SPACE));
        assertEquals(0, keyRestrictions(b, p1, ProcessLayout.SLOT_ADDRESS_SPACE));
        int root = b.keyTarget(p1, ProcessLayout.SLOT_ADDRESS_SPACE);
        int h3 = b.keyTarget(root, 0);
        int h2 = b.keyTarget(h3, 0);
        assertEquals(shared, b.keyTarget(h2, 0));
        assertEquals(1, keyHeight(b, h2, 0));
        assertEquals(Restriction.READ_ONLY, keyRestrictions(b, h2, 0), "the shared space stays read-only");
        assertEquals(1 << 1, b.slotBitmap(shared), "the shared root is not written");
        // ... and the path to the map: slot 2 -> slot 8 -> slot 26 of the node of height 2.
        int m3 = b.keyTarget(root, 2);
        assertEquals(holder, b.keyTarget(m3, 8));
        assertEquals(1 << 26, b.slotBitmap(holder));
        assertEquals(red, b.keyTarget(holder, 26));
        assertEquals(KeyType.SEGMENT, b.keyType(holder, 26));
        assertEquals(1, keyHeight(b, holder, 26));
        // p2 still runs in the shared space alone.
        assertEquals(shared, b.keyTarget(p2, ProcessLayout.SLOT_ADDRESS_SPACE));
        assertEquals(1, keyHeight(b, p2, ProcessLayout.SLOT_ADDRESS_SPACE));

        try (KernelView k = new KernelView(b, dir.resolve("map-red.img"))) {
            assertEquals(page, k.page(p1, at + 0x2000 + 2));
            assertEquals(0, k.result.restrictions(), "the path to the map carries no restriction");
            assertEquals(2, k.result.pageOffset());
            assertEquals(page, k.page(p1, at + 0x2FFF));
            int text = k.page(p1, 0x1000);
            assertTrue(b.isPage(text), "the program still runs");
            assertEquals(Restriction.READ_ONLY, k.result.restrictions());
            WalkResult r = k.walk(p1, at + 0x1010, true);
            assertEquals(FaultCode.INVALID_ADDR, r.faultCode(), "a void initial slot of the red segment");
            assertEquals(b.oid(red), k.cache.nodes().oid(r.keptNode()), "the fault belongs to its keeper");
            assertEquals(0x1010, r.keptOffset());
            r = k.walk(p1, at + 0x8000, false);
            assertEquals(FaultCode.INVALID_ADDR, r.faultCode(), "beyond the initial slots, no background");
            assertEquals(0x8000, r.keptOffset());
            assertEquals(-1, k.page(p2, at + 0x2000), "p2 has no map");
            assertEquals(text, k.page(p2, 0x1000));
        }
    }

    @Test
    void mapIntoASharedSubtreeCopiesItForTheMappingProcessOnly() {
        ImageBuilder b = new ImageBuilder();
        int prog = b.program("shared");
        b.addRegion(prog, 0x00400000L, new byte[8192], 8192, false);
        b.addRegion(prog, 0x00800000L, new byte[] {1}, 4096, true);
        b.stack(prog, 4096, 0x01000000L);
        b.entry(prog, 0x00400000);
        int p1 = b.process();
        int p2 = b.process();
        int r1 = b.instantiate(prog, p1);
        int r2 = b.instantiate(prog, p2);
        int sharedText = b.keyTarget(r1, 1);
        assertEquals(sharedText, b.keyTarget(r2, 1));
        int buffer = b.page(new byte[] {42});

        int holder = b.mapPage(p1, 0x00402000L, buffer, 0);

        assertEquals(r1, b.keyTarget(p1, ProcessLayout.SLOT_ADDRESS_SPACE), "height 3 covers it: no growth");
        // The path 0x402000 = slot 1 (height 3) -> slot 0 (height 2) -> slot 2 (height 1) ran through two
        // shared nodes: p1 got a copy of each, keyed without restriction.
        int copy = b.keyTarget(r1, 1);
        assertNotEquals(sharedText, copy);
        assertEquals(0, keyRestrictions(b, r1, 1), "the copy is the process's own");
        assertEquals(holder, b.keyTarget(copy, 0));
        assertEquals(0, keyRestrictions(b, copy, 0));
        int sharedLow = b.keyTarget(sharedText, 0);
        assertNotEquals(sharedLow, holder);
        assertEquals(sharedText, b.keyTarget(r2, 1), "p2 keeps the shared subtree");
        assertEquals(1, b.slotBitmap(sharedText), "the shared nodes are not written");
        assertEquals(0b11, b.slotBitmap(sharedLow));
        assertEquals(0b111, b.slotBitmap(holder), "two text pages and the map");
        assertEquals(b.keyTarget(sharedLow, 1), b.keyTarget(holder, 1), "the text pages themselves stay shared");
        assertEquals(Restriction.READ_ONLY, keyRestrictions(b, holder, 1));
        assertEquals(buffer, b.keyTarget(holder, 2));

        try (KernelView k = new KernelView(b, dir.resolve("map-shared.img"))) {
            int text = k.page(p1, 0x00400000L);
            assertEquals(Restriction.READ_ONLY, k.result.restrictions());
            assertEquals(text, k.page(p2, 0x00400000L), "text still shared between the processes");
            assertEquals(FaultCode.ACCESS_VIOLATION, k.walk(p1, 0x00401000L, true).faultCode(), "text stays read-only");
            assertTrue(k.walk(p1, 0x00402000L, true).translated(), "the mapped page is writable");
            assertEquals(buffer, k.page(p1, 0x00402000L));
            assertEquals(-1, k.page(p2, 0x00402000L));
        }
    }

    private static void assertImageError(String expected, Runnable r) {
        ImageException e = assertThrows(ImageException.class, r::run);
        assertEquals(expected, e.getMessage());
    }

    @Test
    void invalidUseGivesOneLineErrors() {
        ImageBuilder b = new ImageBuilder();
        int n = b.node();
        int pg = b.zeroPage();
        int prog = b.program("bad");
        assertImageError("handle 9 does not name an object (there are 2)", () -> b.setVoid(9, 0));
        assertImageError("slot 32 out of range 0..31", () -> b.setNumberKey(n, 32, 0, 0, 0));
        assertImageError("slot -1 out of range 0..31", () -> b.setVoid(n, -1));
        assertImageError("handle 1 is a page, not a node", () -> b.setNodeKey(n, 0, pg, 0));
        assertImageError("handle 0 is a node, not a page", () -> b.setPageKey(n, 0, n, 0));
        assertImageError("segment height 5 out of range 1..4", () -> b.setSegmentKey(n, 0, n, 5, 0));
        assertImageError("segment height 0 out of range 1..4", () -> b.redSegment(n, 1, 31, 31, 0, 0));
        assertImageError("node 0 is not a process root (slot 3 is not a node key to its key-registers node)",
            () -> b.setStartKey(n, 0, n, 0));
        assertImageError("restriction bits 0x10 include undefined bits (defined: 1 read-only, 2 no-call, 4 weak, 8 opaque)",
            () -> b.setNodeKey(n, 0, n, 16));
        assertImageError("page data is 4097 bytes, more than a page (4096)", () -> b.page(new byte[4097]));
        assertImageError("key type number is not a kernel key (range, discrim, sched, sleep, console, systrace, checkpoint)",
            () -> b.setKernelKey(n, 0, KeyType.NUMBER));
        assertImageError("red segment convention 2 is neither 0 (node key) nor 1 (pass)", () -> b.redSegment(n, 1, 31, 31, 2, 1));
        int p = b.process();
        assertImageError("badge 65536 does not fit in 16 bits", () -> b.setStartKey(n, 0, p, 0x10000));
        assertImageError("run state 3 is not 0 (available), 1 (running) or 2 (waiting)", () -> b.setRunState(p, 3));
        assertImageError("program handle 4 does not name a program", () -> b.entry(4, 0));
        b.addRegion(prog, 0x1000L, new byte[10], 0x2000, false);
        assertImageError("program 'bad': region at 0x2000 [0x2000, 0x2001) overlaps the region [0x1000, 0x3000)",
            () -> b.addRegion(prog, 0x2000L, new byte[1], 1, true));
        assertImageError("program 'bad': stack [0x2000, 0x4000) overlaps the region [0x1000, 0x3000)",
            () -> b.stack(prog, 0x2000, 0x4000L));
        assertImageError("program 'bad': region at 0x9000 has memory size 1 smaller than its 2 file bytes",
            () -> b.addRegion(prog, 0x9000L, new byte[2], 1, true));
        assertImageError("program 'bad': region at 0xfffff000 of 8192 bytes does not fit in the 32-bit address space",
            () -> b.addRegion(prog, 0xFFFFF000L, new byte[0], 8192, true));
        assertImageError("program 'bad' has no entry point", () -> b.instantiate(prog, p));
        b.entry(prog, 0x1000);
        b.instantiate(prog, p);
        assertImageError("program 'bad' was already instantiated and can no longer change", () -> b.entry(prog, 0));
    }

    @Test
    void refusedMapsSayWhyAndChangeNothing() {
        ImageBuilder b = new ImageBuilder();
        int prog = b.program("shared");
        b.addRegion(prog, 0x00400000L, new byte[8192], 8192, false);
        b.stack(prog, 4096, 0x01000000L);
        b.entry(prog, 0x00400000);
        int p = b.process();
        int bare = b.process();
        int pg = b.zeroPage();
        int seg = b.node();
        assertImageError("process 2 does not run a program (instantiate one first); only a program's space is the "
            + "process's own to map into", () -> b.mapPage(bare, 0x2000000L, pg, 0));
        b.instantiate(prog, p);
        b.mapSegment(p, 0x02000000L, seg, 1, 0);
        int objects = b.objectCount();
        int root = b.keyTarget(p, ProcessLayout.SLOT_ADDRESS_SPACE);
        int rootSlots = b.slotBitmap(root);
        assertImageError("map of page 4 at 0x3001234 is not aligned to its span 0x1000",
            () -> b.mapPage(p, 0x03001234L, pg, 0));
        assertImageError("map of segment 5 at 0x3001000 is not aligned to its span 0x20000",
            () -> b.mapSegment(p, 0x03001000L, seg, 1, 0));
        assertImageError("map of page 4 at [0x100000000, 0x100001000) does not fit below 4 GiB",
            () -> b.mapPage(p, 0x100000000L, pg, 0));
        assertImageError("program 'shared': map of page 4 [0x401000, 0x402000) overlaps the region "
            + "[0x400000, 0x402000)", () -> b.mapPage(p, 0x00401000L, pg, 0));
        assertImageError("program 'shared': map of page 4 [0xfff000, 0x1000000) overlaps the stack "
            + "[0xfff000, 0x1000000)", () -> b.mapPage(p, 0x00FFF000L, pg, 0));
        assertImageError("program 'shared': map of segment 5 [0x0, 0x100000000) overlaps the region "
            + "[0x400000, 0x402000)", () -> b.mapSegment(p, 0L, seg, 4, 0));
        assertImageError("map of page 4 at [0x2001000, 0x2002000) overlaps the map at [0x2000000, 0x2020000)",
            () -> b.mapPage(p, 0x02001000L, pg, 0));
        assertImageError("map of segment 5 at [0x2000000, 0x2400000) overlaps the map at [0x2000000, 0x2020000)",
            () -> b.mapSegment(p, 0x02000000L, seg, 2, 0));
        assertImageError("handle 5 is a node, not a page", () -> b.mapPage(p, 0x03000000L, seg, 0));
        assertImageError("segment height 0 out of range 1..4", () -> b.mapSegment(p, 0x03000000L, seg, 0, 0));
        assertEquals(objects, b.objectCount(), "a refused map makes no object");
        assertEquals(rootSlots, b.slotBitmap(root), "and writes no slot");
        b.mapPage(p, 0x02020000L, pg, Restriction.READ_ONLY); // right after the segment: fine
    }

    @Test
    void objectsGetDenseOidsFromOne() {
        ImageBuilder b = new ImageBuilder();
        Set<Long> oids = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            int h = (i % 3 == 0) ? b.zeroPage() : b.node();
            assertEquals(i, h);
            assertTrue(oids.add(b.oid(h)));
            assertEquals(i + 1L, b.oid(h));
        }
    }
}
