package org.erosim.tools.storm;

import static org.erosim.tools.Cli.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.erosim.tools.Cli;
import org.erosim.tools.conformance.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * {@code erosim storm} through the CLI at small N: the table's numbers exactly, the JSON
 * document against its schema (docs/storm.md), plots that are real PNG and SVG files, and
 * bad input as one line with exit status 2 naming the option that fixes it.
 */
class StormCommandTest {
    @TempDir
    Path dir;

    /** The value cell of row {@code label} in a one-run table. */
    private static String cell(String table, String label) {
        for (String line : table.split("\\R")) {
            if (line.startsWith(label + " ")) {
                return line.substring(label.length()).trim();
            }
        }
        throw new AssertionError("no row '" + label + "' in\n" + table);
    }

    @Test
    void keeperSwapTableCountsEveryRedirectedCallerExactly() {
        Cli c = cli("storm", "keeper-swap", "--sleepers", "100", "--warmup", "0");
        assertEquals(0, c.status(), c.err());
        String t = c.out();
        assertTrue(t.startsWith("erosim storm keeper-swap: 100 sleepers on 1 red segment (seed 1)"), t);
        assertEquals("100", cell(t, "sleepers released by the trigger"));
        assertEquals("100", cell(t, "served after the trigger"));
        assertEquals("100", cell(t, "served before the old keeper returned"));
        assertEquals("297", cell(t, "wakeups"));
        assertEquals("297", cell(t, "retries"));
        assertEquals("197", cell(t, "re-stalls"));
        assertEquals("100", cell(t, "commits after wake"));
        assertEquals("1 (100)", cell(t, "keeper rewakes (sleepers woken)"));
        assertEquals("served", cell(t, "end"));
        assertEquals("ok", cell(t, "consistency checkers"));
        assertEquals("", c.err()); // no terminal: no progress bar

        Cli off = cli("storm", "keeper-swap", "--sleepers", "100", "--warmup", "0", "--no-keeper-rewake");
        assertEquals(0, off.status(), off.err());
        assertEquals("0", cell(off.out(), "served before the old keeper returned"));
        assertEquals("100", cell(off.out(), "served after the trigger"));
        assertEquals("0 (0)", cell(off.out(), "keeper rewakes (sleepers woken)"));

        // --no-trap-replay: every retry interpreted, the same storm in emulated terms.
        Cli interpreted = cli("storm", "keeper-swap", "--sleepers", "100", "--warmup", "0", "--no-trap-replay");
        assertEquals(0, interpreted.status(), interpreted.err());
        String i = interpreted.out();
        assertTrue(i.contains("wake-one, rewake, no trap replay"), i);
        for (String row : new String[] {"wakeups", "retries", "re-stalls", "commits after wake",
            "emulated cycles, trigger to last served", "latency p99 (cycles)"}) {
            assertEquals(cell(t, row), cell(i, row), row);
        }
    }

    @Test
    void postFireFiresEveryPostOnce() {
        Cli c = cli("storm", "post-fire", "--sleepers", "100", "--warmup", "0");
        assertEquals(0, c.status(), c.err());
        assertEquals("100", cell(c.out(), "served after the trigger"));
        assertEquals("100", cell(c.out(), "wakeups"));
        assertEquals("0", cell(c.out(), "re-stalls"));
        assertEquals("0", cell(c.out(), "premature fires (gate evicted closed)"));
    }

    @Test
    void sharedKeeperComparesBothPoliciesInJsonAndPlots() throws Exception {
        Path json = dir.resolve("storm.json");
        Path png = dir.resolve("storm.png");
        Cli c = cli("storm", "shared-keeper", "--sleepers", "120", "--segments", "3", "--warmup", "20", "--json",
            json.toString(), "--plot", png.toString());
        assertEquals(0, c.status(), c.err());
        assertTrue(c.out().contains("wake-all, rewake") && c.out().contains("wake-one, rewake"), c.out());

        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) Json.parse(Files.readString(json));
        assertEquals(StormReport.SCHEMA, doc.get("schema"));
        assertEquals("shared-keeper", doc.get("scenario"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> runs = (List<Map<String, Object>>) doc.get("runs");
        assertEquals(2, runs.size());
        for (Map<String, Object> r : runs) {
            for (String key : List.of("wakePolicy", "keeperRewake", "postRecheck", "seed", "sleepers", "segments",
                "released", "served", "servedBeforeOldKeeperReturned", "oldKeeperReturnedAfterCycles", "prematureFires",
                "prematureDelivered", "wakeups", "retries", "restalls", "commits", "rewakes", "rewakeSleepers",
                "stormCycles", "triggerCycle", "hostNanos", "hostNanosPerWakeup", "hostNanosPerSleeper", "latencyCycles",
                "memoryBytesPerSleeper", "pools", "setup", "end", "consistent", "checkerFindings", "series")) {
                assertTrue(r.containsKey(key), "run lacks " + key + ": " + r.keySet());
            }
            assertEquals(31, r.size(), "exactly the documented keys: " + r.keySet());
            assertEquals(120.0, r.get("sleepers"));
            assertEquals(3.0, r.get("segments"));
            assertEquals(40.0, r.get("served"));
            assertEquals(120.0, r.get("rewakeSleepers"));
            assertEquals(Boolean.TRUE, r.get("consistent"));
            assertEquals((Double) r.get("retries"), (Double) r.get("restalls") + (Double) r.get("commits"));
            @SuppressWarnings("unchecked")
            Map<String, Object> lat = (Map<String, Object>) r.get("latencyCycles");
            assertEquals(List.of("count", "min", "p50", "p90", "p99", "p999", "max", "mean"), List.copyOf(lat.keySet()));
            assertEquals(40.0, lat.get("count"));
            assertTrue((Double) lat.get("p50") <= (Double) lat.get("p99"));
            @SuppressWarnings("unchecked")
            Map<String, List<Object>> series = (Map<String, List<Object>>) r.get("series");
            int n = series.get("cycles").size();
            assertTrue(n >= 2, "series points " + n);
            for (String k : List.of("wakeups", "retries", "served")) {
                assertEquals(n, series.get(k).size(), k);
            }
            assertEquals(r.get("wakeups"), series.get("wakeups").get(n - 1), "the series ends at the totals");
            assertEquals(40.0, series.get("served").get(n - 1));
        }
        // 120 sleepers in three segments of 40: the herd at the new keeper under wake-all.
        assertEquals("wake-all", runs.get(0).get("wakePolicy"));
        assertEquals(120.0 + 40 * 39 / 2, runs.get(0).get("wakeups"));
        assertEquals(120.0 + 2 * 40 - 3, runs.get(1).get("wakeups"));

        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 8 && (bytes[0] & 0xFF) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G',
            "PNG signature");
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image);
        assertEquals(StormPlot.WIDTH, image.getWidth());
        assertEquals(2 * StormPlot.CHART_HEIGHT, image.getHeight());
    }

    @Test
    void evictionCountsPrematureFiresAndRecheckHasNoneWithAnSvgPlot() throws Exception {
        Cli c = cli("storm", "eviction", "--sleepers", "200", "--warmup", "0");
        assertEquals(0, c.status(), c.err());
        long premature = Long.parseLong(cell(c.out(), "premature fires (gate evicted closed)").replace(",", ""));
        assertTrue(premature > 0, c.out());
        assertEquals(200 - premature, Long.parseLong(cell(c.out(), "served after the trigger")));

        Path svg = dir.resolve("evict.svg");
        Cli r = cli("storm", "eviction", "--sleepers", "200", "--warmup", "0", "--post-recheck", "--plot", svg.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("0", cell(r.out(), "premature fires (gate evicted closed)"));
        assertEquals("200", cell(r.out(), "served after the trigger"));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // no network
        Document d = f.newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", d.getDocumentElement().getLocalName());
        assertEquals("http://www.w3.org/2000/svg", d.getDocumentElement().getNamespaceURI());
        assertTrue(Files.readString(svg).contains("latency"), "the chart titles are in the drawing");
    }

    @Test
    void badInputIsOneLineWithStatusTwo() {
        assertBad(cli("storm", "thunder"), "unknown scenario 'thunder' (keeper-swap, post-fire, shared-keeper or eviction)");
        assertBad(cli("storm", "post-fire", "--sleepers", "0"), "--sleepers must be at least 1");
        assertBad(cli("storm", "post-fire", "--sleepers", "-5"), "--sleepers must be at least 1");
        assertBad(cli("storm", "post-fire", "--sleepers", "3000000"), "use --sleepers 1864");
        assertBad(cli("storm", "keeper-swap", "--sleepers", "1000", "--processes", "100"), "use --processes 1003 or more");
        assertBad(cli("storm", "post-fire", "--sleepers", "1000", "--posts", "10"), "use --posts 1000 or more");
        assertBad(cli("storm", "post-fire", "--sleepers", "1000", "--nodes", "10"), "use --nodes 2008 or more");
        assertBad(cli("storm", "keeper-swap", "--sleepers", "20000", "--wake-policy", "wake-all"),
            "use --wake-policy wake-one");
        assertBad(cli("storm", "keeper-swap", "--wake-policy", "wake-some"), "--wake-policy must be wake-all or wake-one");
        assertBad(cli("storm", "keeper-swap", "--plot", dir.resolve("x.gif").toString()), "must end in .png or .svg");
        assertBad(cli("storm", "keeper-swap", "--sleepers", "10", "--segments", "20"), "more than --sleepers");
        assertBad(cli("storm", "keeper-swap", "--sleepers", "lots"), "--sleepers");
        assertBad(cli("storm", "keeper-swap", "--nodes", "2000000000"), "use --nodes 3728270 or fewer");
    }

    private static void assertBad(Cli c, String fragment) {
        assertEquals(2, c.status(), c.out() + c.err());
        String err = c.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.startsWith("erosim: "), err);
        assertTrue(err.contains(fragment), err);
        assertEquals("", c.out());
    }
}
