package org.erosim.tools.image;

import static org.erosim.tools.Cli.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.erosim.kernel.image.ImageBuilder;
import org.erosim.kernel.store.StoreChecker;
import org.erosim.tools.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code erosim mkimage} and {@code erosim check} through the CLI's own entry point. */
class ImageCommandsTest {
    /** The example system; Surefire runs in the module directory, and the example names ../../../../target/guest. */
    private static final Path EXAMPLE = Path.of("src/test/resources/images/example.erosys");

    @TempDir
    Path dir;

    @Test
    void exampleImageBuildsAndPassesTheConsistencyCheck() {
        Path img = dir.resolve("example.img");
        Cli mk = cli("mkimage", EXAMPLE.toString(), "-o", img.toString());
        assertEquals(0, mk.status(), mk.err());
        assertEquals("", mk.err());
        assertTrue(mk.out().matches(java.util.regex.Pattern.quote(img.toString())
            + ": 4[0-9] objects, 4 processes \\(2 run at boot\\), 2 programs, [0-9]+ bytes\n"), mk.out());
        Cli check = cli("check", img.toString());
        assertEquals(0, check.status(), check.out() + check.err());
        assertEquals(1, check.lines().size(), check.out());
        assertTrue(check.out().startsWith(img + ": 4"), check.out());
        assertTrue(check.out().contains(" 4 processes, 1 red segments, "), check.out());
        assertTrue(check.out().endsWith(": consistent\n"), check.out());
    }

    @Test
    void exampleUsesEveryKeyKindTwoProgramsAndARedSegment() throws Exception {
        Ast.SystemDescription d = DescriptionParser.parse(EXAMPLE);
        Set<Ast.KeyKind> used = EnumSet.noneOf(Ast.KeyKind.class);
        int programs = 0;
        int processes = 0;
        int redSegments = 0;
        for (Ast.Decl decl : d.decls()) {
            if (decl instanceof Ast.ProgramDecl) {
                programs++;
            } else if (decl instanceof Ast.NodeDecl n) {
                redSegments += n.kind() == Ast.NodeKind.RED_SEGMENT ? 1 : 0;
                n.slots().forEach(s -> used.add(s.key().kind()));
            } else if (decl instanceof Ast.ProcessDecl p) {
                processes++;
                p.keyRegisters().forEach(s -> used.add(s.key().kind()));
                if (p.keeper() != null) {
                    used.add(p.keeper().kind());
                }
                if (p.schedule() != null) {
                    used.add(p.schedule().kind());
                }
            }
        }
        assertEquals(EnumSet.allOf(Ast.KeyKind.class), used);
        assertEquals(2, programs);
        assertTrue(processes >= 3);
        assertEquals(1, redSegments);
    }

    @Test
    void mkimageReportsADescriptionErrorAsOneLineAndExits2() throws Exception {
        Path bad = Fixtures.write(dir, "bad.erosys", "node n {\n  slot 32 = void\n}\n");
        Path img = dir.resolve("bad.img");
        Cli r = cli("mkimage", bad.toString(), "-o", img.toString());
        assertEquals(2, r.status());
        assertEquals(bad + ":2:8: slot 32 out of range (0..31)\n", r.err());
        assertEquals("", r.out());
        assertTrue(Files.notExists(img), "no image is written for a bad description");
    }

    @Test
    void mkimageOfAMissingDescriptionExits2() {
        Cli r = cli("mkimage", dir.resolve("none.erosys").toString(), "-o", dir.resolve("x.img").toString());
        assertEquals(2, r.status());
        assertEquals("erosim: " + dir.resolve("none.erosys") + ": no such file\n", r.err());
    }

    @Test
    void mkimageWithoutAnOutputIsAUsageError() throws Exception {
        Path ok = Fixtures.write(dir, "ok.erosys", "page p\n");
        Cli r = cli("mkimage", ok.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("erosim: Missing required option: '--output=SYSTEM.img'"), r.err());
    }

    @Test
    void mkimageRefusesToOverwriteItsDescription() throws Exception {
        Path sys = Fixtures.write(dir, "sys.erosys", "page p\n");
        Cli r = cli("mkimage", sys.toString(), "-o", sys.toString());
        assertEquals(2, r.status());
        assertEquals("erosim: " + sys + ": the image would overwrite the description\n", r.err());
        assertEquals("page p\n", Files.readString(sys));
    }

    @Test
    void mkimageHelpDescribesTheCommand() {
        Cli r = cli("mkimage", "--help");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("SYSTEM.erosys"), r.out());
    }

    @Test
    void checkOfATruncatedImageExits2WithOneLine() throws Exception {
        Path img = dir.resolve("t.img");
        assertEquals(0, cli("mkimage", EXAMPLE.toString(), "-o", img.toString()).status());
        byte[] all = Files.readAllBytes(img);
        Path cut = Files.write(dir.resolve("cut.img"), java.util.Arrays.copyOf(all, all.length / 2));
        Cli r = cli("check", cut.toString());
        assertEquals(2, r.status());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("erosim: " + cut + ": "), r.err());
        assertEquals("", r.out());
    }

    @Test
    void checkOfAFileThatIsNotAStoreExits2() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.img"), "this is not a store file, just some text. ".repeat(50));
        Cli r = cli("check", junk.toString());
        assertEquals(2, r.status());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("erosim: " + junk + ": "), r.err());
    }

    @Test
    void checkOfAMissingFileExits2() {
        Cli r = cli("check", dir.resolve("nothing.img").toString());
        assertEquals(2, r.status());
        assertEquals("erosim: " + dir.resolve("nothing.img") + ": no such file\n", r.err());
    }

    @Test
    void checkPrintsEveryFindingAndExits1OnAnInconsistentImage() {
        // a resume key to a process that is not WAITING is an inconsistency the checker reports
        ImageBuilder b = new ImageBuilder();
        int p = b.process();
        int holder = b.node();
        b.setResumeKey(holder, 0, p);
        b.setResumeKey(holder, 1, p);
        Path img = dir.resolve("inconsistent.img");
        b.write(img);
        StoreChecker.Report expected = StoreChecker.check(img);
        Cli r = cli("check", img.toString());
        assertEquals(1, r.status(), r.out() + r.err());
        List<String> lines = r.lines();
        assertEquals(expected.findings().size() + 1, lines.size(), r.out());
        assertTrue(expected.findingCount() >= 2, r.out());
        assertEquals(expected.findings(), lines.subList(0, lines.size() - 1));
        assertTrue(lines.get(lines.size() - 1).endsWith(expected.findingCount() + " inconsistencies"), r.out());
    }

    @Test
    void checkListsAtMostMaxListedFindingsAndCountsTheRest() {
        ImageBuilder b = new ImageBuilder();
        int p = b.process();
        int holder = b.node();
        for (int s = 0; s < 5; s++) {
            b.setResumeKey(holder, s, p);
        }
        Path img = dir.resolve("many.img");
        b.write(img);
        Cli r = cli("check", "--max-listed", "2", img.toString());
        assertEquals(1, r.status());
        List<String> lines = r.lines();
        assertEquals(4, lines.size(), r.out());
        assertTrue(lines.get(2).matches("\\.\\.\\. and [0-9]+ more"), r.out());
    }
}
