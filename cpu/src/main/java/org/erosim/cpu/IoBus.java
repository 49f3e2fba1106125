package org.erosim.cpu;

/**
 * The processor's I/O port space (IN, OUT, INS, OUTS).
 *
 * <p>Sizes are 1, 2 or 4 bytes; values are zero-extended. Ports no device claims behave as
 * an open ISA bus: reads return all ones, writes are ignored.
 */
public interface IoBus {
    int in(int port, int size);

    void out(int port, int size, int value);

    /** Nothing attached: every read is all ones. */
    IoBus OPEN_BUS = new IoBus() {
        @Override
        public int in(int port, int size) {
            return size == 1 ? 0xFF : size == 2 ? 0xFFFF : -1;
        }

        @Override
        public void out(int port, int size, int value) {
        }
    };
}
