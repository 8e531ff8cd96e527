package dev.promptedge.tools.dashboard;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless chromium driven through its own chromedriver: nothing is downloaded (no
 * Selenium Manager), and a machine without the two packages skips the test, naming them.
 */
final class Chromium {

  /** The browser; system property {@code promptedge.chromium} names another one. */
  static final Path BROWSER =
      Path.of(System.getProperty("promptedge.chromium", "/usr/bin/chromium"));

  /** Its driver, of the same version; system property {@code promptedge.chromedriver} overrides. */
  static final Path DRIVER =
      Path.of(System.getProperty("promptedge.chromedriver", "/usr/bin/chromedriver"));

  private Chromium() {}

  /** Whether both executables are installed. */
  static boolean installed() {
    return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
  }

  /** Skips the calling test unless both executables are installed, naming what is missing. */
  static void assumeInstalled() {
    assumeTrue(
        installed(),
        "needs Debian's chromium and chromium-driver ("
            + BROWSER
            + ", "
            + DRIVER
            + "): apt-get install chromium chromium-driver, or point -Dpromptedge.chromium and"
            + " -Dpromptedge.chromedriver at a browser and its driver");
  }

  /** A new headless browser window of 1440×1100 pixels; quit() it. */
  static ChromeDriver start() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--window-size=1440,1100");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    return driver;
  }
}
