package dev.promptedge.tools.eval;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.tools.json.Json;
import dev.promptedge.tools.json.JsonException;
import dev.promptedge.tools.json.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Evaluations side by side: one Markdown table per task, one row per bundle, each metric on the
 * float and the int8 backbone, with the bundle's mode ({@code linear-probe}, {@code prompt} or
 * {@code full}), its head ({@code linear} or {@code conv}), the prompt kinds it learned ({@code
 * none} for a linear probe; {@code -} when the evaluation predates the record), its trainable
 * values and its bytes against the backbone's. Reads the {@code metrics.json} files {@code
 * promptedge eval --out} writes and the bundle files they name, and can start from the rows of an
 * earlier table's JSON form, so a table can grow over runs whose work directories are gone.
 * Immutable.
 */
public final class AccuracyTable {

  /** Metric keys of each task's table with their column titles, in column order. */
  static final Map<String, Map<String, String>> COLUMNS =
      Map.of(
          "detection", titles("map50", "mAP@0.5", "map", "mAP@[.5:.95]"),
          "segmentation", titles("miou", "mIoU", "pixel_accuracy", "pixel acc."),
          "classification", titles("top1", "top-1", "top5", "top-5"));

  private static final List<String> TASKS = List.of("detection", "segmentation", "classification");
  private static final List<String> PRECISIONS = List.of("float", "int8");

  private final List<Entry> entries;

  private AccuracyTable(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** One evaluation read from its metrics file. */
  record Run(
      Path metricsFile,
      String task,
      Path bundleFile,
      String precision,
      long backboneBytes,
      long images,
      String prompts,
      Map<String, Object> metrics) {}

  /** What one evaluation measured: on which backbone precision and size, over how many images. */
  record Measured(String precision, long backboneBytes, long images, Map<String, Object> metrics) {}

  /** One bundle's row: what it is and what it costs, shared by the Markdown and JSON forms. */
  record Entry(
      String task,
      String name,
      String mode,
      String head,
      String prompts,
      Long trainable,
      long bundleBytes,
      long bytesPerTask,
      Measured sized,
      Map<String, Measured> runs) {}

  /**
   * The table of {@code metricsFiles}, after the rows of the tables in {@code earlierJson} (files
   * {@link #json()} wrote) that no metrics file measures again: a bundle's rows are replaced whole
   * when a metrics file evaluates a bundle of the same task and name. Rows keep the order in which
   * their bundles first appear; throws {@link IllegalArgumentException} naming the file when one is
   * not an evaluation's metrics or an accuracy table's JSON.
   */
  public static AccuracyTable read(List<Path> metricsFiles, List<Path> earlierJson)
      throws IOException {
    Map<String, Entry> byKey = new LinkedHashMap<>();
    for (Path file : earlierJson) {
      for (Entry e : AccuracyJson.entries(file)) {
        byKey.put(e.task() + "/" + e.name(), e);
      }
    }
    Map<String, Entry> measured = new LinkedHashMap<>();
    for (Entry e : entries(metricsFiles)) {
      measured.put(e.task() + "/" + e.name(), e);
    }
    byKey.replaceAll((key, e) -> measured.getOrDefault(key, e));
    measured.forEach(byKey::putIfAbsent);
    return new AccuracyTable(new ArrayList<>(byKey.values()));
  }

  /** The Markdown tables, one per task in the order detection, segmentation, classification. */
  public String markdown() {
    StringBuilder out = new StringBuilder();
    for (String task : TASKS) {
      List<Entry> rows = entries.stream().filter(e -> e.task().equals(task)).toList();
      if (!rows.isEmpty()) {
        out.append(out.isEmpty() ? "" : "\n").append(table(task, rows));
      }
    }
    return out.toString();
  }

  /**
   * The same rows as JSON, one per bundle, precision and metric: task, bundle, mode, head, prompts,
   * precision, metric, value, trainable values, bundle bytes, bytes per task, backbone bytes and
   * images.
   */
  public String json() {
    List<Object> rows = new ArrayList<>();
    for (Entry e : entries) {
      for (String key : COLUMNS.get(e.task()).keySet()) {
        for (String precision : PRECISIONS) {
          Measured run = e.runs().get(precision);
          if (run == null || !(run.metrics().get(key) instanceof Number value)) {
            continue;
          }
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("task", e.task());
          row.put("bundle", e.name());
          row.put("mode", e.mode());
          row.put("head", e.head());
          row.put("prompts", e.prompts());
          row.put("precision", precision);
          row.put("metric", key);
          row.put("value", value.doubleValue());
          row.put("trainable_values", e.trainable());
          row.put("bundle_bytes", e.bundleBytes());
          row.put("bytes_per_task", e.bytesPerTask());
          row.put("backbone_bytes", run.backboneBytes());
          row.put("images", run.images());
          rows.add(row);
        }
      }
    }
    return JsonWriter.write(Map.of("rows", rows)) + "\n";
  }

  private static List<Entry> entries(List<Path> metricsFiles) throws IOException {
    Map<Path, Map<String, Run>> byBundle = new LinkedHashMap<>();
    for (Path file : metricsFiles) {
      Run run = read(file);
      Run previous =
          byBundle
              .computeIfAbsent(run.bundleFile(), b -> new LinkedHashMap<>())
              .put(run.precision(), run);
      if (previous != null) {
        throw new IllegalArgumentException(
            file
                + " and "
                + previous.metricsFile()
                + " both evaluate "
                + run.bundleFile()
                + " on the "
                + run.precision()
                + " backbone: pass one of them");
      }
    }
    List<Entry> entries = new ArrayList<>();
    for (Map<String, Run> runs : byBundle.values()) {
      entries.add(entry(runs));
    }
    return entries;
  }

  private static Entry entry(Map<String, Run> runs) throws IOException {
    Run any = runs.values().iterator().next();
    Map<String, Measured> measured = new LinkedHashMap<>();
    runs.forEach(
        (precision, run) ->
            measured.put(
                precision,
                new Measured(precision, run.backboneBytes(), run.images(), run.metrics())));
    Measured sized = measured.getOrDefault("int8", measured.get(any.precision()));
    PromptBundle bundle = bundle(any);
    Map<String, Double> m = bundle.getMetricsMap();
    long bundleBytes = Files.size(any.bundleFile());
    boolean ownBackbone = m.containsKey("fine_tuned_backbone_bytes");
    String mode = ownBackbone ? "full" : any.prompts().equals("none") ? "linear-probe" : "prompt";
    Double blocks = m.get("head_conv_blocks");
    String head = blocks == null ? "-" : blocks > 0 ? "conv" : "linear";
    Double trainable = m.get("trainable_parameters");
    return new Entry(
        any.task(),
        bundle.getName(),
        mode,
        head,
        any.prompts(),
        trainable == null ? null : Math.round(trainable),
        bundleBytes,
        bundleBytes + (ownBackbone ? sized.backboneBytes() : 0),
        sized,
        measured);
  }

  private static String table(String task, List<Entry> rows) {
    Map<String, String> metrics = COLUMNS.get(task);
    List<String> header =
        new ArrayList<>(
            List.of(
                "bundle",
                "mode",
                "head",
                "prompts",
                "trainable values",
                "bundle bytes",
                "bytes per task",
                "of backbone"));
    metrics.values().forEach(m -> PRECISIONS.forEach(p -> header.add(m + " " + p)));
    List<List<String>> cells = new ArrayList<>();
    List<Long> images = new ArrayList<>();
    for (Entry e : rows) {
      List<String> row = new ArrayList<>();
      row.add(e.name() + (e.mode().equals("full") ? " (own backbone)" : ""));
      row.add(e.mode());
      row.add(e.head());
      row.add(e.prompts());
      row.add(e.trainable() == null ? "-" : String.format(Locale.ROOT, "%,d", e.trainable()));
      row.add(String.format(Locale.ROOT, "%,d", e.bundleBytes()));
      row.add(String.format(Locale.ROOT, "%,d", e.bytesPerTask()));
      row.add(
          String.format(
              Locale.ROOT,
              "%.1f%% of %s %,d",
              100.0 * e.bytesPerTask() / e.sized().backboneBytes(),
              e.sized().precision(),
              e.sized().backboneBytes()));
      for (String key : metrics.keySet()) {
        for (String precision : PRECISIONS) {
          Measured run = e.runs().get(precision);
          row.add(run == null ? "-" : number(run.metrics().get(key)));
        }
      }
      cells.add(row);
      e.runs().values().forEach(r -> images.add(r.images()));
    }
    long fewest = images.stream().mapToLong(Long::longValue).min().orElse(0);
    long most = images.stream().mapToLong(Long::longValue).max().orElse(0);
    return "**"
        + task
        + "** ("
        + (fewest == most ? fewest + "" : fewest + " to " + most)
        + " images per evaluation)\n\n"
        + MetricsTable.table(header, cells);
  }

  private static String number(Object value) {
    return value instanceof Number n ? MetricsTable.number(n.doubleValue()) : "n/a";
  }

  private static PromptBundle bundle(Run run) throws IOException {
    try {
      return BundleReader.parse(Files.readAllBytes(run.bundleFile()), Long.MAX_VALUE).bundle();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          run.metricsFile() + " names the bundle " + run.bundleFile() + ", which does not exist");
    } catch (BundleException e) {
      throw new IllegalArgumentException(
          run.bundleFile() + " (named by " + run.metricsFile() + "): " + e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  static Run read(Path file) throws IOException {
    Map<String, Object> root;
    try {
      Object parsed = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
      if (!(parsed instanceof Map)) {
        throw notMetrics(file, "it holds a JSON " + Json.typeName(parsed) + ", not an object");
      }
      root = (Map<String, Object>) parsed;
    } catch (JsonException e) {
      throw notMetrics(file, e.getMessage());
    }
    Map<String, Object> bundle = object(root, "bundle", file);
    Map<String, Object> details = object(root, "details", file);
    String task = string(bundle, "task", file);
    if (!COLUMNS.containsKey(task)) {
      throw notMetrics(file, "unknown task '" + task + "'");
    }
    if (!(details.get("quantized") instanceof Boolean quantized)
        || !(details.get("backbone_bytes") instanceof Long)) {
      throw new IllegalArgumentException(
          file
              + " was written by an older promptedge eval (no details.quantized or"
              + " details.backbone_bytes): evaluate again with 'promptedge eval --out DIR'");
    }
    String precision = quantized ? "int8" : "float";
    return new Run(
        file,
        task,
        Path.of(string(details, "bundle_file", file)).toAbsolutePath().normalize(),
        precision,
        number(details, "backbone_bytes", file),
        number(root, "images", file),
        details.get("prompts") instanceof String p ? p : "-",
        object(root, "metrics", file));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Map<String, Object> o, String key, Path file) {
    if (o.get(key) instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw notMetrics(file, "no object '" + key + "'");
  }

  private static String string(Map<String, Object> o, String key, Path file) {
    if (o.get(key) instanceof String s) {
      return s;
    }
    throw notMetrics(file, "no string '" + key + "'");
  }

  private static long number(Map<String, Object> o, String key, Path file) {
    if (o.get(key) instanceof Long n) {
      return n;
    }
    throw notMetrics(file, "no whole number '" + key + "'");
  }

  private static IllegalArgumentException notMetrics(Path file, String problem) {
    return new IllegalArgumentException(
        file
            + " is not the metrics.json of a promptedge eval run ("
            + problem
            + "); evaluate with 'promptedge eval --out DIR' and pass DIR/metrics.json");
  }

  private static Map<String, String> titles(String... keyTitle) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keyTitle.length; i += 2) {
      m.put(keyTitle[i], keyTitle[i + 1]);
    }
    return m;
  }
}
