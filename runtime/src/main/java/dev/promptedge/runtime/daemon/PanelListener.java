package dev.promptedge.runtime.daemon;

import dev.promptedge.runtime.daemon.gpio.Panel;
import dev.promptedge.runtime.daemon.serving.TaskListener;
import java.util.Optional;

/**
 * Shows task changes on a GPIO panel: task LEDs follow the active task, the status LED blinks while
 * an update installs and on installs, stays on after an error (a refused upload or update) and
 * blinks slowly after a revert (a bundle quarantined at start) until the next install.
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
  public void reverted(String task) {
    panel.signalReverted();
  }

  @Override
  public void failed(String code) {
    if (code.equals("quarantined")) {
      return; // the refusal of a bundle quarantined at start: keep showing the revert
    }
    panel.signalError();
  }
}
