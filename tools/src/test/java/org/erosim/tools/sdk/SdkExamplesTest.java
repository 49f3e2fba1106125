package org.erosim.tools.sdk;

import static org.erosim.tools.Cli.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.erosim.tools.elf.ElfFile;
import org.erosim.tools.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's example programs are built by Maven, load as executables, and the example
 * system that wires them ({@code tools/src/main/guest/ping.erosys}) becomes a consistent
 * image. (Running them needs {@code erosim run}, which does not exist yet.)
 */
class SdkExamplesTest {
    private static final Path PING_SYSTEM = Path.of("src/main/guest/ping.erosys");

    @TempDir
    Path dir;

    @Test
    void examplesAreBuiltAsExecutablesStartingAtTheirEntryPoint() throws Exception {
        for (String name : List.of("ping-server", "ping-client", "bench-ipc", "hello", "echo")) {
            try (InputStream in = SdkExamplesTest.class.getResourceAsStream("/guest/" + name + ".elf")) {
                assertNotNull(in, "guest/" + name + ".elf is not on the classpath (Maven builds it)");
                Path elf = Files.write(dir.resolve(name + ".elf"), in.readAllBytes());
                // guest.ld puts .text.start (where _start lives) first in .text at 4 MiB.
                assertEquals(0x400000L, ElfFile.read(elf).entry(), name);
            }
        }
    }

    @Test
    void pingSystemBuildsIntoAConsistentImage() {
        Path img = dir.resolve("ping.img");
        Cli mk = cli("mkimage", PING_SYSTEM.toString(), "-o", img.toString());
        assertEquals(0, mk.status(), mk.err());
        assertTrue(mk.out().contains(" 4 processes (4 run at boot), 4 programs, "), mk.out());
        Cli check = cli("check", img.toString());
        assertEquals(0, check.status(), check.out());
        assertTrue(check.out().endsWith(": consistent\n"), check.out());
    }
}
