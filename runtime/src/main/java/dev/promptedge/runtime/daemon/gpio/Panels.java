package dev.promptedge.runtime.daemon.gpio;

import com.pi4j.context.Context;
import com.pi4j.context.ContextBuilder;
import dev.promptedge.format.GpioSettings;
import java.util.function.Consumer;

/** Opens the profile's GPIO panel, or {@link Panel#NONE} when GPIO is off or missing. */
public final class Panels {

  private Panels() {}

  /**
   * Opens the panel of {@code settings} on the Pi4J provider it names ("gpiod" on boards); when the
   * provider cannot be loaded or the machine has no GPIO chip, says so in one line to {@code log}
   * and returns {@link Panel#NONE}, so the daemon runs without it.
   */
  public static Panel open(GpioSettings settings, Runnable onPress, Consumer<String> log) {
    if (!settings.getEnabled()) {
      return Panel.NONE;
    }
    String provider = settings.getProvider().isBlank() ? "gpiod" : settings.getProvider();
    Context context = null;
    try {
      context =
          ContextBuilder.newInstance()
              .noAutoDetectPlatforms()
              .autoDetectProviders()
              .disableShutdownHook()
              .build();
      return Pi4jPanel.open(context, true, provider, settings, onPress);
    } catch (RuntimeException | LinkageError e) {
      if (context != null) {
        try {
          context.shutdown();
        } catch (RuntimeException ignored) {
          // Nothing was opened that needs closing.
        }
      }
      log.accept(
          "GPIO off: the Pi4J '"
              + provider
              + "' provider is not usable on this machine ("
              + e.getMessage()
              + "); running without the task button and LEDs (gpio.enabled: false silences this)");
      return Panel.NONE;
    }
  }
}
