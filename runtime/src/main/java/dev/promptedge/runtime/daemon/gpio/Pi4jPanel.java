package dev.promptedge.runtime.daemon.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import dev.promptedge.format.GpioSettings;
import dev.promptedge.format.TaskLed;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Panel} on Pi4J digital I/O: the button (pulled up, active low, debounced) runs the press
 * action on its own thread, LEDs are digital outputs. Thread-safe; {@link #close()} turns the LEDs
 * off and, when it owns the Pi4J context, shuts the context down.
 */
final class Pi4jPanel implements Panel {

  /** Pi4J id of the button input. */
  static final String BUTTON_ID = "promptedged-button";

  /** Blinks shown for an install. */
  static final int INSTALL_BLINKS = 3;

  static final long BLINK_MILLIS = 80;

  /** Half period of the slow blink that shows a revert. */
  static final long REVERT_BLINK_MILLIS = 500;

  private final Context context;
  private final boolean ownsContext;
  private final DigitalOutput status;
  private final Map<String, DigitalOutput> taskLeds = new LinkedHashMap<>();
  private final ExecutorService pressWorker;
  private final ScheduledExecutorService blinker;
  private ScheduledFuture<?> blinking;
  private boolean error;
  private boolean reverted;
  private boolean closed;

  private Pi4jPanel(
      Context context, boolean ownsContext, String provider, GpioSettings s, Runnable onPress) {
    this.context = context;
    this.ownsContext = ownsContext;
    this.status = output(provider, s.getStatusLedPin());
    for (TaskLed led : s.getTaskLedsList()) {
      taskLeds.put(led.getTask(), output(provider, led.getPin()));
    }
    this.pressWorker =
        Executors.newSingleThreadExecutor(r -> daemonThread(r, "promptedged-button"));
    this.blinker =
        Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "promptedged-leds"));
    DigitalInput button =
        context.create(
            DigitalInput.newConfigBuilder(context)
                .id(BUTTON_ID)
                .name("task button")
                .address(s.getButtonPin())
                .pull(PullResistance.PULL_UP)
                .provider(provider + "-digital-input")
                .build());
    Debouncer debouncer = new Debouncer(s.getDebounceMs());
    button.addListener(
        event -> {
          if (event.state() == DigitalState.LOW && debouncer.accept(System.nanoTime())) {
            pressWorker.execute(onPress);
          }
        });
  }

  /**
   * Opens the button and LEDs of {@code settings} on {@code context}'s provider {@code provider}
   * (e.g. "gpiod" or "mock"); {@code onPress} runs once per debounced press.
   *
   * @param ownsContext whether {@link #close()} shuts the context down
   */
  static Pi4jPanel open(
      Context context,
      boolean ownsContext,
      String provider,
      GpioSettings settings,
      Runnable onPress) {
    return new Pi4jPanel(context, ownsContext, provider, settings, onPress);
  }

  /** Pi4J id of the LED on {@code pin}. */
  static String ledId(int pin) {
    return "promptedged-led-" + pin;
  }

  private DigitalOutput output(String provider, int pin) {
    return context.create(
        DigitalOutput.newConfigBuilder(context)
            .id(ledId(pin))
            .address(pin)
            .initial(DigitalState.LOW)
            .shutdown(DigitalState.LOW)
            .provider(provider + "-digital-output")
            .build());
  }

  private static Thread daemonThread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public synchronized void showActive(Optional<String> task) {
    if (closed) {
      return;
    }
    for (Map.Entry<String, DigitalOutput> led : taskLeds.entrySet()) {
      led.getValue()
          .state(
              task.filter(led.getKey()::equals).isPresent() ? DigitalState.HIGH : DigitalState.LOW);
    }
    clearError();
  }

  @Override
  public synchronized void signalInstall() {
    if (closed) {
      return;
    }
    error = false;
    reverted = false;
    if (blinking != null) {
      blinking.cancel(false);
    }
    int[] toggles = {0};
    blinking =
        blinker.scheduleAtFixedRate(
            () -> blinkStep(toggles), 0, BLINK_MILLIS, TimeUnit.MILLISECONDS);
  }

  private synchronized void blinkStep(int[] toggles) {
    if (closed || error) {
      return;
    }
    if (toggles[0] >= 2 * INSTALL_BLINKS) {
      status.low();
      blinking.cancel(false);
      return;
    }
    status.state(toggles[0] % 2 == 0 ? DigitalState.HIGH : DigitalState.LOW);
    toggles[0]++;
  }

  @Override
  public synchronized void signalError() {
    if (closed) {
      return;
    }
    if (blinking != null) {
      blinking.cancel(false);
    }
    error = true;
    reverted = false;
    status.high();
  }

  @Override
  public synchronized void signalReverted() {
    if (closed) {
      return;
    }
    if (blinking != null) {
      blinking.cancel(false);
    }
    error = false;
    reverted = true;
    blinking =
        blinker.scheduleAtFixedRate(
            this::revertStep, 0, REVERT_BLINK_MILLIS, TimeUnit.MILLISECONDS);
  }

  private synchronized void revertStep() {
    if (closed || !reverted) {
      return;
    }
    status.state(status.isHigh() ? DigitalState.LOW : DigitalState.HIGH);
  }

  /** Whether the status LED shows a revert (slow blink) now. */
  synchronized boolean showsReverted() {
    return reverted;
  }

  private void clearError() {
    if (error) {
      error = false;
      status.low();
    }
  }

  /** Whether the status LED shows an error now. */
  synchronized boolean showsError() {
    return error;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    pressWorker.shutdownNow();
    blinker.shutdownNow();
    status.low();
    taskLeds.values().forEach(DigitalOutput::low);
    if (ownsContext) {
      context.shutdown();
    }
  }
}
