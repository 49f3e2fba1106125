package org.erosim.tools.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A suite's own metadata: the undefined-flags mask per opcode (and per ModRM reg field of
 * group opcodes) from {@code metadata.json}, and the withdrawn tests of
 * {@code revocation_list.txt}. Both sit beside the MOO files; either may be absent.
 */
public final class SuiteMetadata {
    private final Map<String, Object> opcodes;
    private final Set<String> revoked;

    private SuiteMetadata(Map<String, Object> opcodes, Set<String> revoked) {
        this.opcodes = opcodes;
        this.revoked = revoked;
    }

    public static final SuiteMetadata NONE = new SuiteMetadata(Map.of(), Set.of());

    /** Loads the metadata of the directory holding {@code mooFile}. */
    @SuppressWarnings("unchecked")
    public static SuiteMetadata forDirectory(Path dir) throws IOException {
        Map<String, Object> ops = Map.of();
        Path meta = dir.resolve("metadata.json");
        if (Files.isRegularFile(meta)) {
            Object root;
            try {
                root = Json.parse(Files.readString(meta, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IOException(meta + ":" + e.getMessage());
            }
            if (root instanceof Map && ((Map<String, Object>) root).get("opcodes") instanceof Map) {
                ops = (Map<String, Object>) ((Map<String, Object>) root).get("opcodes");
            }
        }
        Set<String> rev = new HashSet<>();
        Path rl = dir.resolve("revocation_list.txt");
        if (Files.isRegularFile(rl)) {
            for (String line : Files.readAllLines(rl, StandardCharsets.UTF_8)) {
                String t = line.trim();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    rev.add(t.toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        return new SuiteMetadata(ops, rev);
    }

    public boolean isRevoked(String hash) {
        return revoked.contains(hash.toLowerCase(java.util.Locale.ROOT));
    }

    /** The FLAGS AND-mask for an opcode (and group extension, or -1); all ones if unknown. */
    @SuppressWarnings("unchecked")
    public int flagsMask(int opcode, int groupExtension) {
        String key = String.format("%02X", opcode);
        Object o = opcodes.get(key);
        if (!(o instanceof Map)) {
            return 0xFFFFFFFF;
        }
        Map<String, Object> m = (Map<String, Object>) o;
        if (groupExtension >= 0 && m.get("reg") instanceof Map) {
            Object r = ((Map<String, Object>) m.get("reg")).get(Integer.toString(groupExtension));
            if (r instanceof Map) {
                m = (Map<String, Object>) r;
            }
        }
        Object mask = m.get("flags-mask");
        return mask instanceof Double ? ((Double) mask).intValue() | 0xFFFF0000 : 0xFFFFFFFF;
    }

    /** The status string ("normal", "undefined", ...) or null. */
    @SuppressWarnings("unchecked")
    public String status(int opcode, int groupExtension) {
        Object o = opcodes.get(String.format("%02X", opcode));
        if (!(o instanceof Map)) {
            return null;
        }
        Map<String, Object> m = (Map<String, Object>) o;
        if (groupExtension >= 0 && m.get("reg") instanceof Map) {
            Object r = ((Map<String, Object>) m.get("reg")).get(Integer.toString(groupExtension));
            if (r instanceof Map) {
                return (String) ((Map<String, Object>) r).get("status");
            }
        }
        return (String) m.get("status");
    }
}
