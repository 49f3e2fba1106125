package org.erosim.tools.storm;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.erosim.bench.storm.StormResult;
import org.erosim.bench.storm.StormScenario;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * {@code erosim storm --plot FILE.png|FILE.svg}: two JFreeChart charts stacked in one image —
 * cumulative wakeups, retries and sleepers served against emulated cycles since the trigger,
 * and the latency distribution (cycles from the trigger to being served, by percentile of
 * the sleepers served). Every run of the command is a set of series, so shared-keeper's two
 * wake policies share the axes. PNG through {@link ImageIO}, SVG through JFreeSVG's
 * {@link SVGGraphics2D} (the same drawing calls).
 */
public final class StormPlot {
    static final int WIDTH = 1000;
    static final int CHART_HEIGHT = 420;
    /** One hue per run; wakeups solid, retries dashed, served dotted. */
    private static final Color[] HUES = {new Color(0xC0392B), new Color(0x2471A3), new Color(0x1E8449), new Color(0x7D3C98)};

    private StormPlot() {
    }

    /** True for a file name this class can write (.png or .svg, any case). */
    public static boolean supports(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".svg");
    }

    /** Draws the charts of {@code runs} into {@code file} (PNG or SVG by its extension). */
    public static void write(StormScenario scenario, List<StormResult> runs, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        JFreeChart timeline = timeline(scenario, runs);
        JFreeChart latency = latency(runs);
        int height = 2 * CHART_HEIGHT;
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".svg")) {
            SVGGraphics2D g = new SVGGraphics2D(WIDTH, height);
            draw(g, timeline, latency);
            Files.writeString(file, g.getSVGDocument(), StandardCharsets.UTF_8);
        } else {
            BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            draw(g, timeline, latency);
            g.dispose();
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw new IOException("no PNG writer in this Java runtime");
            }
        }
    }

    private static void draw(Graphics2D g, JFreeChart top, JFreeChart bottom) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, 2 * CHART_HEIGHT);
        top.draw(g, new Rectangle2D.Double(0, 0, WIDTH, CHART_HEIGHT));
        bottom.draw(g, new Rectangle2D.Double(0, CHART_HEIGHT, WIDTH, CHART_HEIGHT));
    }

    private static JFreeChart timeline(StormScenario scenario, List<StormResult> runs) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (StormResult r : runs) {
            String v = r.config.variant();
            XYSeries w = new XYSeries(v + ": wakeups", false, true);
            XYSeries t = new XYSeries(v + ": retries", false, true);
            XYSeries s = new XYSeries(v + ": served", false, true);
            for (int i = 0; i < r.seriesCycles.length; i++) {
                if (r.seriesCycles[i] <= 0) {
                    continue; // log axes: the trigger itself (all zero) has no place
                }
                addPositive(w, r.seriesCycles[i], r.seriesWakeups[i]);
                addPositive(t, r.seriesCycles[i], r.seriesRetries[i]);
                addPositive(s, r.seriesCycles[i], r.seriesServed[i]);
            }
            data.addSeries(w);
            data.addSeries(t);
            data.addSeries(s);
        }
        StormResult first = runs.get(0);
        JFreeChart chart = ChartFactory.createXYLineChart(String.format(Locale.ROOT,
            "%s, %,d sleepers on %,d segment%s: wakeups, retries and sleepers served", scenario.label, first.sleepers,
            first.segments, first.segments == 1 ? "" : "s"), "emulated cycles since the triggering write",
            "cumulative count", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        // Log-log: a herd's quadratic retries and a drain's linear ones differ by orders of
        // magnitude in count and in time, and both must stay visible.
        LogAxis x = new LogAxis("emulated cycles since the triggering write (log scale)");
        x.setSmallestValue(1);
        plot.setDomainAxis(x);
        LogAxis y = new LogAxis("cumulative count (log scale)");
        y.setSmallestValue(1);
        plot.setRangeAxis(y);
        style(chart, runs.size(), 3);
        return chart;
    }

    private static void addPositive(XYSeries s, long x, long y) {
        if (y > 0) {
            s.add(x, y);
        }
    }

    private static JFreeChart latency(List<StormResult> runs) {
        XYSeriesCollection data = new XYSeriesCollection();
        boolean any = false;
        for (StormResult r : runs) {
            XYSeries s = new XYSeries(r.config.variant() + ": latency", false, true);
            if (r.latency.getTotalCount() > 0) {
                for (int i = 0; i <= 400; i++) {
                    double p = i / 4.0;
                    s.add(p, r.latency.getValueAtPercentile(p));
                }
                any = true;
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("latency: emulated cycles from the trigger to being served",
            "percentile of the sleepers served", "cycles", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setRange(0, 100);
        if (any) {
            LogAxis y = new LogAxis("cycles (log scale)");
            y.setSmallestValue(1);
            plot.setRangeAxis(y);
        }
        style(chart, runs.size(), 1);
        return chart;
    }

    /** White background, grey grid, one hue per run and a dash per series kind. */
    private static void style(JFreeChart chart, int runs, int perRun) {
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        float[][] dashes = {null, {8f, 4f}, {2f, 3f}};
        for (int run = 0; run < runs; run++) {
            for (int k = 0; k < perRun; k++) {
                int series = run * perRun + k;
                renderer.setSeriesPaint(series, HUES[run % HUES.length]);
                renderer.setSeriesStroke(series, dashes[k] == null ? new BasicStroke(2f)
                    : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dashes[k], 0f));
            }
        }
        plot.setRenderer(renderer);
        NumberAxis y = plot.getRangeAxis() instanceof NumberAxis ? (NumberAxis) plot.getRangeAxis() : null;
        if (y != null) {
            y.setAutoRangeIncludesZero(true);
        }
    }
}
