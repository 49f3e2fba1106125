package org.erosim.tools.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.erosim.kernel.abi.FaultCode;
import org.erosim.kernel.abi.InvocationType;
import org.erosim.kernel.abi.KernelCounters;
import org.erosim.kernel.abi.KeyType;
import org.erosim.kernel.abi.Limits;
import org.erosim.kernel.abi.OrderCode;
import org.erosim.kernel.abi.ProcessLayout;
import org.erosim.kernel.abi.RedSegmentFormat;
import org.erosim.kernel.abi.RegisterFile;
import org.erosim.kernel.abi.Restriction;
import org.erosim.kernel.abi.ResultCode;
import org.erosim.kernel.key.KeyDescriptor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The guest SDK header ({@code tools/src/main/guest/lib/erosim.h}) and the kernel's Java
 * ABI constants agree, in both directions.
 *
 * <p>Naming rule: Java {@code Class.FIELD} is C {@code ERO_<PREFIX>_FIELD}, with the
 * prefixes of {@link #PREFIXES}; of {@link KeyDescriptor} only {@code KEYDATA_FAULT} is ABI
 * (a fault resume key's flag), as {@code ERO_KEYDATA_FAULT}. Header names under
 * {@link #HEADER_ONLY} prefixes describe layouts with no Java constant: the C build
 * checks them ({@code _Static_assert} in erosim.h and check/sdk-check.c), and this test
 * checks their shape.
 */
class SdkHeaderTest {
    /** Surefire runs in the module directory. */
    private static final Path HEADER = Path.of("src/main/guest/lib/erosim.h");

    private static final Map<Class<?>, String> PREFIXES = new LinkedHashMap<>();

    static {
        PREFIXES.put(KeyType.class, "KT");
        PREFIXES.put(Restriction.class, "RESTRICT");
        PREFIXES.put(ResultCode.class, "RC");
        PREFIXES.put(OrderCode.class, "OC");
        PREFIXES.put(FaultCode.class, "FC");
        PREFIXES.put(InvocationType.class, "INV");
        PREFIXES.put(ProcessLayout.class, "PROC");
        PREFIXES.put(RedSegmentFormat.class, "RSEG");
        PREFIXES.put(Limits.class, "LIMIT");
        PREFIXES.put(RegisterFile.class, "REGFILE");
        PREFIXES.put(KernelCounters.class, "CTR");
    }

    /** Layout names checked by the C compiler, not against Java. */
    private static final List<String> HEADER_ONLY = List.of("ERO_TRAP_", "ERO_DESC_", "ERO_CLASS_");

    /** Red segment field positions: checked against {@link RedSegmentFormat#encode}. */
    private static final Pattern RSEG_POSITION = Pattern.compile("ERO_RSEG_([A-Z]+)_(SHIFT|WIDTH)");

    /** An object-like macro whose value is a plain number; the rest of the line may be a comment. */
    private static final Pattern DEFINE =
        Pattern.compile("^#define\\s+(ERO_[A-Z0-9_]+)\\s+(0[xX][0-9A-Fa-f]+|[0-9]+)\\s*(/\\*.*)?$");
    private static final Pattern ANY_DEFINE = Pattern.compile("^#define\\s+(ERO_[A-Z0-9_]+)(\\(|\\s|$)");

    private static Map<String, Long> header;

    @BeforeAll
    static void parseHeader() throws IOException {
        header = new TreeMap<>();
        List<String> lines = Files.readAllLines(HEADER);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher any = ANY_DEFINE.matcher(line);
            if (!any.find() || any.group(2).equals("(")) {
                continue; // not an ERO_ macro, or a function-like one
            }
            Matcher m = DEFINE.matcher(line);
            assertTrue(m.matches(), HEADER + ":" + (i + 1) + ": object-like macro is not a plain number: " + line);
            String v = m.group(2);
            long value = v.startsWith("0x") || v.startsWith("0X") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
            assertTrue(value <= 0xFFFF_FFFFL, HEADER + ":" + (i + 1) + ": more than 32 bits");
            Long old = header.put(m.group(1), value);
            assertEquals(null, old, HEADER + ":" + (i + 1) + ": " + m.group(1) + " defined twice");
        }
    }

    /** Every Java constant and its expected C name. */
    private static Map<String, Integer> javaConstants() throws IllegalAccessException {
        Map<String, Integer> java = new TreeMap<>();
        for (Map.Entry<Class<?>, String> e : PREFIXES.entrySet()) {
            for (Field f : e.getKey().getDeclaredFields()) {
                int mod = f.getModifiers();
                if (Modifier.isPublic(mod) && Modifier.isStatic(mod) && Modifier.isFinal(mod) && f.getType() == int.class) {
                    java.put("ERO_" + e.getValue() + "_" + f.getName(), f.getInt(null));
                }
            }
        }
        java.put("ERO_KEYDATA_FAULT", KeyDescriptor.KEYDATA_FAULT);
        return java;
    }

    @Test
    void everyJavaAbiConstantHasAHeaderDefineWithTheSameValue() throws Exception {
        Map<String, Integer> java = javaConstants();
        assertTrue(java.size() > 90, "reflection found only " + java.size() + " constants");
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Integer> e : java.entrySet()) {
            Long c = header.get(e.getKey());
            if (c == null) {
                wrong.add(e.getKey() + " missing (Java value " + e.getValue() + ")");
            } else if (c.intValue() != e.getValue()) {
                wrong.add(e.getKey() + " = 0x" + Long.toHexString(c) + " in C, 0x" + Integer.toHexString(e.getValue())
                    + " in Java");
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyHeaderDefineIsAJavaConstantOrACheckedLayoutName() throws Exception {
        Map<String, Integer> java = javaConstants();
        List<String> unaccounted = new ArrayList<>();
        for (String name : header.keySet()) {
            boolean layout = HEADER_ONLY.stream().anyMatch(name::startsWith) || RSEG_POSITION.matcher(name).matches();
            if (!layout && !java.containsKey(name)) {
                unaccounted.add(name);
            }
        }
        assertEquals(List.of(), unaccounted, "header names with no Java constant (add one, or fix the name)");
    }

    @Test
    void redSegmentFieldPositionsMatchTheJavaEncoding() {
        String[] fields = {"INITIAL", "KEEPER", "BACKGROUND", "CONVENTION", "HEIGHT"};
        int all = 0;
        for (int f = 0; f < fields.length; f++) {
            long shift = require("ERO_RSEG_" + fields[f] + "_SHIFT");
            long width = require("ERO_RSEG_" + fields[f] + "_WIDTH");
            int ones = (int) ((1L << width) - 1);
            int[] args = new int[5];
            args[f] = -1; // encode masks each argument to its field
            int word = RedSegmentFormat.encode(args[0], args[1], args[2], args[3], args[4]);
            assertEquals(ones << shift, word, fields[f]);
            all |= word;
        }
        assertEquals(RedSegmentFormat.encode(-1, -1, -1, -1, -1), all);
        int w = RedSegmentFormat.encode(3, 7, RedSegmentFormat.NONE, RedSegmentFormat.CONVENTION_PASS, 2);
        assertEquals(3, (w >>> require("ERO_RSEG_INITIAL_SHIFT")) & 31);
        assertEquals(7, (w >>> require("ERO_RSEG_KEEPER_SHIFT")) & 31);
        assertEquals(2, (w >>> require("ERO_RSEG_HEIGHT_SHIFT")) & 15);
    }

    @Test
    void descriptorAndRegisterFileOffsetsFollowAbiMd() {
        // abi.md §1: the descriptor's fields in order with their sizes; §7: 13 words.
        String[] desc = {"INV_TYPE", "INV_KEY", "GATE_KEY", "RESERVED0", "SND_KEYS", "SND_PTR", "SND_LEN", "RCV_KEYS",
            "RCV_PTR", "RCV_LIMIT", "RESERVED1", "SIZE"};
        int[] descOffsets = {0, 1, 2, 3, 4, 8, 12, 16, 20, 24, 28, 32};
        for (int i = 0; i < desc.length; i++) {
            assertEquals(descOffsets[i], require("ERO_DESC_" + desc[i]), desc[i]);
        }
        String[] regs = {"VERSION", "FAULT_CODE", "FAULT_INFO", "EIP", "EFLAGS", "EAX", "EBX", "ECX", "EDX", "ESI", "EDI",
            "EBP", "ESP", "SIZE"};
        for (int i = 0; i < regs.length; i++) {
            assertEquals(4L * i, require("ERO_REGFILE_" + regs[i]), regs[i]);
        }
        assertEquals(52, require("ERO_REGFILE_SIZE"));
        assertEquals(0x31, require("ERO_TRAP_VECTOR"));
    }

    @Test
    void kernelCountersAreConsecutive64BitWordsAfterTheVersion() throws Exception {
        // Every KernelCounters offset other than the header words and the sizes is a counter.
        List<Integer> offsets = new ArrayList<>();
        for (Field f : KernelCounters.class.getDeclaredFields()) {
            String n = f.getName();
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class && !List.of("VERSION_CURRENT",
                "VERSION", "RESERVED", "SIZE", "FIRST", "COUNT").contains(n)) {
                offsets.add(f.getInt(null));
            }
        }
        offsets.sort(null);
        assertEquals(KernelCounters.COUNT, offsets.size());
        for (int i = 0; i < offsets.size(); i++) {
            assertEquals(KernelCounters.FIRST + 8 * i, offsets.get(i));
        }
        assertEquals(KernelCounters.FIRST + 8 * KernelCounters.COUNT, KernelCounters.SIZE);
        assertEquals(8, require("ERO_CTR_FIRST"));
        assertEquals(KernelCounters.SIZE, require("ERO_CTR_SIZE"));
    }

    private static long require(String name) {
        Long v = header.get(name);
        if (v == null) {
            fail(name + " is not defined in " + HEADER);
        }
        return v;
    }
}
