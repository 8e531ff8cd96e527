package dev.promptedge.runtime.daemon.gpio;

import java.util.Optional;

/**
 * The device's buttons and LEDs as the daemon sees them: one LED per configured task, lit while
 * that task is active, and a status LED that blinks on installs and stays on after an error.
 * Implementations are thread-safe; {@link #close()} turns the LEDs off and frees the pins.
 */
public interface Panel extends AutoCloseable {

  /** A panel with no hardware behind it, for machines without GPIO. */
  Panel NONE =
      new Panel() {
        @Override
        public void showActive(Optional<String> task) {}

        @Override
        public void signalInstall() {}

        @Override
        public void signalError() {}

        @Override
        public void close() {}
      };

  /** Lights the LED of {@code task} (if it has one) and turns the other task LEDs off. */
  void showActive(Optional<String> task);

  /** Blinks the status LED and clears an error shown before. */
  void signalInstall();

  /** Turns the status LED on until the next install or task change. */
  void signalError();

  /**
   * Blinks the status LED slowly (on and off every {@code 500 ms}) until the next install or error:
   * a bundle crashed the device on trial and was reverted.
   */
  default void signalReverted() {}

  @Override
  void close();
}
