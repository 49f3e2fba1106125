package org.erosim.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.erosim.tools.conformance.ConformanceRunner;
import org.erosim.tools.conformance.Json;
import org.erosim.tools.conformance.MooFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code erosim cputest PATH...}: runs single-step conformance files. */
@Command(name = "cputest", mixinStandardHelpOptions = true,
    description = {"Run single-step CPU conformance tests (MOO files, gzipped or not).",
        "Directories are searched for *.MOO and *.MOO.gz. Prints one line per file and a last line",
        "'N passed, M failed'. Exit status 1 if any test failed, 2 for unreadable or corrupt input."})
final class CputestCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "MOO files or directories holding them.")
    List<Path> paths;

    @Option(names = "--json", paramLabel = "FILE",
        description = "Write every failure (register, expected and actual values) to FILE as JSON.")
    Path json;

    @Option(names = "--verbose", description = "Print each failing test with its mismatches.")
    boolean verbose;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> {
                        String n = f.getFileName().toString();
                        return n.endsWith(".MOO") || n.endsWith(".MOO.gz") || n.endsWith(".moo") || n.endsWith(".moo.gz");
                    }).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new UsageException(p + ": no such file or directory");
            }
        }
        if (files.isEmpty()) {
            throw new UsageException("no MOO files found in " + paths);
        }
        long passed = 0;
        long failed = 0;
        List<ConformanceRunner.FileResult> results = new ArrayList<>();
        java.util.Map<ConformanceRunner.Difference, Integer> maskedByDifference =
            new java.util.EnumMap<>(ConformanceRunner.Difference.class);
        try (ConformanceRunner runner = new ConformanceRunner()) {
            for (Path f : files) {
                ConformanceRunner.FileResult r;
                try {
                    r = runner.runFile(f);
                } catch (MooFormatException e) {
                    throw new UsageException(e.getMessage());
                } catch (IOException e) {
                    throw new UsageException(f + ": cannot read: " + e.getMessage());
                }
                results.add(r);
                passed += r.passed + r.maskedTotal();
                r.masked.forEach((k, v) -> maskedByDifference.merge(k, v, Integer::sum));
                failed += r.failed;
                StringBuilder extra = new StringBuilder();
                if (r.revoked > 0) {
                    extra.append(", ").append(r.revoked).append(" revoked");
                }
                r.masked.forEach((k, v) -> extra.append(", ").append(v).append(" masked (").append(k).append(')'));
                out.printf("%s: %d passed, %d failed%s%n", r.file, r.passed + r.maskedTotal(), r.failed, extra);
                if (verbose) {
                    for (ConformanceRunner.TestFailure t : r.failures) {
                        out.printf("  #%d %s [%s] %s%s%n", t.index(), t.name(), t.bytes(), t.mismatches(),
                            t.note() != null ? " " + t.note() : "");
                    }
                }
                out.flush();
            }
        }
        maskedByDifference.forEach((k, v) -> out.printf("masked by 286/386 difference %s: %d%n", k, v));
        out.printf("%d passed, %d failed%n", passed, failed);
        if (json != null) {
            writeJson(results, passed, failed);
        }
        return failed == 0 ? Main.EXIT_OK : Main.EXIT_CHECK_FAILED;
    }

    private void writeJson(List<ConformanceRunner.FileResult> results, long passed, long failed) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("{\n  \"passed\": ").append(passed).append(",\n  \"failed\": ").append(failed)
            .append(",\n  \"files\": [");
        String sep = "\n";
        for (ConformanceRunner.FileResult r : results) {
            b.append(sep).append("    {\"file\": ").append(Json.quote(r.file)).append(", \"passed\": ").append(r.passed)
                .append(", \"failed\": ").append(r.failed).append(", \"revoked\": ").append(r.revoked)
                .append(", \"failures\": [");
            String s2 = "";
            for (ConformanceRunner.TestFailure t : r.failures) {
                b.append(s2).append("\n      {\"index\": ").append(t.index()).append(", \"name\": ")
                    .append(Json.quote(t.name())).append(", \"bytes\": ").append(Json.quote(t.bytes()));
                if (t.note() != null) {
                    b.append(", \"note\": ").append(Json.quote(t.note()));
                }
                b.append(", \"mismatches\": [");
                String s3 = "";
                for (ConformanceRunner.Mismatch m : t.mismatches()) {
                    b.append(s3).append("{\"register\": ").append(Json.quote(m.what())).append(", \"expected\": ")
                        .append(m.expected()).append(", \"actual\": ").append(m.actual()).append('}');
                    s3 = ", ";
                }
                b.append("]}");
                s2 = ",";
            }
            b.append(r.failures.isEmpty() ? "]}" : "\n    ]}");
            sep = ",\n";
        }
        b.append("\n  ]\n}\n");
        try {
            Files.writeString(json, b.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException(json + ": cannot write: " + e.getMessage());
        }
    }
}
