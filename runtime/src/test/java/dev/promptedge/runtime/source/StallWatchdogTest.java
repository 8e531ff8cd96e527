package dev.promptedge.runtime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A command whose stdout stalls is killed and started again after the read timeout. */
class StallWatchdogTest {

  private static long sleepers() {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("sleep")).orElse(false))
        .count();
  }

  @Test
  void aSilentCommandIsReopenedAndCounted() throws Exception {
    try (SourceManager sources =
        new SourceManager(
            (bytes, tasks) -> List.of(), new ResultsHub(), new FrameStream.Timeouts(1_000, 500))) {
      sources.put(new SourceSpec("silent", "exec:sleep 60", 0, List.of()));
      long end = System.currentTimeMillis() + 10_000;
      while (sources.status("silent").orElseThrow().reconnects() < 2) {
        assertTrue(System.currentTimeMillis() < end, sources.status("silent").toString());
        Thread.sleep(50);
      }
      SourceStatus s = sources.status("silent").orElseThrow();
      assertTrue(s.streamErrors() >= 2, s.toString());
      assertTrue(s.lastError().orElseThrow().contains("no frame in 500 ms"), s.toString());
      assertEquals(0, s.framesIn());
      assertTrue(sleepers() <= 1, "the stalled process was killed, not left behind");
    }
    long end = System.currentTimeMillis() + 5_000;
    while (sleepers() > 0) {
      assertTrue(System.currentTimeMillis() < end, "sleep still running after close");
      Thread.sleep(50);
    }
  }
}
