package dev.promptedge.runtime.source;

import static dev.promptedge.runtime.fixtures.Await.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.promptedge.runtime.fixtures.Await;
import dev.promptedge.runtime.fixtures.Scenes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code exec:} sources with Debian's ffmpeg turning image files into an MJPEG stream. */
class ExecSourceTest {

  @TempDir Path dir;

  @BeforeEach
  void needsFfmpeg() throws Exception {
    boolean present;
    try {
      Process p = new ProcessBuilder("ffmpeg", "-version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      present = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (java.io.IOException e) {
      present = false;
    }
    assumeTrue(present, "needs ffmpeg on the PATH (Debian: apt-get install ffmpeg)");
  }

  @Test
  void ffmpegStreamsImageFilesAsMjpegIntoEveryTaskAndIsKilledOnRemove() throws Exception {
    Path frames = Files.createDirectories(dir.resolve("frames"));
    for (int i = 1; i <= 4; i++) {
      Files.write(frames.resolve(String.format("scene%03d.png", i)), Scenes.png(64, 48, i));
    }
    String command =
        "exec:ffmpeg -hide_banner -loglevel error -re -stream_loop -1 -framerate 10 -i '"
            + frames.resolve("scene%03d.png")
            + "' -f mjpeg -q:v 5 -";
    try (EngineFixture f = new EngineFixture(dir);
        SourceManager sources = new SourceManager(FrameInference.of(f.engine), new ResultsHub());
        ResultsHub.Subscription sub = sources.hub().subscribe(64)) {
      sources.put(new SourceSpec("ffmpeg", command, 0, List.of()));
      FrameResults first = Await.results(sub, 20_000, r -> true);
      assertEquals(List.of("detect:1", "segment:1"), Await.names(first));
      assertEquals(64, first.results().get(0).imageWidth());
      Await.until(
          20_000,
          () -> status(sources, "ffmpeg").framesInferred() >= 8,
          () -> status(sources, "ffmpeg").toString());
      SourceStatus s = status(sources, "ffmpeg");
      assertEquals(0, s.streamErrors() + s.reconnects() + s.decodeFailures(), s.toString());
      assertTrue(ffmpegChildren() >= 1, "ffmpeg runs as a child");
      sources.remove("ffmpeg");
      Await.until(5_000, () -> ffmpegChildren() == 0, () -> "ffmpeg still running after remove");
    }
  }

  @Test
  void aFailingCommandIsRetriedAndItsStderrNamed() throws Exception {
    try (EngineFixture f = new EngineFixture(dir);
        SourceManager sources = new SourceManager(FrameInference.of(f.engine), new ResultsHub())) {
      sources.put(
          new SourceSpec(
              "broken",
              "exec:ffmpeg -hide_banner -i " + dir.resolve("missing.png") + " -f mjpeg -",
              0,
              List.of()));
      Await.until(
          15_000,
          () -> status(sources, "broken").streamErrors() >= 2,
          () -> status(sources, "broken").toString());
      String error = status(sources, "broken").lastError().orElseThrow();
      assertTrue(error.contains("command exited with code"), error);
      assertTrue(error.contains("No such file or directory"), error);
      assertTrue(status(sources, "broken").reconnects() >= 1);
    }
  }

  private static long ffmpegChildren() {
    return ProcessHandle.current()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("ffmpeg")).orElse(false))
        .count();
  }
}
