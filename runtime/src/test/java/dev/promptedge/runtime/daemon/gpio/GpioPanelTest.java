package dev.promptedge.runtime.daemon.gpio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.pi4j.context.Context;
import com.pi4j.context.ContextBuilder;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import dev.promptedge.format.GpioSettings;
import dev.promptedge.format.TaskLed;
import dev.promptedge.runtime.daemon.PanelListener;
import dev.promptedge.runtime.daemon.serving.Metrics;
import dev.promptedge.runtime.daemon.serving.TaskControl;
import dev.promptedge.runtime.fixtures.MicroEngine;
import dev.promptedge.runtime.fixtures.MicroFixtures;
import dev.promptedge.runtime.fixtures.ReadOnlyDirs;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.trust.BundleVerifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The button and LEDs on Pi4J's mock provider, driving a real task engine on the committed fixtures
 * ({@link MicroFixtures}).
 */
class GpioPanelTest {

  private static final int BUTTON = 17;
  private static final int STATUS = 27;
  private static final int DETECT_LED = 22;
  private static final int SEGMENT_LED = 23;
  private static final long DEBOUNCE_MS = 60;

  static {
    // Pi4J logs through SLF4J, which warns at start when no binding is present.
    System.setProperty("slf4j.internal.verbosity", "ERROR");
  }

  @TempDir Path dir;

  private MicroEngine micro;
  private TaskEngine engine;
  private TaskControl control;
  private Context context;
  private Pi4jPanel panel;

  @BeforeEach
  void setUp() throws Exception {
    micro = MicroEngine.open(dir);
    engine = micro.engine();
    control = new TaskControl(engine, BundleVerifier.UNVERIFIED, new Metrics());
    MicroFixtures.threeTasks().values().forEach(control::install);
    context =
        ContextBuilder.newInstance()
            .noAutoDetect()
            .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance())
            .build();
    GpioSettings settings =
        GpioSettings.newBuilder()
            .setEnabled(true)
            .setProvider("mock")
            .setButtonPin(BUTTON)
            .setDebounceMs((int) DEBOUNCE_MS)
            .setStatusLedPin(STATUS)
            .addTaskLeds(TaskLed.newBuilder().setTask("detect").setPin(DETECT_LED))
            .addTaskLeds(TaskLed.newBuilder().setTask("segment").setPin(SEGMENT_LED))
            .build();
    panel = Pi4jPanel.open(context, false, "mock", settings, () -> control.cycle());
    control.listen(new PanelListener(panel));
    button().mockState(DigitalState.HIGH); // released: pulled up
  }

  @AfterEach
  void tearDown() {
    panel.close();
    context.shutdown();
    micro.close();
  }

  @Test
  void aDebouncedPressCyclesTheTaskAndTheLedsFollow() throws Exception {
    assertEquals("detect", engine.active().orElseThrow());
    assertLeds(true, false);

    bouncyPress();
    await(() -> engine.active().equals(Optional.of("segment")), "one press -> segment");
    assertLeds(false, true);
    Thread.sleep(DEBOUNCE_MS * 3);
    assertEquals("segment", engine.active().orElseThrow(), "the bounces counted as presses");

    bouncyPress();
    await(() -> engine.active().equals(Optional.of("classify")), "press -> classify");
    assertLeds(false, false); // classify has no LED
    Thread.sleep(DEBOUNCE_MS * 2);

    bouncyPress();
    await(() -> engine.active().equals(Optional.of("detect")), "press wraps around -> detect");
    assertLeds(true, false);
    assertEquals("detect", engine.store().active().orElseThrow(), "the choice is persisted");
  }

  @Test
  void theStatusLedBlinksOnInstallsAndStaysOnAfterAnError() throws Exception {
    List<Boolean> seen = new ArrayList<>();
    control.install(MicroFixtures.detection("detect", 2, 1).toBytes());
    long end = System.currentTimeMillis() + 1000;
    while (System.currentTimeMillis() < end) {
      boolean on = led(STATUS).isHigh();
      if (seen.isEmpty() || seen.get(seen.size() - 1) != on) {
        seen.add(on);
      }
      Thread.sleep(5);
    }
    assertTrue(seen.size() >= 4, "the status LED did not blink: " + seen);
    assertFalse(led(STATUS).isHigh(), "the LED stays off after blinking");

    control.failed("inference_failed");
    assertTrue(led(STATUS).isHigh());
    Thread.sleep(300);
    assertTrue(led(STATUS).isHigh(), "an error is shown steadily");
    assertTrue(panel.showsError());
    control.activate("segment");
    assertFalse(led(STATUS).isHigh(), "a task change clears the error");
  }

  @Test
  void theStatusLedBlinksSlowlyAfterARevertUntilTheNextInstall() throws Exception {
    control.reverted("detect", "quarantined bundle 'detect' v2");
    assertTrue(panel.showsReverted());
    List<Long> changes = new ArrayList<>();
    boolean last = led(STATUS).isHigh();
    long start = System.currentTimeMillis();
    while (System.currentTimeMillis() - start < 1800) {
      boolean on = led(STATUS).isHigh();
      if (on != last) {
        changes.add(System.currentTimeMillis() - start);
        last = on;
      }
      Thread.sleep(5);
    }
    assertTrue(changes.size() >= 2 && changes.size() <= 5, "a slow blink: " + changes);
    control.activate("segment");
    assertTrue(panel.showsReverted(), "a task change keeps showing the revert");
    control.install(MicroFixtures.detection("detect", 2, 1).toBytes());
    assertFalse(panel.showsReverted(), "an install ends it");
  }

  @Test
  void aPressThatCannotBePersistedDoesNotSwitch() throws Exception {
    Path store = engine.store().directory();
    try {
      assumeTrue(
          ReadOnlyDirs.makeReadOnly(store),
          "neither chmod nor chattr +i makes " + store + " refuse writes on this machine");
      bouncyPress();
      Thread.sleep(DEBOUNCE_MS * 3);
      assertEquals("detect", engine.active().orElseThrow(), "the switch was not persisted");
      assertLeds(true, false);
    } finally {
      ReadOnlyDirs.makeWritable(store);
    }
    assertEquals("detect", engine.store().active().orElseThrow());
    bouncyPress();
    await(() -> engine.active().equals(Optional.of("segment")), "a press on a writable store");
  }

  @Test
  void noGpioMeansNoPanelAndOneLine() {
    List<String> lines = new ArrayList<>();
    Panel none =
        Panels.open(
            GpioSettings.newBuilder().setEnabled(true).setProvider("gpiod").build(),
            () -> {},
            lines::add);
    assertSame(Panel.NONE, none);
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith("GPIO off: the Pi4J 'gpiod' provider"), lines.get(0));
    assertSame(Panel.NONE, Panels.open(GpioSettings.getDefaultInstance(), () -> {}, lines::add));
    assertEquals(1, lines.size(), "GPIO disabled in the profile is silent");
  }

  /** A press with contact bounce: several falling edges within a few milliseconds. */
  private void bouncyPress() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      button().mockState(DigitalState.LOW);
      button().mockState(DigitalState.HIGH);
      Thread.sleep(2);
    }
    button().mockState(DigitalState.LOW);
    Thread.sleep(5);
    button().mockState(DigitalState.HIGH);
  }

  private MockDigitalInput button() {
    return (MockDigitalInput) context.registry().get(Pi4jPanel.BUTTON_ID);
  }

  private DigitalOutput led(int pin) {
    return context.registry().get(Pi4jPanel.ledId(pin), DigitalOutput.class);
  }

  private void assertLeds(boolean detect, boolean segment) throws InterruptedException {
    await(
        () -> led(DETECT_LED).isHigh() == detect && led(SEGMENT_LED).isHigh() == segment,
        "LEDs detect=" + detect + " segment=" + segment);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.currentTimeMillis() + 5000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }
}
