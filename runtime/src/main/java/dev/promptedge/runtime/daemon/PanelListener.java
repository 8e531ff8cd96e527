package dev.promptedge.runtime.daemon;

import dev.promptedge.runtime.daemon.gpio.Panel;
import java.util.Optional;

/**
 * Shows task changes on a GPIO panel: task LEDs follow the active task, the status LED blinks while
 * an update installs and on installs, and stays on after an error (a refused upload or update).
 */
public final class PanelListener implements TaskListener {

  private final Panel panel;

  /** A listener that drives {@code panel}. */
  public PanelListener(Panel panel) {
    this.panel = panel;
  }

  @Override
  public void activeChanged(Optional<String> task) {
    panel.showActive(task);
  }

  @Override
  public void installing(String task, long version) {
    panel.signalInstall();
  }

  @Override
  public void installed(String task, long version) {
    panel.signalInstall();
  }

  @Override
  public void failed(String code) {
    panel.signalError();
  }
}
