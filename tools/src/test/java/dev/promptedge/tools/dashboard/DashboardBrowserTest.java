package dev.promptedge.tools.dashboard;

import static dev.promptedge.runtime.daemon.ApiClient.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.TaskList;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in Debian's headless chromium against a real daemon ({@link DashboardFixture}): the
 * token dialog, the task list, Switch, Uninstall, install by file upload, the live figures from
 * /metrics and the live view; a screenshot lands in target/dashboard.png. The steps run in order
 * (the screenshot last) but each holds on its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest extends InBrowser {

  @Test
  @Order(1)
  void theTokenDialogAsksUntilTheDaemonTakesTheToken() {
    browser.get(f.page);
    browser.executeScript("sessionStorage.clear()");
    browser.navigate().refresh();
    WebElement dialog = f.waitFor(By.cssSelector("#token-dialog[open]"));
    assertTrue(f.shown("#token-message").contains("api.token"), f.shown("#token-message"));
    assertEquals(0, f.rows().size(), "nothing is listed before the token");

    f.submitToken("not-the-token");
    f.waitUntil(d -> f.shown("#token-message").contains("refused that token"));
    assertTrue(dialog.isDisplayed(), "a wrong token asks again");

    f.submitToken(DashboardFixture.TOKEN);
    f.waitUntil(d -> f.rows().size() == 2);
    assertFalse(
        browser.findElements(By.cssSelector("#token-dialog[open]")).size() > 0,
        "the dialog closes once the token works");
    assertEquals(
        DashboardFixture.TOKEN,
        browser.executeScript("return sessionStorage.getItem('promptedge.token')"));
  }

  @Test
  @Order(2)
  void thePageListsBothTasksAndSwitchMakesTheOtherActive() throws Exception {
    f.open();
    f.waitUntil(d -> f.rows().size() == 2);
    TaskList tasks = f.tasks();
    String before = tasks.getActive();
    String other = before.equals("fashion-detect") ? "fashion-segment" : "fashion-detect";
    f.waitUntil(d -> before.equals(f.activeRow()));
    for (var t : tasks.getTasksList()) {
      WebElement row = f.row(t.getName());
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

    f.click(By.cssSelector("tr[data-task='" + other + "'] button.switch"));
    f.waitUntil(d -> other.equals(f.activeRow()));
    assertEquals(other, f.tasks().getActive(), "the daemon switched");
    assertTrue(f.shown("#action-status").contains(other + " is the active task"));
    f.waitUntil(d -> !f.row(other).findElement(By.cssSelector("button.switch")).isEnabled());
    assertTrue(f.row(before).findElement(By.cssSelector("button.switch")).isEnabled());
  }

  @Test
  @Order(3)
  void uninstallThenInstallByFileUpload() throws Exception {
    f.open();
    f.waitUntil(d -> f.rows().size() == 2);
    String active = f.tasks().getActive();
    String other = active.equals("fashion-detect") ? "fashion-segment" : "fashion-detect";

    f.waitUntil(d -> !f.rows().isEmpty() && active.equals(f.activeRow()));
    f.click(By.cssSelector("tr[data-task='" + other + "'] button.uninstall"));
    new WebDriverWait(browser, DashboardFixture.WAIT)
        .until(ExpectedConditions.alertIsPresent())
        .accept();
    f.waitUntil(d -> f.rows().size() == 1);
    assertEquals(
        List.of(active), DashboardFixture.names(f.tasks()), "the daemon uninstalled " + other);
    assertTrue(f.shown("#action-status").contains(other + " was uninstalled"));
    WebElement card = f.waitFor(By.cssSelector(".source[data-source='cam']"));
    f.waitUntil(d -> bundlesShown(card).equals(List.of(active)));

    Path junk = Files.write(f.dir.resolve("junk.bundle"), new byte[] {1, 2, 3, 4});
    browser.findElement(By.id("bundle-file")).sendKeys(junk.toAbsolutePath().toString());
    browser.findElement(By.id("install")).click();
    f.waitUntil(d -> f.shown("#install-status").startsWith("junk.bundle was refused: "));
    assertTrue(
        browser.findElement(By.id("install-status")).getAttribute("class").contains("error"));
    assertEquals(
        List.of(active), DashboardFixture.names(f.tasks()), "a refused upload installs nothing");

    Path upload =
        Files.copy(
            DashboardFixture.DEMO.resolve(other + ".bundle"), f.dir.resolve(other + ".bundle"));
    browser.findElement(By.id("bundle-file")).sendKeys(upload.toAbsolutePath().toString());
    browser.findElement(By.id("install")).click();
    f.waitUntil(d -> f.shown("#install-status").startsWith("Installed " + other + " v"));
    f.waitUntil(d -> f.rows().size() == 2);
    assertEquals(List.of("fashion-detect", "fashion-segment"), DashboardFixture.names(f.tasks()));
    f.waitUntil(
        d -> bundlesShown(card).equals(List.of("fashion-detect", "fashion-segment")),
        "the camera's next frames run the uploaded task too");
  }

  @Test
  @Order(4)
  void liveFiguresFollowTheMetricsAndTheLiveViewShowsTheSource() throws Exception {
    f.open();
    byte[] scene = Files.readAllBytes(DashboardFixture.scenes().get(0));
    for (int i = 0; i < 6; i++) {
      for (String task : List.of("fashion-detect", "fashion-segment")) {
        HttpResponse<byte[]> r = f.api.post("/v1/infer?task=" + task, scene);
        assertEquals(200, r.statusCode(), text(r));
      }
    }
    long atLeast = f.inferences("fashion-detect");
    f.waitUntil(d -> f.shown("#fig-p50-all").matches("\\d+\\.\\d ms"));
    f.waitUntil(
        d -> {
          String shown = f.row("fashion-detect").findElement(By.cssSelector(".requests")).getText();
          return shown.matches("\\d+") && Long.parseLong(shown) >= atLeast;
        });
    long shown =
        Long.parseLong(f.row("fashion-detect").findElement(By.cssSelector(".requests")).getText());
    assertTrue(shown <= f.inferences("fashion-detect"), "the page shows what /metrics counted");
    assertTrue(f.shown("#fig-queue").matches("\\d+"), f.shown("#fig-queue"));
    assertTrue(
        f.row("fashion-detect").findElement(By.cssSelector(".latency")).getText().endsWith(" ms"));
    assertTrue(f.shown("#updates").contains("off (no updates.channel_url)"), f.shown("#updates"));
    assertEquals("ok", f.shown("#health"));

    // The live view: the camera's card with the newest frame and both tasks' results.
    f.waitUntil(d -> f.shown("#events-status").startsWith("Live: "));
    WebElement card = f.waitFor(By.cssSelector(".source[data-source='cam']"));
    f.waitUntil(d -> bundlesShown(card).equals(List.of("fashion-detect", "fashion-segment")));
    f.waitUntil(d -> card.findElement(By.cssSelector(".state")).getText().equals("connected"));
    assertTrue(card.getText().contains("fashion-detect v1"), card.getText());
    WebElement canvas = card.findElement(By.tagName("canvas"));
    f.waitUntil(d -> "64".equals(canvas.getAttribute("data-frame-width")));
    assertEquals("512", canvas.getAttribute("width"), "64 px frames drawn 8x");
    assertTrue(f.drawnPixels(canvas) > 512 * 512 / 2, "the canvas holds the daemon's snapshot");
    Thread.sleep(2500); // one more /metrics round, so the figures show the recent window
    Path shot = Path.of("target", "dashboard.png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
    assertTrue(Files.size(shot) > 10_000, "a screenshot of the page: " + shot.toAbsolutePath());
  }

  /** The bundles whose results a source card lists now, sorted. */
  private static List<String> bundlesShown(WebElement card) {
    return card.findElements(By.cssSelector(".results li[data-bundle]")).stream()
        .map(li -> li.getAttribute("data-bundle"))
        .sorted()
        .toList();
  }
}
