package org.erosim.tools.boot;

import java.io.PrintWriter;

/** Runs a machine one instruction at a time while tracing, then at full speed once the trace is full. */
public final class Tracing {
    private final Tracer tracer;

    public Tracing(PrintWriter out, long limit) {
        this.tracer = new Tracer(out, limit);
    }

    public Machine.EndReason run(Machine m, long maxInstructions) {
        long start = m.interpreter.budgetUsed();
        while (!tracer.full()) {
            if (m.interpreter.budgetUsed() - start >= maxInstructions) {
                return Machine.EndReason.INSTRUCTION_LIMIT;
            }
            tracer.record(m.cpu);
            Machine.EndReason r = m.endOf(m.interpreter.run(1));
            if (r != null) {
                return r;
            }
        }
        return m.run(maxInstructions - (m.interpreter.budgetUsed() - start));
    }
}
