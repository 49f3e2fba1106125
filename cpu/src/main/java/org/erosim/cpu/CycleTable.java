package org.erosim.cpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The instruction timing table: cycles charged per instruction form (data, not code).
 *
 * <p>The defaults come from {@code cycles-i486.properties} next to this class; a file
 * with the same keys overrides individual entries ({@link #withOverrides}). Costs are
 * fixed per decoded instruction plus a few dynamic parts (taken branches, REP iterations,
 * page walks, exception delivery), which keeps runs deterministic.
 */
public final class CycleTable {
    private final Properties values;
    /** Cycles per TLB-miss page walk (paging enabled). */
    public final int pageWalk;
    /** Cycles to deliver an exception or external interrupt. */
    public final int exception;
    /**
     * Cycles of a software interrupt (INT n, INT3, INTO, INT1), every mode: also what a host
     * that executes a trap instruction itself charges for it (the kernel's trap replay).
     */
    public final int softwareInterrupt;

    private CycleTable(Properties values) {
        this.values = values;
        this.pageWalk = Integer.parseInt(values.getProperty("page_walk", "10").trim());
        this.exception = Integer.parseInt(values.getProperty("exception", "30").trim());
        this.softwareInterrupt = Integer.parseInt(values.getProperty("int.prot").trim());
    }

    private static final CycleTable DEFAULTS = loadDefaults();

    public static CycleTable defaults() {
        return DEFAULTS;
    }

    private static CycleTable loadDefaults() {
        Properties p = new Properties();
        try (InputStream in = CycleTable.class.getResourceAsStream("cycles-i486.properties")) {
            if (in == null) {
                throw new IllegalStateException("cycles-i486.properties missing from the classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new CycleTable(p);
    }

    /**
     * A table with the entries of {@code file} replacing the defaults.
     *
     * @throws IllegalArgumentException naming the first unknown key or bad value
     */
    public CycleTable withOverrides(Path file) throws IOException {
        Properties o = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            o.load(in);
        }
        Properties merged = new Properties();
        merged.putAll(values);
        for (String k : o.stringPropertyNames()) {
            if (!values.containsKey(k)) {
                throw new IllegalArgumentException(file + ": unknown timing key '" + k + "'");
            }
            String v = o.getProperty(k).trim();
            try {
                if (Integer.parseInt(v) < 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ": value of '" + k + "' must be a non-negative integer, got '"
                    + v + "'");
            }
            merged.setProperty(k, v);
        }
        return new CycleTable(merged);
    }

    /** The cost named {@code key}. */
    public int get(String key) {
        String v = values.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("no timing entry " + key);
        }
        return Integer.parseInt(v.trim());
    }

    public java.util.Set<String> keys() {
        return values.stringPropertyNames();
    }
}
