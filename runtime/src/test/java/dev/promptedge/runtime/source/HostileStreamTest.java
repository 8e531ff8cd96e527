package dev.promptedge.runtime.source;

import static dev.promptedge.runtime.fixtures.Await.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.fixtures.Await;
import dev.promptedge.runtime.fixtures.MjpegServer;
import dev.promptedge.runtime.fixtures.Scenes;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streams that lie, break or flood: each problem counted, no crash, the source goes on. */
class HostileStreamTest {

  private static final long GAP = 400;

  @TempDir Path dir;

  @Test
  void garbageTruncatedAndHugePartsAreCountedAndTheStreamGoesOn() throws Exception {
    byte[] good = Scenes.jpeg(64, 48, 3);
    byte[] truncated = Arrays.copyOf(good, good.length / 2);
    byte[] huge = new byte[300_000];
    byte[] garbage = new byte[2_000];
    new Random(14).nextBytes(garbage);
    try (EngineFixture f = new EngineFixture(dir);
        MjpegServer camera =
            new MjpegServer(
                c -> {
                  c.head();
                  if (c.index == 0) {
                    for (byte[] body : List.of(good, truncated, huge, garbage, good)) {
                      c.part(body, true);
                      Thread.sleep(GAP);
                    }
                    c.raw("not a boundary\r\n".repeat(100)); // out of step: reconnect
                  } else if (c.index == 1) {
                    c.part(good, true);
                    Thread.sleep(GAP);
                    c.part(huge, false); // no length: cannot be skipped, reconnect
                  } else {
                    while (true) {
                      c.part(good, true);
                      Thread.sleep(50);
                    }
                  }
                });
        SourceManager sources = new SourceManager(FrameInference.of(f.engine), new ResultsHub())) {
      sources.put(new SourceSpec("liar", camera.url(), 0, List.of(), 100_000));
      Await.until(
          30_000,
          () -> {
            SourceStatus s = status(sources, "liar");
            return s.reconnects() >= 2 && s.framesInferred() >= 5;
          },
          () -> status(sources, "liar").toString());
      SourceStatus s = status(sources, "liar");
      assertEquals(0, s.framesDropped(), "frames were " + GAP + " ms apart: " + s);
      assertEquals(2, s.decodeFailures(), "the truncated and the garbage part: " + s);
      assertEquals(1, s.frameErrors(), "the huge part with a length, skipped: " + s);
      assertEquals(2, s.streamErrors(), "the lost boundary and the huge part without one: " + s);
      assertEquals(0, s.inferenceFailures(), s.toString());
      assertEquals(SourceStatus.State.CONNECTED, s.state());
    }
  }

  @Test
  void aCameraFasterThanInferenceDropsCountedFramesAndHoldsNoQueue() throws Exception {
    byte[][] frames = Scenes.frames(3, 1280, 720);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    try (EngineFixture f = new EngineFixture(dir);
        MjpegServer camera = MjpegServer.looping(frames, 0);
        SourceManager sources = new SourceManager(FrameInference.of(f.engine), new ResultsHub());
        ResultsHub.Subscription sub = sources.hub().subscribe(4)) {
      sources.put(new SourceSpec("flood", camera.url(), 0, List.of()));
      sources.put(new SourceSpec("capped", camera.url(), 4, List.of("detect")));
      long start = System.nanoTime();
      Await.until(
          20_000,
          () -> status(sources, "flood").framesDropped() > 50,
          () -> status(sources, "flood").toString());
      System.gc();
      long heapEarly = memory.getHeapMemoryUsage().getUsed();
      Thread.sleep(2_000);
      SourceStatus s = status(sources, "flood");
      SourceStatus capped = status(sources, "capped");
      double seconds = (System.nanoTime() - start) / 1e9;
      System.gc();
      long heapLate = memory.getHeapMemoryUsage().getUsed();

      long accounted = s.framesInferred() + s.framesDropped() + s.decodeFailures();
      assertTrue(
          s.framesIn() - accounted >= 0 && s.framesIn() - accounted <= 3,
          "every frame is inferred, dropped or waiting in the one slot: " + s);
      assertTrue(s.framesDropped() > s.framesInferred(), s.toString());
      assertTrue(
          capped.framesIn() <= seconds * 4 + 2,
          capped.framesIn() + " frames in " + seconds + " s at fps 4");
      assertTrue(capped.framesIn() >= 2, capped.toString());
      assertTrue(
          heapLate - heapEarly < 64L << 20,
          "heap grew by " + ((heapLate - heapEarly) >> 20) + " MiB while frames streamed in");
      assertTrue(sub.dropped() > 0, "the 4-deep subscriber that nobody reads drops too");
      assertTrue(
          Await.results(sub, 5_000, r -> r.source().equals("flood")).droppedFrames() > 0,
          "results carry the source's drops");
      System.out.printf(
          "flood: %d in, %d inferred, %d dropped in %.1f s (%.0f frames/s in, %.0f inferred/s)%n",
          s.framesIn(),
          s.framesInferred(),
          s.framesDropped(),
          seconds,
          s.framesIn() / seconds,
          s.framesInferred() / seconds);
    }
  }
}
