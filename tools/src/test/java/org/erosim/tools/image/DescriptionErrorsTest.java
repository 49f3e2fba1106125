package org.erosim.tools.image;

import static org.erosim.tools.image.Fixtures.error;
import static org.erosim.tools.image.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every error the language reports, each with its exact {@code file:line:col: message}.
 * File names in the expected messages are the paths as the test passes them, so they
 * start with the temporary directory.
 */
class DescriptionErrorsTest {
    @TempDir
    Path dir;

    private String d;

    @BeforeEach
    void guests() throws Exception {
        Fixtures.guest(dir, "hello");
        Fixtures.guest(dir, "echo");
        d = dir.toString() + "/";
    }

    private static final String HELLO = "program hello \"hello.elf\"\n";

    @Test
    void unknownNameSuggestsTheClosestDeclaredName() throws Exception {
        String m = error(dir, "a.erosys", HELLO + "process server {\n  space hello\n}\n"
            + "process client {\n  space hello\n  keyreg 1 = start sevrer\n}\n");
        assertEquals(d + "a.erosys:7:20: unknown name 'sevrer'; did you mean 'server'?", m);
    }

    @Test
    void unknownNameWithNothingCloseHasNoSuggestion() throws Exception {
        String m = error(dir, "a.erosys", "process p {\n  space nowhere\n  entry 0\n}\n");
        assertEquals(d + "a.erosys:2:9: unknown name 'nowhere'", m);
    }

    @Test
    void duplicateNameNamesTheFirstDeclaration() throws Exception {
        String m = error(dir, "a.erosys", "page buf\nnode buf\n");
        assertEquals(d + "a.erosys:2:6: duplicate name 'buf' (already declared as a page at " + d + "a.erosys:1:6)", m);
    }

    @Test
    void pageKeyInTheProcessKeeperSlotIsTheWrongKind() throws Exception {
        String m = error(dir, "a.erosys", HELLO + "page buf\nprocess p {\n  space hello\n  keeper page buf\n}\n");
        assertEquals(d + "a.erosys:5:10: the process keeper must hold a start key or void, not a page key", m);
    }

    @Test
    void startKeyToAPageIsTheWrongKindOfTarget() throws Exception {
        String m = error(dir, "a.erosys", "page buf\nnode n {\n  slot 0 = start buf\n}\n");
        assertEquals(d + "a.erosys:3:18: 'buf' is a page (declared at " + d + "a.erosys:1:6), but a process is "
            + "needed here", m);
    }

    @Test
    void startKeyInASegmentSlotIsTheWrongKind() throws Exception {
        String m = error(dir, "a.erosys", HELLO + "process p {\n  space hello\n}\n"
            + "segment s {\n  height 1\n  slot 2 = start p\n}\n");
        assertEquals(d + "a.erosys:7:12: slot 2 of segment 's' must hold a page, segment or void key (it maps "
            + "memory), not a start key", m);
    }

    @Test
    void segmentOfEqualHeightDoesNotFitInASegmentSlot() throws Exception {
        String m = error(dir, "a.erosys", "segment a {\n  height 2\n}\nsegment b {\n  height 2\n"
            + "  slot 0 = segment a\n}\n");
        assertEquals(d + "a.erosys:6:12: slot 0 of segment 'b' is in a node of height 2, so it holds segments of "
            + "height below 2, but 'a' has height 2", m);
    }

    @Test
    void nodeSlotAbove31IsOutOfRange() throws Exception {
        String m = error(dir, "a.erosys", "node n {\n  slot 32 = void\n}\n");
        assertEquals(d + "a.erosys:2:8: slot 32 out of range (0..31)", m);
    }

    @Test
    void keyRegisterAbove31IsOutOfRange() throws Exception {
        String m = error(dir, "a.erosys", HELLO + "process p {\n  space hello\n  keyreg 32 = console\n}\n");
        assertEquals(d + "a.erosys:4:10: key register 32 out of range (1..31)", m);
    }

    @Test
    void keyRegisterZeroIsAlwaysVoid() throws Exception {
        String m = error(dir, "a.erosys", HELLO + "process p {\n  space hello\n  keyreg 0 = console\n}\n");
        assertEquals(d + "a.erosys:4:10: key register 0 always reads as void; use 1..31", m);
    }

    @Test
    void redSegmentFormatSlotIsReserved() throws Exception {
        String m = error(dir, "a.erosys", "red-segment r {\n  height 1\n  slot 31 = void\n}\n");
        assertEquals(d + "a.erosys:3:8: slot 31 of red segment 'r' holds its format key; use slots 0..30", m);
    }

    @Test
    void redSegmentKeeperSlotMustBeOutsideTheInitialSlots() throws Exception {
        String m = error(dir, "a.erosys", "red-segment r {\n  height 1\n  initial 8\n  keeper 3\n}\n");
        assertEquals(d + "a.erosys:4:10: keeper slot 3 is one of the initial slots (0..7) of red segment 'r'; use a "
            + "slot from 8 up or lower 'initial'", m);
    }

    @Test
    void segmentWithoutAHeightIsRefused() throws Exception {
        String m = error(dir, "a.erosys", "segment s {\n  slot 0 = void\n}\n");
        assertEquals(d + "a.erosys:1:9: segment 's' needs a height (add a line 'height N', N = 1..4)", m);
    }

    @Test
    void heightAbove4IsOutOfRange() throws Exception {
        String m = error(dir, "a.erosys", "segment s {\n  height 5\n}\n");
        assertEquals(d + "a.erosys:2:10: height 5 out of range (1..4)", m);
    }

    @Test
    void badgeAbove16BitsIsOutOfRange() throws Exception {
        String m = error(dir, "a.erosys", "node n {\n  slot 0 = start p badge 65536\n}\n");
        assertEquals(d + "a.erosys:2:26: badge 65536 out of range (0..65535)", m);
    }

    @Test
    void badNumbersAreReportedAtTheNumber() throws Exception {
        assertEquals(d + "a.erosys:2:8: bad number '12ab'", error(dir, "a.erosys", "node n {\n  slot 12ab = void\n}\n"));
        assertEquals(d + "b.erosys:2:19: bad number '0x'", error(dir, "b.erosys", "node n {\n  slot 0 = number 0x\n}\n"));
        assertEquals(d + "c.erosys:2:19: bad number '0x100000000': larger than 0xffffffff",
            error(dir, "c.erosys", "node n {\n  slot 0 = number 0x100000000\n}\n"));
        assertEquals(d + "e.erosys:1:29: bad number '4G': larger than 0xffffffff",
            error(dir, "e.erosys", "program p \"hello.elf\" stack 4G\n"));
    }

    @Test
    void unterminatedStringIsReportedAtItsOpeningQuote() throws Exception {
        String m = error(dir, "a.erosys", "page p\nprogram hello \"hello.elf\n");
        assertEquals(d + "a.erosys:2:15: unterminated string (a string ends with \" on the same line)", m);
    }

    @Test
    void unknownEscapeInStringIsReportedAtTheBackslash() throws Exception {
        String m = error(dir, "a.erosys", "program hello \"he\\llo.elf\"\n");
        assertEquals(d + "a.erosys:1:18: unknown escape \\l in string (only \\\\ and \\\" are escapes)", m);
    }

    /** Found by DescriptionFuzzTest (its input unknown-escape-of-a-carriage-return): the CR was quoted raw. */
    @Test
    void escapedControlCharacterIsNamedByItsCodeSoTheMessageStaysOneLine() throws Exception {
        String m = error(dir, "a.erosys", "include \"\\\r\"\n");
        assertEquals(d + "a.erosys:1:10: unknown escape \\ followed by U+000D in string (only \\\\ and \\\" are escapes)", m);
    }

    @Test
    void controlCharacterInStringIsRefusedSoMessagesStayOneLine() throws Exception {
        String m = error(dir, "a.erosys", "page p \"a\rb\"\n");
        assertEquals(d + "a.erosys:1:10: control character U+000D in string", m);
    }

    @Test
    void includeCycleNamesTheChainAtTheIncludeThatClosesIt() throws Exception {
        write(dir, "b.erosys", "# b\npage pb\n  include \"c.erosys\"\n");
        write(dir, "c.erosys", "include \"a.erosys\"\n");
        String m = error(dir, "a.erosys", "include \"b.erosys\"\n");
        assertEquals(d + "c.erosys:1:9: include cycle: " + d + "a.erosys -> " + d + "b.erosys -> " + d + "c.erosys -> "
            + d + "a.erosys", m);
    }

    @Test
    void fileIncludingItselfIsACycle() throws Exception {
        String m = error(dir, "a.erosys", "\ninclude \"a.erosys\"\n");
        assertEquals(d + "a.erosys:2:9: include cycle: " + d + "a.erosys -> " + d + "a.erosys", m);
    }

    @Test
    void errorInAnIncludedFileReportsThatFilesPosition() throws Exception {
        write(dir, "sub/objects.erosys", "page ok\n\nnode n {\n    slot 40 = void\n}\n");
        String m = error(dir, "a.erosys", "include \"sub/objects.erosys\"\n");
        assertEquals(d + "sub/objects.erosys:4:10: slot 40 out of range (0..31)", m);
    }

    @Test
    void missingIncludeFileIsReportedAtTheIncludeString() throws Exception {
        String m = error(dir, "a.erosys", "page p\ninclude \"nothere.erosys\"\n");
        assertEquals(d + "a.erosys:2:9: cannot include \"nothere.erosys\": " + d + "nothere.erosys: no such file", m);
    }

    @Test
    void missingElfFileIsReportedAtTheProgramPath() throws Exception {
        String m = error(dir, "a.erosys", "program p \"missing.elf\"\n");
        assertEquals(d + "a.erosys:1:11: program 'p': " + d + "missing.elf: no such file", m);
    }

    @Test
    void fileThatIsNotElfIsRefused() throws Exception {
        Files.writeString(dir.resolve("text.elf"), "not an executable at all");
        String m = error(dir, "a.erosys", "program p \"text.elf\"\n");
        assertEquals(d + "a.erosys:1:11: program 'p': " + d + "text.elf: not an ELF file", m);
    }

    @Test
    void relocatableElfIsNotAnExecutable() throws Exception {
        Files.write(dir.resolve("rel.elf"), Fixtures.elf(1, 3, new int[] {0x1000, 16, 5}));
        String m = error(dir, "a.erosys", "program p \"rel.elf\"\n");
        assertEquals(d + "a.erosys:1:11: program 'p': " + d + "rel.elf: not an executable (ELF type 1, expected "
            + "ET_EXEC = 2; link with ld -m elf_i386, not -r or -shared)", m);
    }

    @Test
    void elfForAnotherMachineIsRefused() throws Exception {
        Files.write(dir.resolve("arm.elf"), Fixtures.elf(2, 40, new int[] {0x1000, 16, 5}));
        String m = error(dir, "a.erosys", "program p \"arm.elf\"\n");
        assertEquals(d + "a.erosys:1:11: program 'p': " + d + "arm.elf: not an i386 ELF (machine 40)", m);
    }

    @Test
    void sixtyFourBitElfIsRefused() throws Exception {
        byte[] elf = Fixtures.elf(2, 3, new int[] {0x1000, 16, 5});
        elf[4] = 2; // ELFCLASS64
        Files.write(dir.resolve("x64.elf"), elf);
        String m = error(dir, "a.erosys", "program p \"x64.elf\"\n");
        assertEquals(d + "a.erosys:1:11: program 'p': " + d + "x64.elf: not a 32-bit ELF (class 2)", m);
    }

    @Test
    void overlappingProgramSegmentsAreRefused() throws Exception {
        Files.write(dir.resolve("ov.elf"), Fixtures.elf(2, 3, new int[] {0x400000, 0x2000, 5},
            new int[] {0x401000, 0x1000, 6}));
        String m = error(dir, "a.erosys", "# two segments share 0x401000\nprogram p \"ov.elf\"\n");
        assertEquals(d + "a.erosys:2:11: program 'p': " + d + "ov.elf: segments 0 and 1 overlap ([0x400000, 0x402000) "
            + "and [0x401000, 0x402000))", m);
    }

    @Test
    void stackOverlappingASegmentIsReportedAtTheStackOption() throws Exception {
        String m = error(dir, "a.erosys", "program p \"hello.elf\" stack 8K stack-top 0x401000\n");
        assertEquals(d + "a.erosys:1:42: program 'p': the stack [0x3ff000, 0x401000) overlaps segment 0 [0x400000, "
            + "0x4000e5) of " + d + "hello.elf", m);
    }

    @Test
    void processWithoutASpaceIsRefused() throws Exception {
        String m = error(dir, "a.erosys", "process p {\n  run\n}\n");
        assertEquals(d + "a.erosys:1:9: process 'p' has no address space (add a line 'space NAME' naming a program, "
            + "segment or page)", m);
    }

    @Test
    void processOnASegmentNeedsAnEntryPoint() throws Exception {
        String m = error(dir, "a.erosys", "segment s {\n  height 1\n}\nprocess p {\n  space s\n}\n");
        assertEquals(d + "a.erosys:5:9: process 'p' needs an entry point: its space 's' is not a program (add a line "
            + "'entry ADDRESS')", m);
    }

    @Test
    void restrictionOnAStartKeyIsRefused() throws Exception {
        String m = error(dir, "a.erosys", "node n {\n  slot 0 = start p weak\n}\n");
        assertEquals(d + "a.erosys:2:20: 'weak' does not apply to a start key (only node, segment and page keys take "
            + "restrictions)", m);
    }

    @Test
    void unknownKeyKindSuggestsTheClosestKind() throws Exception {
        String m = error(dir, "a.erosys", "node n {\n  slot 0 = consle\n}\n");
        assertEquals(d + "a.erosys:2:12: unknown key kind 'consle'; did you mean 'console'? (expected one of: void, "
            + "number, start, process, node, segment, page, console, sleep, systrace, discrim, range, checkpoint, "
            + "sched)", m);
    }

    @Test
    void unknownStatementSuggestsTheClosestKeyword() throws Exception {
        String m = error(dir, "a.erosys", "\n\nproces p {\n}\n");
        assertEquals(d + "a.erosys:3:1: unknown statement 'proces'; did you mean 'process'? (expected one of: include, "
            + "program, page, node, segment, red-segment, process)", m);
    }

    @Test
    void duplicateSlotNamesTheFirstAssignment() throws Exception {
        String m = error(dir, "a.erosys", "node n {\n  slot 3 = void\n  slot 3 = console\n}\n");
        assertEquals(d + "a.erosys:3:8: slot 3 is already set (at " + d + "a.erosys:2:8)", m);
    }

    @Test
    void unterminatedBlockIsReportedAtTheEndOfTheFile() throws Exception {
        String m = error(dir, "a.erosys", "node n {\n  slot 3 = void\n");
        assertEquals(d + "a.erosys:3:1: unterminated block: expected '}' before the end of the file", m);
    }

    @Test
    void unexpectedCharacterIsReportedWhereItStands() throws Exception {
        String m = error(dir, "a.erosys", "page p; page q\n");
        assertEquals(d + "a.erosys:1:7: unexpected character ';'", m);
    }

    @Test
    void numberKeyWithFourWordsIsRefused() throws Exception {
        String m = error(dir, "a.erosys", "node n {\n  slot 0 = number 1 2 3 4\n}\n");
        assertEquals(d + "a.erosys:2:25: a number key holds at most 3 words", m);
    }

    @Test
    void pageContentsLargerThanAPageAreRefused() throws Exception {
        Files.write(dir.resolve("big.bin"), new byte[4097]);
        String m = error(dir, "a.erosys", "page p \"big.bin\"\n");
        assertEquals(d + "a.erosys:1:8: page 'p': " + d + "big.bin: 4097 bytes, more than a page (4096)", m);
    }

    private static final String MAPPABLE = HELLO + "page buf\nsegment w {\n  height 1\n}\nnode n\n";

    @Test
    void mapIntoASharedSegmentSpaceIsRefused() throws Exception {
        String m = error(dir, "a.erosys", "page buf\nsegment s {\n  height 1\n}\n"
            + "process p {\n  space s\n  entry 0\n  map 0x20000 = page buf\n}\n");
        assertEquals(d + "a.erosys:8:3: 'map' needs a program space: process 'p' runs in segment 's', which every "
            + "process naming it shares (put the key in one of its slots instead)", m);
    }

    @Test
    void mapIntoAPageSpaceIsRefused() throws Exception {
        String m = error(dir, "a.erosys", "page buf\nprocess p {\n  space buf\n  entry 0\n"
            + "  map 0x1000 = page buf\n}\n");
        assertEquals(d + "a.erosys:5:3: 'map' needs a program space: process 'p' runs in page 'buf', which every "
            + "process naming it shares", m);
    }

    @Test
    void mapOfANodeKeyIsRefused() throws Exception {
        String m = error(dir, "a.erosys", MAPPABLE + "process p {\n  space hello\n  map 0x10000000 = node n\n}\n");
        assertEquals(d + "a.erosys:9:20: a map must hold a page or segment key (it maps memory), not a node key", m);
    }

    @Test
    void mapOfAVoidKeyIsRefused() throws Exception {
        String m = error(dir, "a.erosys", MAPPABLE + "process p {\n  space hello\n  map 0x10000000 = void\n}\n");
        assertEquals(d + "a.erosys:9:20: a map must hold a page or segment key (it maps memory), not a void key", m);
    }

    @Test
    void mapOfASegmentKeyToAPlainNodeIsRefused() throws Exception {
        String m = error(dir, "a.erosys", MAPPABLE + "process p {\n  space hello\n  map 0x10000000 = segment n\n}\n");
        assertEquals(d + "a.erosys:9:28: 'n' is a node without a height; a segment key needs a segment or red-segment",
            m);
    }

    @Test
    void mapAddressNotAlignedToAPageIsRefused() throws Exception {
        String m = error(dir, "a.erosys", MAPPABLE + "process p {\n  space hello\n  map 0x10000800 = page buf\n}\n");
        assertEquals(d + "a.erosys:9:7: map address 0x10000800 is not a multiple of 0x1000, the span of page 'buf'", m);
    }

    @Test
    void mapAddressNotAlignedToTheSegmentsSpanIsRefused() throws Exception {
        String m = error(dir, "a.erosys", MAPPABLE + "process p {\n  space hello\n  map 0x10001000 = segment w\n}\n");
        assertEquals(d + "a.erosys:9:7: map address 0x10001000 is not a multiple of 0x20000, the span of segment 'w' "
            + "(height 1)", m);
    }

    @Test
    void mapsOfOneProcessMayNotOverlap() throws Exception {
        String m = error(dir, "a.erosys", MAPPABLE + "process p {\n  space hello\n  map 0x10000000 = segment w\n"
            + "  map 0x1001f000 = page buf read-only\n}\n");
        assertEquals(d + "a.erosys:10:7: map [0x1001f000, 0x10020000) of page 'buf' overlaps the map [0x10000000, "
            + "0x10020000) of segment 'w' (height 1) at " + d + "a.erosys:9:3", m);
    }

    @Test
    void mapOverlappingAProgramSegmentIsRefused() throws Exception {
        String m = error(dir, "a.erosys", MAPPABLE + "process p {\n  space hello\n  map 0x400000 = segment w\n}\n");
        assertEquals(d + "a.erosys:9:7: map [0x400000, 0x420000) of segment 'w' (height 1) overlaps segment 0 "
            + "[0x400000, 0x4000e5) of " + d + "hello.elf (program 'hello')", m);
    }

    @Test
    void mapOverlappingTheStackIsRefused() throws Exception {
        String m = error(dir, "a.erosys", MAPPABLE + "process p {\n  space hello\n  map 0x7ffff000 = page buf\n}\n");
        assertEquals(d + "a.erosys:9:7: map [0x7ffff000, 0x80000000) of page 'buf' overlaps the stack [0x7fffc000, "
            + "0x80000000) of program 'hello'", m);
    }

    @Test
    void mapWithoutAnEqualsSignIsASyntaxError() throws Exception {
        String m = error(dir, "a.erosys", MAPPABLE + "process p {\n  space hello\n  map 0x10000000 page buf\n}\n");
        assertEquals(d + "a.erosys:9:18: expected '=' after the map address, found 'page'", m);
    }
}
