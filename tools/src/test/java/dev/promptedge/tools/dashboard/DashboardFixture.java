package dev.promptedge.tools.dashboard;

import static dev.promptedge.runtime.daemon.ApiClient.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.promptedge.format.InferResponse;
import dev.promptedge.format.TaskList;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.daemon.ApiClient;
import dev.promptedge.runtime.daemon.DaemonProcess;
import dev.promptedge.runtime.daemon.TestProfiles;
import dev.promptedge.runtime.fixtures.MjpegServer;
import dev.promptedge.runtime.json.ProtoJson;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
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
 * What the dashboard's browser tests run against: a loopback MJPEG camera of the demo scenes, a
 * real daemon with the demo backbone, both demo bundles, an API token and the camera as source
 * "cam", and Debian's headless chromium; with the waits and look-ups the tests share.
 */
final class DashboardFixture implements AutoCloseable {

  static final Path DEMO = Path.of("..", "models", "demo");
  static final String TOKEN = "dashboard-token-7d21";
  static final Duration WAIT = Duration.ofSeconds(20);

  final Path dir;
  private MjpegServer camera;
  private DaemonProcess daemon;
  ApiClient api;
  ChromeDriver browser;
  String page;

  private DashboardFixture(Path dir) {
    this.dir = dir;
  }

  /** Starts camera, daemon (demo bundles installed) and browser in {@code dir}; close() it. */
  static DashboardFixture start(Path dir) throws Exception {
    DashboardFixture f = new DashboardFixture(dir);
    try {
      f.begin();
      return f;
    } catch (Exception | Error e) {
      f.close();
      throw e;
    }
  }

  private void begin() throws Exception {
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

  @Override
  public void close() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (daemon != null) {
      try {
        daemon.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (camera != null) {
      camera.close();
    }
  }

  /** Loads the page in this window (the token stays in sessionStorage) and answers the dialog. */
  void open() {
    browser.get(page);
    browser.executeScript("sessionStorage.setItem('promptedge.token', arguments[0])", TOKEN);
    browser.navigate().refresh();
    waitFor(By.cssSelector("#tasks tbody tr"));
  }

  void submitToken(String token) {
    WebElement input = waitFor(By.id("token-input"));
    input.clear();
    input.sendKeys(token);
    browser.findElement(By.id("token-submit")).click();
  }

  WebElement waitFor(By by) {
    try {
      return new WebDriverWait(browser, WAIT)
          .until(ExpectedConditions.visibilityOfElementLocated(by));
    } catch (TimeoutException e) {
      throw new AssertionError(e.getMessage() + console(), e);
    }
  }

  void waitUntil(Function<WebDriver, Boolean> condition) {
    waitUntil(condition, "");
  }

  /** Waits up to WAIT for {@code condition}; a timeout fails with {@code what} and the console. */
  void waitUntil(Function<WebDriver, Boolean> condition, String what) {
    try {
      new WebDriverWait(browser, WAIT)
          .withMessage(what)
          .ignoring(StaleElementReferenceException.class)
          .ignoring(NoSuchElementException.class)
          .until(condition);
    } catch (TimeoutException e) {
      throw new AssertionError(e.getMessage() + console(), e);
    }
  }

  /** Clicks what {@code by} finds, again if the page re-rendered it in between. */
  void click(By by) {
    waitUntil(
        d -> {
          d.findElement(by).click();
          return true;
        });
  }

  /** What the page logged, for a failure's message. */
  String console() {
    StringBuilder out = new StringBuilder("\nbrowser console:");
    for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
      out.append("\n  ").append(entry.getLevel()).append(' ').append(entry.getMessage());
    }
    return out.toString();
  }

  String shown(String css) {
    return browser.findElement(By.cssSelector(css)).getText();
  }

  List<WebElement> rows() {
    return browser.findElements(By.cssSelector("#tasks tbody tr[data-task]"));
  }

  WebElement row(String task) {
    return browser.findElement(By.cssSelector("#tasks tbody tr[data-task='" + task + "']"));
  }

  String activeRow() {
    List<WebElement> active = browser.findElements(By.cssSelector("#tasks tbody tr.active"));
    return active.size() == 1 ? active.get(0).getAttribute("data-task") : null;
  }

  long drawnPixels(WebElement canvas) {
    Object n =
        browser.executeScript(
            "const c = arguments[0]; const d = c.getContext('2d')"
                + ".getImageData(0, 0, c.width, c.height).data; let n = 0;"
                + "for (let i = 0; i < d.length; i += 4) { if (d[i] + d[i + 1] + d[i + 2] > 0) n++; }"
                + "return n;",
            canvas);
    return ((Number) n).longValue();
  }

  TaskList tasks() throws Exception {
    HttpResponse<byte[]> r = api.get("/v1/tasks");
    assertEquals(200, r.statusCode(), text(r));
    return ProtoJson.merge(text(r), TaskList.newBuilder()).build();
  }

  static List<String> names(TaskList tasks) {
    return tasks.getTasksList().stream().map(t -> t.getName()).sorted().toList();
  }

  /** The inferences /metrics counted for {@code task}. */
  long inferences(String task) throws Exception {
    Matcher m =
        Pattern.compile(
                "promptedge_inference_latency_seconds_count\\{task=\"" + task + "\"\\} (\\d+)")
            .matcher(text(api.get("/metrics")));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  InferResponse infer(String task, Path image) throws Exception {
    HttpResponse<byte[]> r = api.post("/v1/infer?task=" + task, Files.readAllBytes(image));
    assertEquals(200, r.statusCode(), text(r));
    return ProtoJson.merge(text(r), InferResponse.newBuilder()).build();
  }

  static List<Path> segmentationScenes() throws Exception {
    try (Stream<Path> files = Files.list(DEMO.resolve("scenes/segmentation/val/images"))) {
      return files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
  }

  static List<Path> scenes() throws Exception {
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
