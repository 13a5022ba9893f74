import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Draws the side-by-side run of the shared harness (its compare.sh writes one NAME.json per server
 * into RESULTS_DIR) as an SVG bar chart: one panel per figure, one bar per server, Latchkey in blue.
 *
 * <pre>
 * java -cp target/latchkey.jar src/bench/Chart.java RESULTS_DIR latchkey javalin-bare spring express nestjs > src/bench/chart.svg
 * </pre>
 */
public final class Chart {
    private record Panel(String title, String unit, boolean higherIsBetter, Function<JsonNode, Double> value) {
    }

    private static final List<Panel> PANELS = List.of(
            new Panel("GET /users/me", "req/s", true, j -> num(j.path("scenarios").path("me").path("rps"))),
            new Panel("GET /users/me p99 latency", "ms", false, j -> num(j.path("scenarios").path("me").path("p99_ms"))),
            new Panel("POST /auth/login (bcrypt cost 10)", "req/s", true, j -> num(j.path("scenarios").path("login").path("rps"))),
            new Panel("Startup to first 200", "ms", false, j -> num(j.path("startup_ms"))),
            new Panel("Idle RSS after startup", "MB", false, j -> mb(j.path("rss_idle_kb"))),
            new Panel("Peak RSS after all load", "MB", false, j -> mb(j.path("rss_peak_kb"))));

    private static final int PANEL_W = 440;
    private static final int LABEL_W = 110;
    private static final int BAR_H = 18;
    private static final int GAP = 6;

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: java -cp target/latchkey.jar src/bench/Chart.java RESULTS_DIR NAME...");
            System.exit(2);
        }
        ObjectMapper json = new ObjectMapper();
        Path dir = Path.of(args[0]);
        List<String> names = new ArrayList<>();
        List<JsonNode> runs = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            Path file = dir.resolve(args[i] + ".json");
            if (!Files.isRegularFile(file)) {
                System.err.println("no " + file + ": skipped");
                continue;
            }
            names.add(args[i]);
            runs.add(json.readTree(file.toFile()));
        }
        String date = runs.isEmpty() ? "" : runs.get(0).path("date").asText("");
        int panelH = 34 + names.size() * (BAR_H + GAP);
        int rows = (PANELS.size() + 1) / 2;
        int width = 2 * PANEL_W + 30;
        int height = 56 + rows * (panelH + 16);

        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">%n", width, height, width, height));
        svg.append(String.format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Latchkey vs javalin-bare and peers, one run (%s)</text>%n", esc(date)));
        svg.append("<text x=\"10\" y=\"40\" fill=\"#555\">server on one CPU, wrk on another; bars are medians of the run's passes; ▲ higher is better, ▼ lower is better</text>\n");
        for (int p = 0; p < PANELS.size(); p++) {
            Panel panel = PANELS.get(p);
            int x0 = 10 + (p % 2) * (PANEL_W + 10);
            int y0 = 56 + (p / 2) * (panelH + 16);
            double max = 0;
            for (JsonNode run : runs) {
                Double v = panel.value().apply(run);
                if (v != null) max = Math.max(max, v);
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s %s (%s)</text>%n",
                    x0, y0 + 14, panel.higherIsBetter() ? "▲" : "▼", esc(panel.title()), panel.unit()));
            for (int i = 0; i < names.size(); i++) {
                int y = y0 + 24 + i * (BAR_H + GAP);
                Double v = panel.value().apply(runs.get(i));
                String name = names.get(i);
                String color = name.equals("latchkey") ? "#1f6fb5" : name.startsWith("latchkey") ? "#7fb0dc" : name.equals("javalin-bare") ? "#6b7785" : "#aab4bf";
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                        x0 + LABEL_W - 6, y + BAR_H - 5, esc(name)));
                if (v == null) {
                    svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#888\">n/a</text>%n", x0 + LABEL_W, y + BAR_H - 5));
                    continue;
                }
                int barMax = PANEL_W - LABEL_W - 70;
                int w = max > 0 ? (int) Math.max(1, Math.round(v / max * barMax)) : 1;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n",
                        x0 + LABEL_W, y, w, BAR_H, color));
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x0 + LABEL_W + w + 5, y + BAR_H - 5, format(v)));
            }
        }
        svg.append("</svg>\n");
        System.out.print(svg);
    }

    private static Double num(JsonNode n) {
        return n.isNumber() ? n.asDouble() : null;
    }

    private static Double mb(JsonNode kb) {
        return kb.isNumber() ? kb.asDouble() / 1024 : null;
    }

    private static String format(double v) {
        if (v >= 100) return String.format(Locale.ROOT, "%,.0f", v);
        if (v >= 10) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
