package org.erosim.tools.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.RedSegmentFormat;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.image.ImageBuilder;
import org.erosim.kernel.key.KeyDescriptor;
import org.erosim.tools.elf.ElfFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a description turns into: objects, keys and address spaces in the image builder. */
class ImageCompilerTest {
    @TempDir
    Path dir;

    @BeforeEach
    void guests() throws Exception {
        Fixtures.guest(dir, "hello");
        Fixtures.guest(dir, "echo");
    }

    private ImageCompiler.Result compile(String text) throws Exception {
        return ImageCompiler.compile(Fixtures.write(dir, "sys.erosys", text));
    }

    /** One mapped page of an address space: its page handle and the restrictions on the way. */
    private record Mapping(int page, int restrictions) {
    }

    /** Walks a process's address space tree: virtual page number → mapping. */
    private static Map<Long, Mapping> pages(ImageBuilder b, int process) {
        Map<Long, Mapping> out = new TreeMap<>();
        UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
        b.readKey(process, ProcessLayout.SLOT_ADDRESS_SPACE, key, 0);
        int tail = key.getInt(KeyDescriptor.TAIL_OFFSET);
        walk(b, b.keyTarget(process, ProcessLayout.SLOT_ADDRESS_SPACE), KeyDescriptor.keyData(tail), 0,
            KeyDescriptor.restrictions(tail), out);
        return out;
    }

    private static void walk(ImageBuilder b, int node, int height, long base, int restrictions, Map<Long, Mapping> out) {
        UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
        for (int slot = 0; slot < 32; slot++) {
            int type = b.keyType(node, slot);
            b.readKey(node, slot, key, 0);
            int r = restrictions | KeyDescriptor.restrictions(key.getInt(KeyDescriptor.TAIL_OFFSET));
            long at = base + ((long) slot << (12 + 5 * (height - 1)));
            if (type == KeyType.PAGE) {
                out.put(at >>> 12, new Mapping(b.keyTarget(node, slot), r));
            } else if (type == KeyType.SEGMENT) {
                walk(b, b.keyTarget(node, slot), KeyDescriptor.keyData(key.getInt(KeyDescriptor.TAIL_OFFSET)), at, r,
                    out);
            }
        }
    }

    @Test
    void processesOfOneProgramShareItsReadOnlyPagesAndNotItsWritablePages() throws Exception {
        ImageCompiler.Result r = compile("program hello \"hello.elf\"\n"
            + "process a {\n  space hello\n}\nprocess b {\n  space hello\n}\n");
        ImageBuilder b = r.builder();
        Map<Long, Mapping> a = pages(b, r.handles().get("a"));
        Map<Long, Mapping> bb = pages(b, r.handles().get("b"));
        assertEquals(a.keySet(), bb.keySet());
        // hello: text at 0x400000, rodata at 0x401000, data+bss at 0x402000, 16 KiB stack below 2 GiB
        assertEquals(a.get(0x400L), bb.get(0x400L));
        assertEquals(a.get(0x401L), bb.get(0x401L));
        assertEquals(Restriction.READ_ONLY, a.get(0x400L).restrictions() & Restriction.READ_ONLY);
        assertNotEquals(a.get(0x402L).page(), bb.get(0x402L).page());
        assertEquals(0, a.get(0x402L).restrictions() & Restriction.READ_ONLY);
        for (long vpn = 0x7FFFC; vpn < 0x80000; vpn++) {
            assertNotEquals(a.get(vpn).page(), bb.get(vpn).page(), "stack page " + Long.toHexString(vpn));
        }
        assertEquals(3 + 4, a.size());
    }

    @Test
    void programPagesHoldTheElfBytes() throws Exception {
        ImageCompiler.Result r = compile("program echo \"echo.elf\"\nprocess e {\n  space echo\n}\n");
        ElfFile elf = ElfFile.read(dir.resolve("echo.elf"));
        ElfFile.ProgramHeader text = elf.programHeaders().get(0);
        Mapping m = pages(r.builder(), r.handles().get("e")).get(text.virtualAddress() >>> 12);
        UnsafeBuffer page = new UnsafeBuffer(new byte[4096]);
        r.builder().readPage(m.page(), page, 0);
        byte[] expected = elf.bytes(text);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], page.getByte((int) (text.virtualAddress() & 0xFFF) + i), "byte " + i);
        }
    }

    @Test
    void entryAndStackPointerDefaultToTheProgramsAndCanBeOverridden() throws Exception {
        ImageCompiler.Result r = compile("program hello \"hello.elf\" stack 8K stack-top 0x01000000\n"
            + "process a {\n  space hello\n}\n"
            + "process b {\n  space hello\n  entry 0x400010\n  stack-pointer 0xfff000\n  register esi = 5\n}\n");
        ImageBuilder b = r.builder();
        int a = r.handles().get("a");
        int bp = r.handles().get("b");
        long entry = ElfFile.read(dir.resolve("hello.elf")).entry();
        assertEquals((int) entry, b.numberWord(a, ProcessLayout.SLOT_EIP_ESP_EFLAGS, 0));
        assertEquals(0x01000000, b.numberWord(a, ProcessLayout.SLOT_EIP_ESP_EFLAGS, 1));
        assertEquals(0x400010, b.numberWord(bp, ProcessLayout.SLOT_EIP_ESP_EFLAGS, 0));
        assertEquals(0xfff000, b.numberWord(bp, ProcessLayout.SLOT_EIP_ESP_EFLAGS, 1));
        assertEquals(5, b.numberWord(bp, ProcessLayout.SLOT_EDX_ESI_EDI, 1));
    }

    @Test
    void runMakesAProcessRunningAndOthersStayAvailable() throws Exception {
        ImageCompiler.Result r = compile("program hello \"hello.elf\"\n"
            + "process a {\n  space hello\n  run\n}\nprocess b {\n  space hello\n}\n");
        assertEquals(ProcessLayout.RUNNING, r.builder().runState(r.handles().get("a")));
        assertEquals(ProcessLayout.AVAILABLE, r.builder().runState(r.handles().get("b")));
        assertEquals(1, r.running());
        assertEquals(2, r.processes());
    }

    @Test
    void keeperScheduleAndKeyRegistersLandInTheirSlots() throws Exception {
        ImageCompiler.Result r = compile("program hello \"hello.elf\"\n"
            + "process k {\n  space hello\n}\n"
            + "process p {\n  space hello\n  keeper start k badge 5\n  keyreg 1 = console\n  keyreg 2 = process k\n}\n"
            + "process q {\n  space hello\n  schedule void\n}\n");
        ImageBuilder b = r.builder();
        int p = r.handles().get("p");
        int k = r.handles().get("k");
        assertEquals(KeyType.START, b.keyType(p, ProcessLayout.SLOT_KEEPER));
        assertEquals(k, b.keyTarget(p, ProcessLayout.SLOT_KEEPER));
        assertEquals(5, keyData(b, p, ProcessLayout.SLOT_KEEPER));
        assertEquals(KeyType.SCHED, b.keyType(p, ProcessLayout.SLOT_SCHEDULE));
        assertEquals(KeyType.VOID, b.keyType(r.handles().get("q"), ProcessLayout.SLOT_SCHEDULE));
        int regs = b.keyRegistersNode(p);
        assertEquals(KeyType.CONSOLE, b.keyType(regs, 1));
        assertEquals(KeyType.PROCESS, b.keyType(regs, 2));
        assertEquals(k, b.keyTarget(regs, 2));
        assertEquals(KeyType.VOID, b.keyType(regs, 3));
    }

    @Test
    void redSegmentGetsItsFormatKeyAndKeysGetHeightsAndRestrictions() throws Exception {
        ImageCompiler.Result r = compile("program hello \"hello.elf\"\npage g\n"
            + "process k {\n  space hello\n}\n"
            + "segment s {\n  height 1\n  slot 0 = page g read-only\n}\n"
            + "red-segment w {\n  height 2\n  initial 4\n  keeper 4 = start k badge 9\n  background 5 = segment s weak\n"
            + "  convention pass\n  slot 0 = segment s\n}\n"
            + "node n {\n  slot 0 = segment w no-call opaque\n  slot 1 = number 1 2 0xffffffff\n}\n");
        ImageBuilder b = r.builder();
        int w = r.handles().get("w");
        int n = r.handles().get("n");
        assertEquals(RedSegmentFormat.encode(4, 4, 5, RedSegmentFormat.CONVENTION_PASS, 2),
            b.numberWord(w, RedSegmentFormat.FORMAT_SLOT, 0));
        assertEquals(KeyType.START, b.keyType(w, 4));
        assertEquals(9, keyData(b, w, 4));
        assertEquals(1, keyData(b, w, 5));
        assertEquals(Restriction.WEAK, restrictions(b, w, 5));
        assertEquals(Restriction.READ_ONLY, restrictions(b, r.handles().get("s"), 0));
        assertEquals(2, keyData(b, n, 0));
        assertEquals(Restriction.NO_CALL | Restriction.OPAQUE, restrictions(b, n, 0));
        assertEquals(-1, b.numberWord(n, 1, 2));
        assertTrue(b.isPage(r.handles().get("g")));
    }

    @Test
    void processMayRunInASegmentOrAPage() throws Exception {
        ImageCompiler.Result r = compile("page code\nsegment s {\n  height 1\n  slot 0 = page code\n}\n"
            + "process a {\n  space s\n  entry 0\n}\nprocess b {\n  space code\n  entry 0x10\n}\n");
        ImageBuilder b = r.builder();
        assertEquals(KeyType.SEGMENT, b.keyType(r.handles().get("a"), ProcessLayout.SLOT_ADDRESS_SPACE));
        assertEquals(r.handles().get("s"), b.keyTarget(r.handles().get("a"), ProcessLayout.SLOT_ADDRESS_SPACE));
        assertEquals(KeyType.PAGE, b.keyType(r.handles().get("b"), ProcessLayout.SLOT_ADDRESS_SPACE));
        assertEquals(0x10, b.numberWord(r.handles().get("b"), ProcessLayout.SLOT_EIP_ESP_EFLAGS, 0));
    }

    @Test
    void namesMayBeUsedBeforeTheirDeclaration() throws Exception {
        ImageCompiler.Result r = compile("node first {\n  slot 0 = page later\n}\npage later\n");
        assertEquals(r.handles().get("later"), r.builder().keyTarget(r.handles().get("first"), 0));
    }

    @Test
    void mapPutsPagesAndSegmentsIntoTheProcessesOwnSpaceOnly() throws Exception {
        ImageCompiler.Result r = compile("program hello \"hello.elf\"\npage buf\npage g\n"
            + "segment pair {\n  height 1\n  slot 1 = page g\n}\n"
            + "red-segment window {\n  height 2\n  initial 4\n  keeper 4 = start b\n  slot 3 = segment pair\n}\n"
            + "process a {\n  space hello\n  map 0x10000000 = page buf read-only\n  map 0xc0000000 = segment window\n}\n"
            + "process b {\n  space hello\n}\n");
        ImageBuilder b = r.builder();
        int a = r.handles().get("a");
        Map<Long, Mapping> pa = pages(b, a);
        Map<Long, Mapping> pb = pages(b, r.handles().get("b"));
        assertEquals(new Mapping(r.handles().get("buf"), Restriction.READ_ONLY), pa.get(0x10000L));
        // window slot 3 (128 KiB each) -> pair slot 1 (4 KiB each)
        assertEquals(new Mapping(r.handles().get("g"), 0), pa.get((0xc0000000L + 3 * 0x20000 + 0x1000) >>> 12));
        assertEquals(pb.size() + 2, pa.size(), "b has neither map");
        assertEquals(pa.get(0x400L), pb.get(0x400L), "the text is still shared");
        assertEquals(4, keyData(b, a, ProcessLayout.SLOT_ADDRESS_SPACE), "0xc0000000 needs the whole 4 GiB");
        int root = b.keyTarget(a, ProcessLayout.SLOT_ADDRESS_SPACE);
        int height3 = b.keyTarget(root, 0xc0000000 >>> 27);
        assertEquals(r.handles().get("window"), b.keyTarget(height3, 0), "the red segment's key is in a node of "
            + "height 3, whose slots span its 4 MiB");
        assertEquals(2, keyData(b, height3, 0));
    }

    private static int keyData(ImageBuilder b, int node, int slot) {
        UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
        b.readKey(node, slot, key, 0);
        return KeyDescriptor.keyData(key.getInt(KeyDescriptor.TAIL_OFFSET));
    }

    private static int restrictions(ImageBuilder b, int node, int slot) {
        UnsafeBuffer key = new UnsafeBuffer(new byte[16]);
        b.readKey(node, slot, key, 0);
        return KeyDescriptor.restrictions(key.getInt(KeyDescriptor.TAIL_OFFSET));
    }
}
