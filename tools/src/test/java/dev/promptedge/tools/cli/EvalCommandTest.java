package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.SignedBundle;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.tools.data.FashionMnist;
import dev.promptedge.tools.data.Split;
import dev.promptedge.tools.data.scenes.SceneDatasets;
import dev.promptedge.tools.data.scenes.SceneOptions;
import dev.promptedge.tools.json.Json;
import dev.promptedge.tools.quantize.QuantizedBackboneFiles;
import dev.promptedge.tools.quantize.Quantizer;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promptedge eval} end to end on generated scenes (synthetic glyphs stand in for
 * Fashion-MNIST) with seeded bundles: the numbers mean nothing, the pipeline runs through the
 * runtime and writes every file.
 */
class EvalCommandTest {

  @TempDir static Path dir;

  static Path card;
  static Path scenes;

  @BeforeAll
  static void backboneAndScenes() throws Exception {
    Cli.run("backbone", "build", "--out", dir.resolve("bb").toString()).expect(0);
    CardFile floatCard = CardFile.read(dir.resolve("bb/micro-shallow.card.textproto"));
    CardFile both =
        QuantizedBackboneFiles.write(
            floatCard,
            Quantizer.dynamicRange(QuantizedBackboneFiles.floatModel(floatCard)),
            "eval test");
    card = both.path();
    scenes = dir.resolve("scenes");
    FashionMnist glyphs = EvalGlyphs.glyphs();
    SceneDatasets.generate(
        scenes,
        4,
        SceneOptions.DEFAULT,
        List.of(
            new SceneDatasets.SplitPlan(Split.TRAIN, 2, glyphs, "synthetic"),
            new SceneDatasets.SplitPlan(Split.VAL, 6, glyphs, "synthetic")),
        (split, done, count) -> {});
  }

  static Path pack(String task, String name, List<String> labels) {
    Path out = dir.resolve(name + ".bundle");
    Cli.run(
            "bundle",
            "pack",
            "--backbone",
            card.toString(),
            "--task",
            task,
            "--name",
            name,
            "--labels",
            String.join(",", labels),
            "--score-threshold",
            "0.05",
            "--out",
            out.toString())
        .expect(0);
    return out;
  }

  static Cli eval(Path bundle, String data, Path out, String... extra) {
    return eval(card, bundle, data, out, extra);
  }

  static Cli eval(Path card, Path bundle, String data, Path out, String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "eval",
                "--bundle",
                bundle.toString(),
                "--backbone",
                card.toString(),
                "--data",
                scenes.resolve(data).toString(),
                "--threads",
                "1",
                "--batch",
                "4",
                "--images",
                "3",
                "--out",
                out.toString()));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(Path file) throws Exception {
    return (Map<String, Object>) Json.parse(Files.readString(file));
  }

  static void assertUnit(Object value, String what) {
    assertTrue(value instanceof Number, what + " = " + value);
    double v = ((Number) value).doubleValue();
    assertTrue(v >= 0 && v <= 1, what + " = " + v);
  }

  static void assertReport(Path out, int images) throws Exception {
    String md = Files.readString(out.resolve("report.md"));
    assertTrue(md.startsWith("# Evaluation of "), md);
    assertTrue(md.contains("| metric"), md);
    for (int i = 0; i < images; i++) {
      String name = String.format("images/%04d.png", i);
      assertTrue(md.contains("](" + name + ")"), md);
      BufferedImage img = ImageIO.read(out.resolve(name).toFile());
      assertEquals(256, img.getWidth(), "64-pixel scenes drawn 4x");
    }
    assertFalse(Files.exists(out.resolve(String.format("images/%04d.png", images))));
  }

  @Test
  @SuppressWarnings("unchecked")
  void detectionOnTheInt8BackboneWritesCocoResultsMetricsAndReport() throws Exception {
    Path bundle = pack("detection", "items", FashionMnist.LABELS);
    Path out = dir.resolve("eval-det");
    Cli cli = eval(bundle, "detection", out, "--quantized").expect(0);
    assertTrue(cli.out().contains("eval: 6/6 images"), cli.out());
    assertTrue(cli.out().contains("int8 tflite backbone"), cli.out());
    assertTrue(cli.out().contains("| map50 "), cli.out());
    assertTrue(cli.out().contains("at the bundle's score threshold 0.05: map50 "), cli.out());

    Map<String, Object> instances = json(scenes.resolve("detection/val/instances.json"));
    Set<Object> imageIds = new HashSet<>();
    for (Object img : (List<Object>) instances.get("images")) {
      imageIds.add(((Map<String, Object>) img).get("id"));
    }
    Set<Object> categoryIds = new HashSet<>();
    for (Object c : (List<Object>) instances.get("categories")) {
      categoryIds.add(((Map<String, Object>) c).get("id"));
    }
    List<Object> results = (List<Object>) Json.parse(Files.readString(out.resolve("results.json")));
    assertFalse(results.isEmpty(), "a seeded head at threshold 0.001 proposes boxes");
    assertTrue(results.size() <= 6 * 100);
    Set<Object> seen = new HashSet<>();
    for (Object o : results) {
      Map<String, Object> r = (Map<String, Object>) o;
      assertEquals(List.of("image_id", "category_id", "bbox", "score"), List.copyOf(r.keySet()));
      assertTrue(imageIds.contains(r.get("image_id")), r.toString());
      assertTrue(categoryIds.contains(r.get("category_id")), r.toString());
      List<Object> bbox = (List<Object>) r.get("bbox");
      assertEquals(4, bbox.size());
      double x = ((Number) bbox.get(0)).doubleValue();
      double w = ((Number) bbox.get(2)).doubleValue();
      assertTrue(x >= 0 && w > 0 && x + w <= 64.01, r.toString());
      double score = ((Number) r.get("score")).doubleValue();
      assertTrue(score >= 0.0009 && score <= 1, r.toString());
      seen.add(r.get("image_id"));
    }
    assertEquals(imageIds, seen, "every val image has boxes at threshold 0.001");

    Map<String, Object> metrics = json(out.resolve("metrics.json"));
    assertEquals(6L, metrics.get("images"));
    assertEquals("detection", ((Map<String, Object>) metrics.get("bundle")).get("task"));
    Map<String, Object> m = (Map<String, Object>) metrics.get("metrics");
    assertEquals(
        List.of("map50", "map", "map50_deployed", "map_deployed"), List.copyOf(m.keySet()));
    m.forEach((k, v) -> assertUnit(v, k));
    assertTrue(((Number) m.get("map")).doubleValue() <= ((Number) m.get("map50")).doubleValue());
    assertEquals(10, ((List<Object>) metrics.get("per_class")).size());
    Map<String, Object> details = (Map<String, Object>) metrics.get("details");
    assertEquals(0.001, ((Number) details.get("score_threshold")).doubleValue(), 1e-9);
    assertEquals(true, details.get("quantized"));
    assertTrue(Path.of((String) details.get("bundle_file")).isAbsolute(), details.toString());
    assertEquals(0.05, ((Number) details.get("deployed_score_threshold")).doubleValue(), 1e-6);
    assertReport(out, 3);
  }

  @Test
  @SuppressWarnings("unchecked")
  void segmentationOnTheFloatBackbone() throws Exception {
    List<String> labels = new java.util.ArrayList<>(List.of("background"));
    labels.addAll(FashionMnist.LABELS);
    Path bundle = pack("segmentation", "masks", labels);
    Path out = dir.resolve("eval-seg");
    Cli cli = eval(bundle, "segmentation", out, "--limit", "4").expect(0);
    assertTrue(cli.out().contains("eval: 4/4 images"), cli.out());
    assertTrue(cli.out().contains("| miou "), cli.out());
    assertFalse(Files.exists(out.resolve("results.json")));
    Map<String, Object> metrics = json(out.resolve("metrics.json"));
    assertEquals(4L, metrics.get("images"));
    Map<String, Object> m = (Map<String, Object>) metrics.get("metrics");
    assertEquals(List.of("miou", "pixel_accuracy"), List.copyOf(m.keySet()));
    m.forEach((k, v) -> assertUnit(v, k));
    assertReport(out, 3);
  }

  @Test
  @SuppressWarnings("unchecked")
  void onnxRuntimeEvaluatesLikeTfliteOnceTheCardHasItsOnnxForm() throws Exception {
    List<String> labels = new java.util.ArrayList<>(List.of("background"));
    labels.addAll(FashionMnist.LABELS);
    Path bundle = pack("segmentation", "engines", labels);
    Path copy = Files.createDirectories(dir.resolve("engines"));
    try (var files = Files.list(card.getParent())) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    Path cardCopy = copy.resolve(card.getFileName());
    String[] ort = {"--limit", "4", "--engine", "onnxruntime"};
    Cli refused =
        eval(cardCopy, bundle, "segmentation", dir.resolve("eval-ort-refused"), ort).expect(1);
    assertTrue(refused.err().contains("records no onnx_model"), refused.err());

    Cli.run("backbone", "export", "--card", cardCopy.toString()).expect(0);
    Path tfl = dir.resolve("eval-tflite");
    eval(cardCopy, bundle, "segmentation", tfl, "--limit", "4").expect(0);
    Path onnx = dir.resolve("eval-ort");
    Cli cli = eval(cardCopy, bundle, "segmentation", onnx, ort).expect(0);
    assertTrue(cli.out().contains("float onnxruntime backbone"), cli.out());
    Map<String, Object> a = json(tfl.resolve("metrics.json"));
    Map<String, Object> b = json(onnx.resolve("metrics.json"));
    assertEquals("tflite", ((Map<String, Object>) a.get("details")).get("engine"));
    assertEquals("onnxruntime", ((Map<String, Object>) b.get("details")).get("engine"));
    Map<String, Object> ma = (Map<String, Object>) a.get("metrics");
    Map<String, Object> mb = (Map<String, Object>) b.get("metrics");
    assertEquals(ma.keySet(), mb.keySet());
    for (String k : ma.keySet()) {
      assertEquals(((Number) ma.get(k)).doubleValue(), ((Number) mb.get(k)).doubleValue(), 1e-3, k);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void classificationMatchesLabelsByNameWhateverTheirOrder() throws Exception {
    // ImageFolder sorts its classes by name; the bundle keeps Fashion-MNIST's order.
    Path bundle = pack("classification", "crops", FashionMnist.LABELS);
    Path out = dir.resolve("eval-cls");
    eval(bundle, "classification", out).expect(0);
    Map<String, Object> m = (Map<String, Object>) json(out.resolve("metrics.json")).get("metrics");
    assertEquals(List.of("top1", "top5"), List.copyOf(m.keySet()));
    m.forEach((k, v) -> assertUnit(v, k));
  }

  @Test
  void labelsThatDifferByNameAreRefusedNamingBothSides() {
    Path bundle = pack("detection", "shapes", List.of("tshirt_top", "circle"));
    Cli cli = eval(bundle, "detection", dir.resolve("eval-bad")).expect(1);
    String line = cli.oneErrorLine();
    assertTrue(
        line.startsWith("promptedge eval: error: the bundle's labels [tshirt_top, circle]"), line);
    assertTrue(line.contains("not in the bundle: [trouser, "), line);
    assertTrue(line.contains("not in the dataset: [circle]"), line);
  }

  @Test
  void anUnknownSplitIsAUsageError() {
    Path bundle = pack("detection", "split", FashionMnist.LABELS);
    Cli cli = eval(bundle, "detection", dir.resolve("eval-split"), "--split", "test").expect(2);
    assertTrue(cli.err().contains("--split takes train or val, got 'test'"), cli.err());
  }

  @Test
  void compareLinesUpFloatAndInt8RunsOfEachBundle() throws Exception {
    List<String> labels = new java.util.ArrayList<>(List.of("background"));
    labels.addAll(FashionMnist.LABELS);
    Path shared = pack("segmentation", "cmp-shared", labels);
    // The same head, recorded as trained with its own fine-tuned backbone (mode full).
    Path own = dir.resolve("cmp-own.bundle");
    SignedBundle envelope = SignedBundle.parseFrom(Files.readAllBytes(shared));
    PromptBundle tuned =
        PromptBundle.parseFrom(envelope.getBundle()).toBuilder()
            .setName("cmp-own")
            .putMetrics("trainable_parameters", 123456)
            .putMetrics("fine_tuned_backbone_bytes", 999)
            .putMetrics("head_conv_blocks", 1)
            .build();
    Files.write(own, envelope.toBuilder().setBundle(tuned.toByteString()).build().toByteArray());
    Path sharedFloat = dir.resolve("cmp-shared-float");
    Path sharedInt8 = dir.resolve("cmp-shared-int8");
    Path ownInt8 = dir.resolve("cmp-own-int8");
    eval(shared, "segmentation", sharedFloat, "--limit", "3").expect(0);
    eval(shared, "segmentation", sharedInt8, "--limit", "3", "--quantized").expect(0);
    eval(own, "segmentation", ownInt8, "--limit", "3", "--quantized").expect(0);
    Path table = dir.resolve("cmp.md");
    Path rowsJson = dir.resolve("cmp.json");

    Cli cli =
        Cli.run(
                "compare",
                "--out",
                table.toString(),
                "--json",
                rowsJson.toString(),
                sharedInt8.resolve("metrics.json").toString(),
                sharedFloat.resolve("metrics.json").toString(),
                ownInt8.resolve("metrics.json").toString())
            .expect(0);

    String md = Files.readString(table);
    assertTrue(cli.out().startsWith(md), cli.out());
    assertTrue(md.startsWith("**segmentation** (3 images per evaluation)\n"), md);
    List<List<String>> rows =
        md.lines()
            .filter(l -> l.startsWith("| cmp-"))
            .map(l -> List.of(l.substring(1, l.length() - 1).trim().split("\\s*\\|\\s*")))
            .toList();
    assertEquals(2, rows.size(), md);
    long int8Bytes = Files.size(CardFile.read(card).modelPath(true));
    List<String> a = rows.get(0);
    assertEquals("cmp-shared", a.get(0));
    assertEquals("prompt", a.get(1));
    assertEquals("-", a.get(2), "a packed bundle records no head kind");
    assertEquals("tokens", a.get(3), "the seeded token prompt differs from its identity");
    assertEquals(String.format("%,d", Files.size(shared)), a.get(5));
    assertEquals(a.get(5), a.get(6), "a bundle on the shared backbone costs its own bytes");
    assertEquals(
        String.format(
            java.util.Locale.ROOT,
            "%.1f%% of int8 %,d",
            100.0 * Files.size(shared) / int8Bytes,
            int8Bytes),
        a.get(7));
    assertEquals(miou(sharedFloat), a.get(8), "mIoU float column");
    assertEquals(miou(sharedInt8), a.get(9), "mIoU int8 column");
    List<String> b = rows.get(1);
    assertEquals("cmp-own (own backbone)", b.get(0));
    assertEquals("full", b.get(1));
    assertEquals("conv", b.get(2));
    assertEquals("123,456", b.get(4));
    assertEquals(String.format("%,d", Files.size(own) + int8Bytes), b.get(6));
    assertEquals("-", b.get(8), "no float run of cmp-own");
    assertEquals(miou(ownInt8), b.get(9));

    // The JSON rows: one per bundle, precision and metric that was measured.
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> json = (List<Map<String, Object>>) json(rowsJson).get("rows");
    assertEquals(2 * 2 + 2, json.size(), json.toString());
    Map<String, Object> ownMiou = json.get(4);
    assertEquals("cmp-own", ownMiou.get("bundle"));
    assertEquals("full", ownMiou.get("mode"));
    assertEquals("conv", ownMiou.get("head"));
    assertEquals("int8", ownMiou.get("precision"));
    assertEquals("miou", ownMiou.get("metric"));
    assertEquals(miou(ownInt8), String.format(java.util.Locale.ROOT, "%.4f", ownMiou.get("value")));
    assertEquals(123456L, ownMiou.get("trainable_values"));
    assertEquals(Files.size(own), ownMiou.get("bundle_bytes"));
    assertEquals(Files.size(own) + int8Bytes, ownMiou.get("bytes_per_task"));

    // --include: the JSON alone gives back the same table, and a metrics file of a bundle
    // already in it replaces that bundle's rows whole (here: only its float run remains).
    Path again = dir.resolve("again.json");
    Cli roundTrip =
        Cli.run("compare", "--include", rowsJson.toString(), "--json", again.toString()).expect(0);
    assertEquals(md, roundTrip.out().substring(0, md.length()));
    assertEquals(Files.readString(rowsJson), Files.readString(again));
    String replaced =
        Cli.run(
                "compare",
                "--include",
                rowsJson.toString(),
                sharedFloat.resolve("metrics.json").toString())
            .expect(0)
            .out();
    String sharedRow =
        replaced.lines().filter(l -> l.startsWith("| cmp-shared ")).findFirst().orElseThrow();
    assertTrue(sharedRow.matches(".*\\| " + miou(sharedFloat) + " +\\| - +\\|.*"), sharedRow);
    assertTrue(replaced.contains("| cmp-own (own backbone) "), replaced);
    assertTrue(
        Cli.run("compare").expect(2).err().contains("give metrics.json files, --include"),
        "compare with nothing to read is a usage error");
  }

  private static String miou(Path evalDir) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> m =
        (Map<String, Object>) json(evalDir.resolve("metrics.json")).get("metrics");
    return String.format(java.util.Locale.ROOT, "%.4f", ((Number) m.get("miou")).doubleValue());
  }

  @Test
  void compareRefusesAFileThatIsNotAnEvaluationNamingIt() throws Exception {
    Path notMetrics = dir.resolve("recipe.json");
    Files.writeString(notMetrics, "{\"generator\": \"promptedge data generate\"}");
    Cli cli = Cli.run("compare", notMetrics.toString()).expect(1);
    String line = cli.oneErrorLine();
    assertTrue(
        line.startsWith("promptedge compare: error: " + notMetrics + " is not the metrics.json"),
        line);
    assertTrue(line.contains("no object 'bundle'"), line);
  }
}
