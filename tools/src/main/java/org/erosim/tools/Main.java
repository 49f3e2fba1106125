package org.erosim.tools;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code erosim} command line.
 *
 * <p>Exit status: 0 success; 1 a check failed; 2 usage or input error (one line on stderr,
 * never a stack trace unless {@code --debug}); run-ending statuses of {@code boot}.
 */
@Command(name = "erosim", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "A pure-Java IA-32 emulator hosting an EROS-style capability kernel.",
    subcommands = {BootCommand.class, BenchCommand.class, CputestCommand.class, DisasmCommand.class,
        MkimageCommand.class, CheckCommand.class, RunCommand.class, StormCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_CHECK_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
        description = "Print Java stack traces for internal errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // ISO-8859-1: guest console bytes pass through unchanged (boot writes them as chars 0-255)
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out,
            java.nio.charset.StandardCharsets.ISO_8859_1), true);
        int status = execute(args, out, new PrintWriter(System.err, true));
        out.flush();
        System.exit(status);
    }

    /** Runs the CLI with the given streams; returns the exit status (used by tests too). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("erosim: " + ex.getMessage());
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            boolean dbg = parseResult.hasMatchedOption("--debug");
            if (ex instanceof UsageException) {
                err.println("erosim: " + ex.getMessage());
                return EXIT_USAGE;
            }
            err.println("erosim: internal error: " + ex);
            if (dbg) {
                ex.printStackTrace(err);
            }
            return EXIT_USAGE;
        });
        return cl.execute(args);
    }

    /** Reports the version from the jar manifest. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"erosim " + (v != null ? v : "0.1.0-SNAPSHOT")};
        }
    }
}
