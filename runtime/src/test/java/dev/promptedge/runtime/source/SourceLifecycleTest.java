package dev.promptedge.runtime.source;

import static dev.promptedge.runtime.fixtures.Await.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.fixtures.Await;
import dev.promptedge.runtime.fixtures.MjpegServer;
import dev.promptedge.runtime.fixtures.Scenes;
import dev.promptedge.runtime.task.TaskRequest;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sources added, replaced and removed at runtime while others stream, stall and flood. */
class SourceLifecycleTest {

  @TempDir Path dir;

  @Test
  void sourcesComeAndGoUnderLoadWithoutBlockingEachOtherOrTheEngine() throws Exception {
    byte[][] small = Scenes.frames(4, 64, 48);
    try (EngineFixture f = new EngineFixture(dir);
        MjpegServer steady = MjpegServer.looping(small, 30);
        MjpegServer flood = MjpegServer.looping(Scenes.frames(2, 640, 480), 0);
        MjpegServer stalled =
            new MjpegServer(
                c -> {
                  c.head();
                  c.stall(); // accepts, answers, then never sends a frame
                });
        SourceManager sources = new SourceManager(FrameInference.of(f.engine), new ResultsHub());
        ResultsHub.Subscription sub = sources.hub().subscribe(256)) {
      sources.put(new SourceSpec("steady", steady.url(), 0, List.of()));
      sources.put(new SourceSpec("stalled", stalled.url(), 0, List.of()));
      sources.put(new SourceSpec("flood", flood.url(), 0, List.of("segment")));
      Await.until(
          10_000,
          () -> status(sources, "stalled").state() == SourceStatus.State.CONNECTED,
          () -> status(sources, "stalled").toString());

      Random random = new Random(14);
      List<Long> changeMillis = new ArrayList<>();
      List<Long> apiMillis = new ArrayList<>();
      BufferedImage image = Scenes.image(64, 48, 5);
      for (int round = 0; round < 6; round++) {
        String name = "extra-" + (round % 3);
        long t0 = System.nanoTime();
        sources.put(
            new SourceSpec(name, random.nextBoolean() ? steady.url() : flood.url(), 0, List.of()));
        if (round % 2 == 1) {
          sources.remove("extra-" + random.nextInt(3));
        }
        changeMillis.add((System.nanoTime() - t0) / 1_000_000);
        long t1 = System.nanoTime();
        f.engine.infer(TaskRequest.of(image, "detect"));
        apiMillis.add((System.nanoTime() - t1) / 1_000_000);
        long seen = System.currentTimeMillis();
        FrameResults steadyResult =
            Await.results(
                sub, 10_000, r -> r.source().equals("steady") && r.inferenceEndMillis() > seen);
        assertEquals(2, steadyResult.results().size());
      }
      assertEquals(0, status(sources, "stalled").framesIn(), "the stalled camera sent nothing");
      assertEquals(SourceStatus.State.CONNECTED, status(sources, "stalled").state());
      assertTrue(
          changeMillis.stream().allMatch(ms -> ms < 6_000), "put/remove took " + changeMillis);
      assertTrue(apiMillis.stream().allMatch(ms -> ms < 5_000), "engine calls took " + apiMillis);
      System.out.println("put/remove ms " + changeMillis + ", engine call ms " + apiMillis);

      long t = System.nanoTime();
      assertTrue(sources.remove("stalled"), "a source blocked in a read stops on remove");
      long removeStalledMillis = (System.nanoTime() - t) / 1_000_000;
      assertTrue(
          removeStalledMillis < 3_000, "removing the stalled source took " + removeStalledMillis);
      Await.until(5_000, () -> stalled.open() == 0, () -> "stalled connection still open");
    }
    Await.until(
        10_000,
        () -> sourceThreads().isEmpty(),
        () -> "threads left after close: " + sourceThreads());
    SourceManager closed = new SourceManager((bytes, tasks) -> List.of(), new ResultsHub());
    closed.close();
    assertThrows(
        IllegalStateException.class,
        () -> closed.put(new SourceSpec("late", "http://127.0.0.1:1/", 0, List.of())));
  }

  @Test
  void aSlowSubscriberDropsItsOwnResultsWithoutSlowingTheSource() throws Exception {
    try (EngineFixture f = new EngineFixture(dir);
        MjpegServer camera = MjpegServer.looping(Scenes.frames(3, 48, 40), 10);
        SourceManager sources = new SourceManager(FrameInference.of(f.engine), new ResultsHub());
        ResultsHub.Subscription slow = sources.hub().subscribe(2);
        ResultsHub.Subscription fast = sources.hub().subscribe(1024)) {
      sources.put(new SourceSpec("cam", camera.url(), 0, List.of("detect")));
      int got = 0;
      long end = System.currentTimeMillis() + 3_000;
      while (System.currentTimeMillis() < end) {
        if (fast.poll(100, TimeUnit.MILLISECONDS).isPresent()) {
          got++;
        }
      }
      assertTrue(got >= 5, "the reading subscriber got " + got);
      assertTrue(slow.dropped() >= got - 2 - 1, "slow dropped " + slow.dropped() + " of " + got);
      assertTrue(slow.poll(0, TimeUnit.MILLISECONDS).isPresent());
    }
  }

  private static List<String> sourceThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("source-"))
        .toList();
  }
}
