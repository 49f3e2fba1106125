package org.erosim.tools.conformance;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads MOO single-step test files (gzip-compressed or not): a sequence of tagged chunks
 * {@code tag(4) length(u32 LE) payload}. Unknown chunks are skipped by length; anything
 * truncated or inconsistent raises {@link MooFormatException} naming the file and offset.
 */
public final class MooReader {
    /** The file header and metadata. */
    public static final class MooFile {
        public int versionMajor;
        public int versionMinor;
        public int declaredTests;
        public String cpu = "";
        public int opcode = -1;
        /** ModRM reg extension of a group opcode, or -1. */
        public int groupExtension = -1;
        public String mnemonic = "";
        public int cpuMode;
        public final List<MooTest> tests = new ArrayList<>();
    }

    private final String file;
    private ByteBuffer buf;

    private MooReader(String file) {
        this.file = file;
    }

    public static MooFile read(Path path) throws IOException, MooFormatException {
        byte[] raw;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 == 0x1F && b1 == 0x8B) {
                try (GZIPInputStream gz = new GZIPInputStream(in)) {
                    raw = gz.readAllBytes();
                } catch (EOFException e) {
                    throw new MooFormatException(path + ": truncated gzip stream");
                } catch (java.util.zip.ZipException e) {
                    throw new MooFormatException(path + ": corrupt gzip stream (" + e.getMessage() + ")");
                }
            } else {
                raw = in.readAllBytes();
            }
        }
        return parse(path.toString(), raw);
    }

    public static MooFile parse(String name, byte[] raw) throws MooFormatException {
        MooReader r = new MooReader(name);
        r.buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        return r.parseFile();
    }

    private MooFormatException bad(String what, int at) {
        return new MooFormatException(file + ": " + what + " at byte offset " + at);
    }

    private MooFile parseFile() throws MooFormatException {
        MooFile f = new MooFile();
        boolean first = true;
        while (buf.remaining() > 0) {
            int at = buf.position();
            String tag = tag(at);
            if (first && !tag.equals("MOO ")) {
                throw bad("not a MOO file (first chunk is '" + printable(tag) + "', expected 'MOO ')", at);
            }
            int len = length(at);
            int end = buf.position() + len;
            first = false;
            switch (tag) {
                case "MOO ":
                    need(at, len, 8);
                    f.versionMajor = buf.get() & 0xFF;
                    f.versionMinor = buf.get() & 0xFF;
                    buf.getShort();
                    f.declaredTests = buf.getInt();
                    if (len >= 12) {
                        byte[] id = new byte[4];
                        buf.get(id);
                        f.cpu = new String(id, java.nio.charset.StandardCharsets.US_ASCII).trim();
                    }
                    break;
                case "META":
                    need(at, len, 26);
                    buf.get();
                    buf.get();
                    buf.get();
                    f.opcode = buf.getInt();
                    byte[] m = new byte[8];
                    buf.get(m);
                    f.mnemonic = new String(m, java.nio.charset.StandardCharsets.US_ASCII).trim();
                    buf.getInt();
                    buf.getLong();
                    f.cpuMode = buf.get() & 0xFF;
                    int ext = buf.get() & 0xFF;
                    f.groupExtension = ext == 0xFF ? -1 : ext;
                    break;
                case "TEST":
                    f.tests.add(parseTest(at, end));
                    break;
                default:
                    break;
            }
            buf.position(end);
        }
        if (first) {
            throw new MooFormatException(file + ": empty file");
        }
        if (f.declaredTests != f.tests.size()) {
            throw new MooFormatException(file + ": header declares " + f.declaredTests + " tests but the file holds "
                + f.tests.size() + " (truncated?)");
        }
        return f;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : s.toCharArray()) {
            b.append(ch >= 32 && ch < 127 ? ch : '?');
        }
        return b.toString();
    }

    private String tag(int at) throws MooFormatException {
        if (buf.remaining() < 8) {
            throw bad("truncated chunk header", at);
        }
        byte[] t = new byte[4];
        buf.get(t);
        return new String(t, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private int length(int at) throws MooFormatException {
        int len = buf.getInt();
        if (len < 0 || len > buf.remaining()) {
            throw bad("chunk length " + Integer.toUnsignedString(len) + " runs past the end of the file", at);
        }
        return len;
    }

    private void need(int at, int len, int min) throws MooFormatException {
        if (len < min) {
            throw bad("chunk too short (" + len + " bytes, need " + min + ")", at);
        }
    }

    private MooTest parseTest(int at, int end) throws MooFormatException {
        MooTest t = new MooTest();
        if (end - buf.position() < 4) {
            throw bad("truncated TEST chunk", at);
        }
        t.index = buf.getInt();
        boolean init = false;
        boolean fin = false;
        while (buf.position() < end) {
            int sub = buf.position();
            if (end - sub < 8) {
                throw bad("truncated sub-chunk in test " + t.index, sub);
            }
            String tag = tag(sub);
            int len = length(sub);
            int subEnd = buf.position() + len;
            if (subEnd > end) {
                throw bad("sub-chunk '" + printable(tag) + "' overruns its test", sub);
            }
            switch (tag) {
                case "NAME":
                    t.name = counted(sub, subEnd, false);
                    break;
                case "BYTS":
                    need(sub, len, 4);
                    int n = buf.getInt();
                    if (n < 0 || n > subEnd - buf.position()) {
                        throw bad("BYTS count overruns its chunk", sub);
                    }
                    t.bytes = new byte[n];
                    buf.get(t.bytes);
                    break;
                case "INIT":
                    parseState(t.initial, subEnd);
                    init = true;
                    break;
                case "FINA":
                    parseState(t.fin, subEnd);
                    fin = true;
                    break;
                case "EXCP":
                    need(sub, len, 5);
                    t.exceptionVector = buf.get() & 0xFF;
                    t.exceptionFlagsAddress = buf.getInt();
                    break;
                case "HASH":
                    need(sub, len, 20);
                    byte[] h = new byte[20];
                    buf.get(h);
                    t.hash = HexFormat.of().formatHex(h);
                    break;
                default:
                    break;
            }
            buf.position(subEnd);
        }
        if (!init || !fin) {
            throw bad("test " + t.index + " lacks its " + (init ? "FINA" : "INIT") + " state", at);
        }
        return t;
    }

    private String counted(int at, int end, boolean unused) throws MooFormatException {
        if (end - buf.position() < 4) {
            throw bad("truncated NAME", at);
        }
        int n = buf.getInt();
        if (n < 0 || n > end - buf.position()) {
            throw bad("NAME length overruns its chunk", at);
        }
        byte[] s = new byte[n];
        buf.get(s);
        return new String(s, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private void parseState(MooTest.State s, int end) throws MooFormatException {
        while (buf.position() < end) {
            int at = buf.position();
            if (end - at < 8) {
                throw bad("truncated state sub-chunk", at);
            }
            String tag = tag(at);
            int len = length(at);
            int subEnd = buf.position() + len;
            if (subEnd > end) {
                throw bad("state sub-chunk '" + printable(tag) + "' overruns its state", at);
            }
            switch (tag) {
                case "REGS":
                    s.regs32 = false;
                    s.regMask = regs(s.regs, false, subEnd, at);
                    break;
                case "RG32":
                    s.regs32 = true;
                    s.regMask = regs(s.regs, true, subEnd, at);
                    break;
                case "RMSK":
                case "RM32": {
                    int[] m = new int[20];
                    java.util.Arrays.fill(m, -1);
                    regs(m, tag.equals("RM32"), subEnd, at);
                    s.regAndMask = m;
                    break;
                }
                case "RAM ": {
                    need(at, len, 4);
                    int n = buf.getInt();
                    if (n < 0 || (long) n * 5 > subEnd - buf.position()) {
                        throw bad("RAM entry count overruns its chunk", at);
                    }
                    for (int i = 0; i < n; i++) {
                        int addr = buf.getInt();
                        s.addRam(addr, buf.get());
                    }
                    break;
                }
                default:
                    break;
            }
            buf.position(subEnd);
        }
    }

    private int regs(int[] into, boolean wide, int end, int at) throws MooFormatException {
        int width = wide ? 4 : 2;
        if (end - buf.position() < width) {
            throw bad("truncated register set", at);
        }
        int mask = wide ? buf.getInt() : buf.getShort() & 0xFFFF;
        int count = wide ? 20 : 14;
        for (int i = 0; i < count; i++) {
            if ((mask & (1 << i)) != 0) {
                if (end - buf.position() < width) {
                    throw bad("register set shorter than its mask says", at);
                }
                into[i] = wide ? buf.getInt() : buf.getShort() & 0xFFFF;
            }
        }
        if ((mask >>> count) != 0) {
            throw bad("register mask names unknown registers", at);
        }
        return mask;
    }
}
