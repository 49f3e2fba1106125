package org.erosim.tools.image;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files for description tests: descriptions in a temporary directory, guest ELFs, crafted ELFs. */
final class Fixtures {
    private Fixtures() {
    }

    /** Writes {@code text} to {@code dir/name} and returns the path. */
    static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    /** Copies guest program {@code name} (built by Maven into the classpath as guest/NAME.elf) into {@code dir}. */
    static Path guest(Path dir, String name) throws IOException {
        Path p = dir.resolve(name + ".elf");
        try (InputStream in = Fixtures.class.getResourceAsStream("/guest/" + name + ".elf")) {
            assertNotNull(in, "guest/" + name + ".elf is not on the classpath (Maven builds it)");
            Files.write(p, in.readAllBytes());
        }
        return p;
    }

    /** Compiles {@code dir/name}, which must fail; returns the one-line message. */
    static String error(Path dir, String name, String text) throws IOException {
        Path p = write(dir, name, text);
        return assertThrows(DescriptionException.class, () -> ImageCompiler.compile(p)).getMessage();
    }

    /**
     * A minimal ELF32 i386 file of {@code type} with one PT_LOAD segment per
     * {vaddr, memsz, flags} triple (file size = min(memsz, 16) bytes of 0x90 each), entry at
     * the first segment's address.
     */
    static byte[] elf(int type, int machine, int[]... segments) {
        int phoff = 52;
        int dataOff = phoff + 32 * segments.length;
        int total = dataOff + 16 * segments.length;
        ByteBuffer f = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        f.put(new byte[] {0x7F, 'E', 'L', 'F', 1, 1, 1});
        f.position(16);
        f.putShort((short) type).putShort((short) machine).putInt(1).putInt(segments.length == 0 ? 0 : segments[0][0])
            .putInt(phoff).putInt(0).putInt(0).putShort((short) 52).putShort((short) 32)
            .putShort((short) segments.length).putShort((short) 40).putShort((short) 0).putShort((short) 0);
        for (int i = 0; i < segments.length; i++) {
            int[] s = segments[i];
            int fileSize = Math.min(s[1], 16);
            f.position(phoff + 32 * i);
            f.putInt(1).putInt(dataOff + 16 * i).putInt(s[0]).putInt(s[0]).putInt(fileSize).putInt(s[1]).putInt(s[2])
                .putInt(0x1000);
            f.position(dataOff + 16 * i);
            for (int j = 0; j < fileSize; j++) {
                f.put((byte) 0x90);
            }
        }
        return f.array();
    }
}
