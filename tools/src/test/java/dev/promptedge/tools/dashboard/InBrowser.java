package dev.promptedge.tools.dashboard;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * One {@link DashboardFixture} (daemon, camera, headless chromium) per test class; every test is
 * reported as skipped, with the reason, where the browser is missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InBrowser {

  DashboardFixture f;
  ChromeDriver browser;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    if (Chromium.installed()) {
      f = DashboardFixture.start(dir);
      browser = f.browser;
    }
  }

  @BeforeEach
  void needsTheBrowser() {
    Chromium.assumeInstalled();
  }

  @AfterAll
  void stop() throws Exception {
    if (f != null) {
      f.close();
    }
  }
}
