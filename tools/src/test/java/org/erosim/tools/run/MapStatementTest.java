package org.erosim.tools.run;

import static org.erosim.tools.Cli.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.erosim.kernel.run.KernelMachine;
import org.erosim.kernel.run.RunEnd;
import org.erosim.kernel.run.RunOptions;
import org.erosim.tools.Main;
import org.erosim.tools.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image language's {@code map} statement end to end: images/run-map.erosys maps a
 * page, a segment holding the same page and a kept red segment into a process's program
 * space; the guest (run-map.c) reads the page through both maps and touches void pages of
 * the red segment, whose keeper supplies them. Built with {@code erosim mkimage}, checked
 * with {@code erosim check}, run through {@code Main.execute} and through {@link ImageRun}
 * to run the object and scheduler checkers afterwards.
 */
class MapStatementTest {
    private static final Path IMAGES = RunFixture.IMAGES;

    @TempDir
    Path dir;

    @Test
    void aGuestReadsMappedPagesAndAKeptRedSegmentsKeeperSuppliesTheMissingOnes() throws Exception {
        Path img = dir.resolve("run-map.img");
        Cli mk = cli("mkimage", IMAGES.resolve("run-map.erosys").toString(), "-o", img.toString());
        assertEquals(0, mk.status(), mk.err());
        Cli check = cli("check", img.toString());
        assertEquals(0, check.status(), check.out() + check.err());
        assertTrue(check.out().contains(": consistent"), check.out());

        Cli run = cli("run", img.toString(), "--stats");
        String expected = String.join("\n",
            "page: a page mapped with map",            // the note at 0x10000000
            "segment: A page mapped with map",         // the same page through pair at 0x20003000, after the write
            "zeroer: fault 00000004 at offset 00005000, page supplied", // the write to demand's void page 5
            "demand page 5 holds 00001234",
            "zeroer: fault 00000004 at offset 00006004, page supplied", // the read of void page 6
            "demand page 6 holds 00000000",
            "");
        assertEquals(expected, run.out(), run.err());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.err().contains("keepers: upcalls 2 (segment keepers 2),"), run.err());

        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (ImageRun r = new ImageRun(img, new RunOptions(), console)) {
            assertEquals(RunEnd.STOPPED, r.run());
            assertEquals(0, r.exitStatus());
            KernelMachine m = r.machine();
            RunFixture.assertConsistent(m);
            assertEquals(List.of(), m.report());
        }
        assertEquals(expected, console.toString(StandardCharsets.ISO_8859_1));
    }
}
