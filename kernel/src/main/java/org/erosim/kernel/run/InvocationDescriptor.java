package org.erosim.kernel.run;

/**
 * The 32-byte invocation descriptor a process passes at EBP with {@code INT 0x31}
 * (abi.md §1), as byte offsets. Layout, little-endian:
 *
 * <pre>
 *   0        1        2        3        4                                   8
 *   +--------+--------+--------+--------+-----------------------------------+
 *   | invType| invKey | gateKey| rsvd=0 | sndKeys[0..3] (one byte each)     |  0
 *   +--------+--------+--------+--------+-----------------------------------+
 *   | sndPtr                            | sndLen (0..65536)                 |  8
 *   +-----------------------------------+-----------------------------------+
 *   | rcvKeys[0..3] (one byte each)     | rcvPtr                            | 16
 *   +-----------------------------------+-----------------------------------+
 *   | rcvLimit (0..65536)               | reserved = 0                      | 24
 *   +-----------------------------------+-----------------------------------+ 32
 * </pre>
 */
final class InvocationDescriptor {
    static final int INV_TYPE = 0;
    static final int INV_KEY = 1;
    static final int GATE_KEY = 2;
    static final int RESERVED0 = 3;
    static final int SND_KEYS = 4;
    static final int SND_PTR = 8;
    static final int SND_LEN = 12;
    static final int RCV_KEYS = 16;
    static final int RCV_PTR = 20;
    static final int RCV_LIMIT = 24;
    static final int RESERVED1 = 28;
    static final int LENGTH = 32;

    private InvocationDescriptor() {
    }
}
