package org.erosim.tools.image;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates valid system descriptions from a seed: pages, nodes, segments, red segments
 * and processes with random keys, every key to an object of the kind it needs, every slot
 * holding a key its role allows; processes running a program sometimes map pages and
 * segments into their space. Programs are {@code hello.elf} and {@code echo.elf} in the
 * same directory. {@link #main} is the description; {@link #part} (possibly empty) is an
 * included file {@code part.erosys} holding some of the declarations.
 */
final class RandomSystems {
    final String main;
    final String part;
    final int processes;

    private final SplittableRandom rnd;
    private final List<String> pages = new ArrayList<>();
    private final List<String> nodes = new ArrayList<>();
    private final List<String> segments = new ArrayList<>();
    private final List<Integer> segmentHeights = new ArrayList<>();
    private final List<String> processNames = new ArrayList<>();

    private static final String[] KERNEL_KEYS = {"console", "sleep", "systrace", "discrim", "range", "checkpoint",
        "sched"};
    private static final String[] RESTRICTIONS = {"read-only", "no-call", "weak", "opaque"};

    RandomSystems(long seed) {
        rnd = new SplittableRandom(seed);
        int nPages = rnd.nextInt(1, 5);
        int nSegments = rnd.nextInt(0, 4);
        int nRed = rnd.nextInt(0, 3);
        int nNodes = rnd.nextInt(0, 4);
        processes = rnd.nextInt(1, 6);
        // names first, so keys can name objects declared later
        for (int i = 0; i < nPages; i++) {
            pages.add("page" + i);
        }
        for (int i = 0; i < nSegments + nRed; i++) {
            segments.add((i < nSegments ? "seg" : "red") + i);
            segmentHeights.add(rnd.nextInt(1, 5));
        }
        for (int i = 0; i < nNodes; i++) {
            nodes.add("node" + i);
        }
        nodes.addAll(segments);
        for (int i = 0; i < processes; i++) {
            processNames.add("proc" + i);
        }
        List<String> decls = new ArrayList<>();
        decls.add("program hello \"hello.elf\"" + (rnd.nextBoolean() ? " stack 8K" : "") + "\n");
        decls.add("program echo \"echo.elf\" stack " + rnd.nextInt(1, 5) * 4 + "K stack-top 0x"
            + Integer.toHexString(0x01000000 * rnd.nextInt(1, 100)) + "\n");
        for (String p : pages) {
            decls.add("page " + p + "\n");
        }
        for (int i = 0; i < segments.size(); i++) {
            decls.add(i < nSegments ? segment(segments.get(i), segmentHeights.get(i))
                : redSegment(segments.get(i), segmentHeights.get(i)));
        }
        for (int i = 0; i < nNodes; i++) {
            decls.add(node(nodes.get(i)));
        }
        for (String p : processNames) {
            decls.add(process(p));
        }
        StringBuilder m = new StringBuilder("# generated\n");
        StringBuilder inc = new StringBuilder();
        boolean split = rnd.nextBoolean();
        if (split) {
            m.append("include \"part.erosys\"\n");
        }
        for (String d : decls) {
            (split && rnd.nextBoolean() ? inc : m).append(d).append(rnd.nextInt(4) == 0 ? "\n# gap\n" : "");
        }
        main = m.toString();
        part = inc.toString();
    }

    private String segment(String name, int height) {
        StringBuilder b = new StringBuilder("segment " + name + " {\n    height " + height + "\n");
        for (int slot = 0; slot < 32; slot++) {
            if (rnd.nextInt(4) == 0) {
                b.append("    slot ").append(slot).append(" = ").append(memoryKey(height)).append('\n');
            }
        }
        return b.append("}\n").toString();
    }

    private String redSegment(String name, int height) {
        int initial = rnd.nextInt(0, 32);
        int keeper = initial < 31 && rnd.nextBoolean() ? rnd.nextInt(initial, 31) : 31;
        int background = initial < 31 && rnd.nextBoolean() ? rnd.nextInt(initial, 31) : 31;
        if (background == keeper) {
            background = 31;
        }
        StringBuilder b = new StringBuilder("red-segment " + name + " {\n    height " + height + "\n    initial "
            + initial + "\n");
        b.append("    convention ").append(rnd.nextBoolean() ? "pass" : "node-key").append('\n');
        b.append("    keeper ").append(keeper == 31 ? "none" : keeper + " = " + startOrVoid()).append('\n');
        b.append("    background ").append(background == 31 ? "none" : background + " = " + memoryKey(height))
            .append('\n');
        for (int slot = 0; slot < 31; slot++) {
            if (slot == keeper || slot == background || rnd.nextInt(3) != 0) {
                continue;
            }
            b.append("    slot ").append(slot).append(" = ").append(slot < initial ? memoryKey(height) : slotKey(slot))
                .append('\n');
        }
        return b.append("}\n").toString();
    }

    private String node(String name) {
        StringBuilder b = new StringBuilder("node " + name + " {\n");
        for (int slot = 0; slot < 32; slot++) {
            if (rnd.nextInt(3) == 0) {
                b.append("  slot ").append(slot).append(" = ").append(slotKey(slot)).append('\n');
            }
        }
        return b.append("}\n").toString();
    }

    private String process(String name) {
        StringBuilder b = new StringBuilder("process " + name + " {\n");
        int space = rnd.nextInt(4);
        if (space == 0 && !segments.isEmpty()) {
            b.append("    space ").append(pick(segments)).append("\n    entry 0x1000\n");
        } else if (space == 1) {
            b.append("    space ").append(pick(pages)).append("\n    entry 0\n");
        } else {
            b.append("    space ").append(rnd.nextBoolean() ? "hello" : "echo").append('\n');
            maps(b);
        }
        if (rnd.nextBoolean()) {
            b.append("    keeper ").append(startOrVoid()).append('\n');
        }
        if (rnd.nextInt(4) == 0) {
            b.append("    schedule ").append(rnd.nextBoolean() ? "sched" : "void").append('\n');
        }
        for (int r = 1; r < 32; r++) {
            if (rnd.nextInt(4) == 0) {
                b.append("    keyreg ").append(r).append(" = ").append(slotKey(r)).append('\n');
            }
        }
        if (rnd.nextBoolean()) {
            b.append("    register eax = ").append(rnd.nextInt() & 0xFFFF).append('\n');
        }
        if (rnd.nextBoolean()) {
            b.append("    run\n");
        }
        return b.append("}\n").toString();
    }

    /**
     * 0..2 maps into a program space. No program page lies at or above 2 GiB (hello's stack
     * ends there, echo's stack top is below 0x64000000), so maps go there: map i into a
     * 128 MiB chunk of its own (chunks i*8..i*8+7), at a multiple of its key's span. 128 MiB
     * is the span of height 3, the tallest key a map can hold next to a program.
     */
    private void maps(StringBuilder b) {
        List<String> mappable = new ArrayList<>();
        List<Integer> heights = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            if (segmentHeights.get(i) < 4) {
                mappable.add(segments.get(i));
                heights.add(segmentHeights.get(i));
            }
        }
        int n = rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            long chunk = 0x80000000L + (long) (i * 8 + rnd.nextInt(8)) * 0x08000000L;
            int s = mappable.isEmpty() || rnd.nextBoolean() ? -1 : rnd.nextInt(mappable.size());
            long span = 1L << (12 + 5 * (s < 0 ? 0 : heights.get(s)));
            long address = chunk + rnd.nextLong(0x08000000L / span) * span;
            String key = s < 0 ? "page " + pick(pages) : "segment " + mappable.get(s);
            b.append("    map 0x").append(Long.toHexString(address)).append(" = ").append(key).append(restrictions())
                .append('\n');
        }
    }

    private String startOrVoid() {
        return rnd.nextInt(4) == 0 ? "void" : "start " + pick(processNames) + " badge " + rnd.nextInt(0x10000);
    }

    /** A page, void or segment key that fits in a slot of a node of {@code height}. */
    private String memoryKey(int height) {
        List<String> lower = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            if (segmentHeights.get(i) < height) {
                lower.add(segments.get(i));
            }
        }
        int c = rnd.nextInt(3);
        if (c == 0 && !lower.isEmpty()) {
            return "segment " + pick(lower) + restrictions();
        }
        return c == 1 ? "void" : "page " + pick(pages) + restrictions();
    }

    /**
     * A key for a slot of a node that is not a process root (key registers included: they are
     * the slots of the key-registers node). The store's consistency checker takes a node
     * shaped like a process root (slot 3 a node key) for one when a process key names it or
     * when slot 8 holds a number key (a run state), so generated plain nodes never hold a
     * number key in slot 8; see docs/image-language.md ("How the checker recognises
     * process roots").
     */
    private String slotKey(int slot) {
        String k = anyKey();
        return slot == 8 && k.startsWith("number ") ? "void" : k;
    }

    private String anyKey() {
        return switch (rnd.nextInt(9)) {
            case 0 -> "void";
            case 1 -> "number " + (rnd.nextInt() & 0xFFFFFFFFL) + (rnd.nextBoolean() ? " 0x" + Integer.toHexString(
                rnd.nextInt()) + " " + (rnd.nextInt() & 0x7FFFFFFF) : "");
            case 2 -> startOrVoid();
            case 3 -> "process " + pick(processNames);
            case 4 -> nodes.isEmpty() ? "void" : "node " + pick(nodes) + restrictions();
            case 5 -> segments.isEmpty() ? "void" : "segment " + pick(segments) + restrictions();
            case 6 -> "page " + pick(pages) + restrictions();
            default -> KERNEL_KEYS[rnd.nextInt(KERNEL_KEYS.length)];
        };
    }

    private String restrictions() {
        StringBuilder b = new StringBuilder();
        for (String r : RESTRICTIONS) {
            if (rnd.nextInt(4) == 0) {
                b.append(' ').append(r);
            }
        }
        return b.toString();
    }

    private String pick(List<String> from) {
        return from.get(rnd.nextInt(from.size()));
    }
}
