package org.erosim.tools.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.erosim.kernel.abi.Restriction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every statement of the language parses into the AST it says, with positions. */
class DescriptionParserTest {
    @TempDir
    Path dir;

    private List<Ast.Decl> parse(String text) throws DescriptionException {
        return DescriptionParser.parse("t.erosys", text, dir).decls();
    }

    @Test
    void programWithPathStackAndStackTop() throws Exception {
        Ast.ProgramDecl p = (Ast.ProgramDecl) parse("program hello \"bin/hello.elf\" stack 8K stack-top 0x00800000\n")
            .get(0);
        assertEquals("hello", p.name().text());
        assertEquals(new Ast.Pos("t.erosys", 1, 9), p.name().pos());
        assertEquals(dir.resolve("bin/hello.elf").normalize(), p.path());
        assertEquals(new Ast.Pos("t.erosys", 1, 15), p.pathPos());
        assertEquals(8192, p.stackSize().value());
        assertEquals(0x800000, p.stackTop().value());
    }

    @Test
    void programOptionsAreOptional() throws Exception {
        Ast.ProgramDecl p = (Ast.ProgramDecl) parse("program hello \"hello.elf\"").get(0);
        assertNull(p.stackSize());
        assertNull(p.stackTop());
    }

    @Test
    void pageZeroOrFromAFile() throws Exception {
        List<Ast.Decl> d = parse("page zero\npage data \"data.bin\"\n");
        assertNull(((Ast.PageDecl) d.get(0)).data());
        assertEquals(dir.resolve("data.bin"), ((Ast.PageDecl) d.get(1)).data());
    }

    @Test
    void nodeWithSlotsOfEveryKeyKind() throws Exception {
        Ast.NodeDecl n = (Ast.NodeDecl) parse("""
            node n {
              slot 0 = void
              slot 1 = number 1 0x2 0b11
              slot 2 = start p badge 42
              slot 3 = process p
              slot 4 = node n read-only no-call weak opaque
              slot 5 = segment s weak
              slot 6 = page g read-only
              slot 7 = console
              slot 8 = sleep
              slot 9 = systrace
              slot 10 = discrim
              slot 11 = range
              slot 12 = checkpoint
              slot 13 = sched
              slot 14 = number 7
            }
            """).get(0);
        assertEquals(Ast.NodeKind.NODE, n.kind());
        List<Ast.SlotAssign> s = n.slots();
        assertEquals(15, s.size());
        Ast.KeyKind[] kinds = {Ast.KeyKind.VOID, Ast.KeyKind.NUMBER, Ast.KeyKind.START, Ast.KeyKind.PROCESS,
            Ast.KeyKind.NODE, Ast.KeyKind.SEGMENT, Ast.KeyKind.PAGE, Ast.KeyKind.CONSOLE, Ast.KeyKind.SLEEP,
            Ast.KeyKind.SYSTRACE, Ast.KeyKind.DISCRIM, Ast.KeyKind.RANGE, Ast.KeyKind.CHECKPOINT, Ast.KeyKind.SCHED,
            Ast.KeyKind.NUMBER};
        for (int i = 0; i < kinds.length; i++) {
            assertEquals(i, s.get(i).slot().value());
            assertEquals(kinds[i], s.get(i).key().kind(), "slot " + i);
        }
        assertArrayEquals(new long[] {1, 2, 3}, s.get(1).key().words());
        assertArrayEquals(new long[] {7, 0, 0}, s.get(14).key().words());
        assertEquals(42, s.get(2).key().badge());
        assertEquals("p", s.get(2).key().target().text());
        assertEquals(Restriction.ALL, s.get(4).key().restrictions());
        assertEquals(Restriction.WEAK, s.get(5).key().restrictions());
        assertEquals(Restriction.READ_ONLY, s.get(6).key().restrictions());
        assertEquals(new Ast.Pos("t.erosys", 3, 12), s.get(1).key().pos());
    }

    @Test
    void nodeWithoutABlockHasNoSlots() throws Exception {
        Ast.NodeDecl n = (Ast.NodeDecl) parse("node empty\n").get(0);
        assertTrue(n.slots().isEmpty());
    }

    @Test
    void segmentWithHeightAndSlots() throws Exception {
        Ast.NodeDecl n = (Ast.NodeDecl) parse("segment s {\n  height 2\n\n  slot 0 = page g   # a comment\n}\n")
            .get(0);
        assertEquals(Ast.NodeKind.SEGMENT, n.kind());
        assertEquals(2, n.height().value());
        assertEquals(1, n.slots().size());
    }

    @Test
    void redSegmentWithEveryFormatField() throws Exception {
        Ast.NodeDecl n = (Ast.NodeDecl) parse("""
            red-segment r {
              height 3
              initial 4
              keeper 4 = start k
              background 5 = segment s
              convention pass
              slot 0 = page g
            }
            """).get(0);
        assertEquals(Ast.NodeKind.RED_SEGMENT, n.kind());
        assertEquals(3, n.height().value());
        assertEquals(4, n.format().initial().value());
        assertEquals(4, n.format().keeperSlot().value());
        assertEquals(5, n.format().backgroundSlot().value());
        assertEquals(1, n.format().convention().value());
        assertEquals(List.of(4L, 5L, 0L), n.slots().stream().map(a -> a.slot().value()).toList());
    }

    @Test
    void redSegmentKeeperAndBackgroundMayBeNone() throws Exception {
        Ast.NodeDecl n = (Ast.NodeDecl) parse("red-segment r {\n height 1\n keeper none\n background none\n"
            + " convention node-key\n}\n").get(0);
        assertEquals(31, n.format().keeperSlot().value());
        assertEquals(31, n.format().backgroundSlot().value());
        assertEquals(0, n.format().convention().value());
        assertNull(n.format().initial());
    }

    @Test
    void processWithEveryStatement() throws Exception {
        Ast.ProcessDecl p = (Ast.ProcessDecl) parse("""
            process p {
              space hello
              entry 0x401000
              stack-pointer 0x7ffff000
              keeper start k badge 3
              schedule sched
              keyreg 1 = console
              keyreg 31 = void
              register eax = 1
              register ebp = 0xffffffff
              run
            }
            """).get(0);
        assertEquals("hello", p.space().text());
        assertEquals(0x401000, p.entry().value());
        assertEquals(0x7ffff000L, p.stackPointer().value());
        assertEquals(Ast.KeyKind.START, p.keeper().kind());
        assertEquals(3, p.keeper().badge());
        assertEquals(Ast.KeyKind.SCHED, p.schedule().kind());
        assertEquals(2, p.keyRegisters().size());
        assertEquals(31, p.keyRegisters().get(1).slot().value());
        assertEquals(1, p.registers().get("eax").value());
        assertEquals(0xffffffffL, p.registers().get("ebp").value());
        assertTrue(p.runs());
    }

    @Test
    void processDefaultsLeaveFieldsUnset() throws Exception {
        Ast.ProcessDecl p = (Ast.ProcessDecl) parse("process p {\n  space s\n}\n").get(0);
        assertNull(p.entry());
        assertNull(p.keeper());
        assertNull(p.schedule());
        assertFalse(p.runs());
    }

    @Test
    void includedDeclarationsStandWhereTheIncludeIs() throws Exception {
        Fixtures.write(dir, "inc/a.erosys", "page a1\ninclude \"b.erosys\"\n");
        Fixtures.write(dir, "inc/b.erosys", "page b1\n");
        List<Ast.Decl> d = parse("page first\ninclude \"inc/a.erosys\"\npage last\n");
        assertEquals(List.of("first", "a1", "b1", "last"), d.stream().map(x -> x.name().text()).toList());
        assertEquals(new Ast.Pos("inc/b.erosys", 1, 6), d.get(2).name().pos());
    }

    @Test
    void aFileIncludedTwiceIsReadOnce() throws Exception {
        Fixtures.write(dir, "common.erosys", "page shared\n");
        Fixtures.write(dir, "x.erosys", "include \"common.erosys\"\n");
        List<Ast.Decl> d = parse("include \"common.erosys\"\ninclude \"x.erosys\"\n");
        assertEquals(1, d.size());
    }

    @Test
    void numbersInEveryNotation() throws Exception {
        Ast.NodeDecl n = (Ast.NodeDecl) parse("node n {\n slot 0 = number 4096 0x1000 0b1_0000_0000_0000\n"
            + " slot 1 = number 4K 1M 0xC000_0000\n}\n").get(0);
        assertArrayEquals(new long[] {4096, 4096, 4096}, n.slots().get(0).key().words());
        assertArrayEquals(new long[] {4096, 1 << 20, 0xC0000000L}, n.slots().get(1).key().words());
    }

    @Test
    void stringsResolveEscapes() throws Exception {
        Ast.PageDecl p = (Ast.PageDecl) parse("page p \"a \\\"b\\\" \\\\c\"\n").get(0);
        assertEquals("a \"b\" \\c", p.dataText());
    }

    @Test
    void commentsAndBlankLinesAreIgnoredAnywhere() throws Exception {
        List<Ast.Decl> d = parse("# header\n\n   \t\npage a # trailing\n#\nnode n {   # open\n  # inside\n}\n");
        assertEquals(2, d.size());
    }
}
