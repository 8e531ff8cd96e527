package dev.promptedge.tools.dashboard;

import static dev.promptedge.tools.daemon.ApiClient.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.InferResponse;
import dev.promptedge.format.TaskList;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.daemon.api.ProtoJson;
import dev.promptedge.tools.daemon.ApiClient;
import dev.promptedge.tools.daemon.DaemonProcess;
import dev.promptedge.tools.daemon.TestProfiles;
import dev.promptedge.tools.source.MjpegServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in Debian's headless chromium against a real daemon with the demo backbone, the
 * demo detection and segmentation bundles, an API token and a camera source fed by a loopback MJPEG
 * server: the token dialog, the task list, Switch, Uninstall, install by file upload, the live
 * figures from /metrics and the live view; a screenshot lands in target/dashboard.png. The steps
 * run in order (the screenshot last) but each holds on its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

  static final Path DEMO = Path.of("..", "models", "demo");
  static final String TOKEN = "dashboard-token-7d21";
  static final Duration WAIT = Duration.ofSeconds(20);

  private Path dir;
  private MjpegServer camera;
  private DaemonProcess daemon;
  private ApiClient api;
  private ChromeDriver browser;
  private String page;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    this.dir = dir;
    Chromium.assumeInstalled();
    camera = MjpegServer.looping(sceneJpegs(), 250);
    CardFile card = CardFile.read(DEMO.resolve("demo-vit.card.textproto"));
    Path profile =
        TestProfiles.write(
            dir.resolve("device.textproto"), card, dir.resolve("store"), "", 0, List.of(), 0);
    Files.writeString(
        profile,
        Files.readString(profile).replace("port: 0", "port: 0 token: \"" + TOKEN + "\"")
            + "sources { name: \"cam\" url: \""
            + camera.url()
            + "\" fps: 2 }\n");
    daemon = DaemonProcess.start(profile, dir.resolve("daemon.err"));
    api = new ApiClient(daemon.port, TOKEN);
    for (String bundle : List.of("fashion-detect.bundle", "fashion-segment.bundle")) {
      HttpResponse<byte[]> r = api.post("/v1/bundles", Files.readAllBytes(DEMO.resolve(bundle)));
      assertEquals(201, r.statusCode(), bundle + ": " + text(r));
    }
    page = "http://127.0.0.1:" + daemon.port + "/";
    browser = Chromium.start();
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (daemon != null) {
      daemon.close();
    }
    if (camera != null) {
      camera.close();
    }
  }

  @Test
  @Order(1)
  void theTokenDialogAsksUntilTheDaemonTakesTheToken() {
    browser.get(page);
    browser.executeScript("sessionStorage.clear()");
    browser.navigate().refresh();
    WebElement dialog = waitFor(By.cssSelector("#token-dialog[open]"));
    assertTrue(shown("#token-message").contains("api.token"), shown("#token-message"));
    assertEquals(0, rows().size(), "nothing is listed before the token");

    submitToken("not-the-token");
    waitUntil(d -> shown("#token-message").contains("refused that token"));
    assertTrue(dialog.isDisplayed(), "a wrong token asks again");

    submitToken(TOKEN);
    waitUntil(d -> rows().size() == 2);
    assertFalse(
        browser.findElements(By.cssSelector("#token-dialog[open]")).size() > 0,
        "the dialog closes once the token works");
    assertEquals(TOKEN, browser.executeScript("return sessionStorage.getItem('promptedge.token')"));
  }

  @Test
  @Order(2)
  void thePageListsBothTasksAndSwitchMakesTheOtherActive() throws Exception {
    open();
    waitUntil(d -> rows().size() == 2);
    TaskList tasks = tasks();
    String before = tasks.getActive();
    String other = before.equals("fashion-detect") ? "fashion-segment" : "fashion-detect";
    waitUntil(d -> before.equals(activeRow()));
    for (var t : tasks.getTasksList()) {
      WebElement row = row(t.getName());
      assertEquals("v" + t.getVersion(), row.findElement(By.cssSelector(".version")).getText());
      assertEquals(t.getName().equals(before), row.getAttribute("class").contains("active"));
      assertEquals(
          t.getName().equals(before),
          !row.findElement(By.cssSelector("button.switch")).isEnabled(),
          "Switch is off for the active task only");
      assertFalse(
          row.findElement(By.cssSelector(".metrics")).getText().equals("–"),
          "the bundle's eval metrics are shown: " + t.getMetricsMap());
    }

    click(By.cssSelector("tr[data-task='" + other + "'] button.switch"));
    waitUntil(d -> other.equals(activeRow()));
    assertEquals(other, tasks().getActive(), "the daemon switched");
    assertTrue(shown("#action-status").contains(other + " is the active task"));
    waitUntil(d -> !row(other).findElement(By.cssSelector("button.switch")).isEnabled());
    assertTrue(row(before).findElement(By.cssSelector("button.switch")).isEnabled());
  }

  @Test
  @Order(3)
  void uninstallThenInstallByFileUpload() throws Exception {
    open();
    waitUntil(d -> rows().size() == 2);
    String active = tasks().getActive();
    String other = active.equals("fashion-detect") ? "fashion-segment" : "fashion-detect";

    waitUntil(d -> !rows().isEmpty() && active.equals(activeRow()));
    click(By.cssSelector("tr[data-task='" + other + "'] button.uninstall"));
    new WebDriverWait(browser, WAIT).until(ExpectedConditions.alertIsPresent()).accept();
    waitUntil(d -> rows().size() == 1);
    assertEquals(List.of(active), names(tasks()), "the daemon uninstalled " + other);
    assertTrue(shown("#action-status").contains(other + " was uninstalled"));

    Path junk = Files.write(dir.resolve("junk.bundle"), new byte[] {1, 2, 3, 4});
    browser.findElement(By.id("bundle-file")).sendKeys(junk.toAbsolutePath().toString());
    browser.findElement(By.id("install")).click();
    waitUntil(d -> shown("#install-status").startsWith("junk.bundle was refused: "));
    assertTrue(
        browser.findElement(By.id("install-status")).getAttribute("class").contains("error"));
    assertEquals(List.of(active), names(tasks()), "a refused upload installs nothing");

    Path upload = Files.copy(DEMO.resolve(other + ".bundle"), dir.resolve(other + ".bundle"));
    browser.findElement(By.id("bundle-file")).sendKeys(upload.toAbsolutePath().toString());
    browser.findElement(By.id("install")).click();
    waitUntil(d -> shown("#install-status").startsWith("Installed " + other + " v"));
    waitUntil(d -> rows().size() == 2);
    assertEquals(List.of("fashion-detect", "fashion-segment"), names(tasks()));
  }

  @Test
  @Order(6)
  void aFrameEventIsListedAndDrawnWithItsBoxesAndMask() throws Exception {
    open();
    // Real results of the daemon, as a frame event carries them (FrameEvent.results).
    InferResponse detected = null;
    for (Path scene : scenes()) {
      InferResponse r = infer("fashion-detect", scene);
      if (r.getDetectionsCount() > 0) {
        detected = r;
        break;
      }
    }
    assertTrue(detected != null, "the demo detection bundle finds boxes on a demo scene");
    InferResponse segmented = infer("fashion-segment", segmentationScenes().get(0));
    assertEquals("background", segmented.getSegmentation().getLabels(0));
    long tinted = 0;
    for (int c = 1; c < segmented.getSegmentation().getClassPixelsCount(); c++) {
      tinted += segmented.getSegmentation().getClassPixels(c);
    }
    assertTrue(tinted > 0, "the scene has labelled pixels");

    @SuppressWarnings("unchecked")
    Map<String, Object> drawn =
        (Map<String, Object>)
            browser.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "const [det, seg] = [JSON.parse(arguments[0]), JSON.parse(arguments[1])];"
                    + "Promise.all([import('/dashboard/api.js'), import('/dashboard/live.js')])"
                    + ".then(async ([a, l]) => {"
                    + "  const box = document.createElement('div'); document.body.append(box);"
                    + "  const view = new l.LiveView(new a.Api(() => ''), box, document.createElement('p'));"
                    + "  const d = view.card('det'); const s = view.card('seg');"
                    + "  await d.frame({source: 'det', sequence: '4', results: [det], droppedFrames: '2'});"
                    + "  await s.frame({source: 'seg', sequence: '5', results: [seg], droppedFrames: '0'});"
                    + "  const lit = (c, x, y) => { const p = c.getContext('2d')"
                    + "    .getImageData(x, y, 1, 1).data; return p[0] + p[1] + p[2] > 0; };"
                    + "  const count = (c) => { const p = c.getContext('2d')"
                    + "    .getImageData(0, 0, c.width, c.height).data; let n = 0;"
                    + "    for (let i = 0; i < p.length; i += 4) if (p[i] + p[i + 1] + p[i + 2] > 0) n++;"
                    + "    return n; };"
                    + "  const z = d.canvas.width / det.imageWidth; const b = det.detections[0];"
                    + "  done({detText: d.results.innerText, segText: s.results.innerText,"
                    + "    zoom: z, segZoom: s.canvas.width / seg.imageWidth,"
                    + "    edge: lit(d.canvas, Math.floor(b.xMin * z),"
                    + "      Math.floor((b.yMin + b.yMax) / 2 * z)),"
                    + "    segLit: count(s.canvas)});"
                    + "}).catch((e) => done({error: String(e.stack || e)}));",
                ProtoJson.print(detected),
                ProtoJson.print(segmented));
    assertEquals(null, drawn.get("error"));
    String det = (String) drawn.get("detText");
    assertTrue(
        det.contains("fashion-detect v1")
            && det.contains(detected.getDetectionsCount() + " objects: "),
        det);
    for (var d : detected.getDetectionsList()) {
      assertTrue(det.contains(d.getLabel() + " "), d.getLabel() + " in " + det);
    }
    assertTrue(det.contains("frame 4, 2 dropped"), det);
    String seg = (String) drawn.get("segText");
    assertTrue(seg.contains("fashion-segment v1"), seg);
    assertFalse(seg.contains("background"), "the background is not listed: " + seg);
    assertEquals(8.0, ((Number) drawn.get("zoom")).doubleValue(), "64 px frames drawn 8x");
    assertEquals(true, drawn.get("edge"), "the box's left edge is drawn");
    double zoom = ((Number) drawn.get("segZoom")).doubleValue();
    assertEquals(
        tinted * zoom * zoom,
        ((Number) drawn.get("segLit")).doubleValue(),
        "exactly the labelled pixels of the mask are tinted");
  }

  @Test
  @Order(7)
  void liveFiguresFollowTheMetricsAndTheLiveViewShowsTheSource() throws Exception {
    open();
    byte[] scene = Files.readAllBytes(scenes().get(0));
    for (int i = 0; i < 6; i++) {
      for (String task : List.of("fashion-detect", "fashion-segment")) {
        HttpResponse<byte[]> r = api.post("/v1/infer?task=" + task, scene);
        assertEquals(200, r.statusCode(), text(r));
      }
    }
    long atLeast = inferences("fashion-detect");
    waitUntil(d -> shown("#fig-p50-all").matches("\\d+\\.\\d ms"));
    waitUntil(
        d -> {
          String shown = row("fashion-detect").findElement(By.cssSelector(".requests")).getText();
          return shown.matches("\\d+") && Long.parseLong(shown) >= atLeast;
        });
    long shown =
        Long.parseLong(row("fashion-detect").findElement(By.cssSelector(".requests")).getText());
    assertTrue(shown <= inferences("fashion-detect"), "the page shows what /metrics counted");
    assertTrue(shown("#fig-queue").matches("\\d+"), shown("#fig-queue"));
    assertTrue(
        row("fashion-detect").findElement(By.cssSelector(".latency")).getText().endsWith(" ms"));
    assertTrue(shown("#updates").contains("off (no updates.channel_url)"), shown("#updates"));
    assertEquals("ok", shown("#health"));

    HttpResponse<byte[]> sources = api.get("/v1/sources");
    if (sources.statusCode() == 404) {
      // A daemon without the live endpoints: the page says so instead of failing.
      waitUntil(d -> shown("#sources").contains("does not serve /v1/sources"));
      waitUntil(d -> shown("#events-status").contains("does not serve /v1/events"));
    } else {
      assertEquals(200, sources.statusCode(), text(sources));
      WebElement card = waitFor(By.cssSelector(".source[data-source='cam']"));
      waitUntil(
          d ->
              card.findElements(By.cssSelector(".results li[data-bundle]")).stream()
                      .map(li -> li.getAttribute("data-bundle"))
                      .distinct()
                      .count()
                  == 2);
      WebElement canvas = card.findElement(By.tagName("canvas"));
      assertEquals("64", canvas.getAttribute("data-frame-width"), "the frame's own size");
      assertTrue(drawnPixels(canvas) > 0, "the canvas holds a frame");
    }
    Thread.sleep(2500); // one more /metrics round, so the figures show the recent window
    Path shot = Path.of("target", "dashboard.png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
    assertTrue(Files.size(shot) > 10_000, "a screenshot of the page: " + shot.toAbsolutePath());
  }

  @Test
  @Order(4)
  void thePrometheusParserReadsLabelsEscapesAndSpecialValues() {
    open();
    Object parsed =
        browser.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "import('/dashboard/api.js').then((m) => {"
                + "  const s = m.parsePrometheus(arguments[0]);"
                + "  const b = m.buckets(s, 'lat', {task: 'a'});"
                + "  done({n: s.length, first: s[0], esc: s[1].labels.path, inf: String(s[2].value),"
                + "    nan: String(s[3].value), ts: s[4].value, p50: m.quantile(b, 0.5),"
                + "    p100: m.quantile(b, 1)});"
                + "}).catch((e) => done({error: String(e)}));",
            "# HELP x A counter.\n# TYPE x counter\n"
                + "x 3\n"
                + "y{path=\"a\\\\b \\\"q\\\" \\n\",code=\"z\"} 1.5e3\n"
                + "g +Inf\n"
                + "h NaN\n"
                + "t 7 1700000000000\n"
                + "lat_bucket{task=\"a\",le=\"0.1\"} 2\n"
                + "lat_bucket{task=\"a\",le=\"0.2\"} 4\n"
                + "lat_bucket{task=\"a\",le=\"+Inf\"} 4\n"
                + "lat_bucket{task=\"b\",le=\"0.1\"} 9\n");
    @SuppressWarnings("unchecked")
    Map<String, Object> r = (Map<String, Object>) parsed;
    assertEquals(null, r.get("error"));
    assertEquals(9L, r.get("n"));
    assertEquals(Map.of("name", "x", "labels", Map.of(), "value", 3L), r.get("first"));
    assertEquals("a\\b \"q\" \n", r.get("esc"));
    assertEquals("Infinity", r.get("inf"));
    assertEquals("NaN", r.get("nan"));
    assertEquals(7L, r.get("ts"), "the timestamp is not the value");
    assertEquals(0.1, ((Number) r.get("p50")).doubleValue(), 1e-9);
    assertEquals(0.2, ((Number) r.get("p100")).doubleValue(), 1e-9);
  }

  @Test
  @Order(5)
  void theEventParserReadsEventsSplitAtAnyByte() {
    open();
    Object parsed =
        browser.executeAsyncScript(
            "const done = arguments[arguments.length - 1]; const text = arguments[0];"
                + "import('/dashboard/api.js').then((m) => {"
                + "  const runs = [];"
                + "  for (let cut = 0; cut <= text.length; cut++) {"
                + "    const got = [];"
                + "    const p = new m.EventParser((type, data) => got.push(type + '=' + data));"
                + "    p.push(text.slice(0, cut)); p.push(text.slice(cut)); p.end();"
                + "    runs.push(got.join('|'));"
                + "  }"
                + "  done([...new Set(runs)]);"
                + "}).catch((e) => done(['error ' + e]));",
            "event: frame\r\ndata: {\"source\":\"cam\"}\r\n\r\n"
                + ": keep-alive comment\n\n"
                + "data: line one\ndata:line two\nid: 7\n\n"
                + "event: frame\rdata: cr only\r\r"
                + "event: frame\ndata: never closed\n");
    assertEquals(
        List.of("frame={\"source\":\"cam\"}|message=line one\nline two|frame=cr only"),
        parsed,
        "every split of the stream gives the same events; the unterminated one is dropped");
  }

  /** Loads the page in this window (the token stays in sessionStorage) and answers the dialog. */
  private void open() {
    browser.get(page);
    browser.executeScript("sessionStorage.setItem('promptedge.token', arguments[0])", TOKEN);
    browser.navigate().refresh();
    waitFor(By.cssSelector("#tasks tbody tr"));
  }

  private void submitToken(String token) {
    WebElement input = waitFor(By.id("token-input"));
    input.clear();
    input.sendKeys(token);
    browser.findElement(By.id("token-submit")).click();
  }

  private WebElement waitFor(By by) {
    try {
      return new WebDriverWait(browser, WAIT)
          .until(ExpectedConditions.visibilityOfElementLocated(by));
    } catch (TimeoutException e) {
      throw new AssertionError(e.getMessage() + console(), e);
    }
  }

  private void waitUntil(Function<WebDriver, Boolean> condition) {
    try {
      new WebDriverWait(browser, WAIT)
          .ignoring(StaleElementReferenceException.class)
          .ignoring(NoSuchElementException.class)
          .until(condition);
    } catch (TimeoutException e) {
      throw new AssertionError(e.getMessage() + console(), e);
    }
  }

  /** Clicks what {@code by} finds, again if the page re-rendered it in between. */
  private void click(By by) {
    waitUntil(
        d -> {
          d.findElement(by).click();
          return true;
        });
  }

  /** What the page logged, for a failure's message. */
  private String console() {
    StringBuilder out = new StringBuilder("\nbrowser console:");
    for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
      out.append("\n  ").append(entry.getLevel()).append(' ').append(entry.getMessage());
    }
    return out.toString();
  }

  private String shown(String css) {
    return browser.findElement(By.cssSelector(css)).getText();
  }

  private List<WebElement> rows() {
    return browser.findElements(By.cssSelector("#tasks tbody tr[data-task]"));
  }

  private WebElement row(String task) {
    return browser.findElement(By.cssSelector("#tasks tbody tr[data-task='" + task + "']"));
  }

  private String activeRow() {
    List<WebElement> active = browser.findElements(By.cssSelector("#tasks tbody tr.active"));
    return active.size() == 1 ? active.get(0).getAttribute("data-task") : null;
  }

  private long drawnPixels(WebElement canvas) {
    Object n =
        browser.executeScript(
            "const c = arguments[0]; const d = c.getContext('2d')"
                + ".getImageData(0, 0, c.width, c.height).data; let n = 0;"
                + "for (let i = 0; i < d.length; i += 4) { if (d[i] + d[i + 1] + d[i + 2] > 0) n++; }"
                + "return n;",
            canvas);
    return ((Number) n).longValue();
  }

  private TaskList tasks() throws Exception {
    HttpResponse<byte[]> r = api.get("/v1/tasks");
    assertEquals(200, r.statusCode(), text(r));
    return ProtoJson.merge(text(r), TaskList.newBuilder()).build();
  }

  private static List<String> names(TaskList tasks) {
    return tasks.getTasksList().stream().map(t -> t.getName()).sorted().toList();
  }

  /** The inferences /metrics counted for {@code task}. */
  private long inferences(String task) throws Exception {
    Matcher m =
        Pattern.compile(
                "promptedge_inference_latency_seconds_count\\{task=\"" + task + "\"\\} (\\d+)")
            .matcher(text(api.get("/metrics")));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  private InferResponse infer(String task, Path image) throws Exception {
    HttpResponse<byte[]> r = api.post("/v1/infer?task=" + task, Files.readAllBytes(image));
    assertEquals(200, r.statusCode(), text(r));
    return ProtoJson.merge(text(r), InferResponse.newBuilder()).build();
  }

  private static List<Path> segmentationScenes() throws Exception {
    try (Stream<Path> files = Files.list(DEMO.resolve("scenes/segmentation/val/images"))) {
      return files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
  }

  private static List<Path> scenes() throws Exception {
    try (Stream<Path> files = Files.list(DEMO.resolve("scenes/detection/val/images"))) {
      return files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
  }

  /** The demo detection scenes as the JPEG frames a camera would send. */
  private static byte[][] sceneJpegs() throws Exception {
    List<Path> scenes = scenes();
    byte[][] frames = new byte[scenes.size()][];
    for (int i = 0; i < frames.length; i++) {
      BufferedImage png = ImageIO.read(scenes.get(i).toFile());
      BufferedImage rgb =
          new BufferedImage(png.getWidth(), png.getHeight(), BufferedImage.TYPE_INT_RGB);
      rgb.getGraphics().drawImage(png, 0, 0, null);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(rgb, "jpeg", out);
      frames[i] = out.toByteArray();
    }
    return frames;
  }
}
