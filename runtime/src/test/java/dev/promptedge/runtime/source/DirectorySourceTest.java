package dev.promptedge.runtime.source;

import static dev.promptedge.runtime.fixtures.Await.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.fixtures.Await;
import dev.promptedge.runtime.fixtures.Scenes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A watched directory: new image files become frames, in name order, none lost to the fps cap. */
class DirectorySourceTest {

  @TempDir Path dir;

  private static void drop(Path dir, String name, byte[] bytes) throws Exception {
    Path tmp = Files.write(dir.resolve(name + ".part"), bytes);
    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void newFilesAreInferredInNameOrderAndBadOnesCounted() throws Exception {
    Path incoming = Files.createDirectories(dir.resolve("incoming"));
    drop(incoming, "old.jpg", Scenes.jpeg(40, 30, 1));
    try (EngineFixture f = new EngineFixture(dir);
        SourceManager sources = new SourceManager(FrameInference.of(f.engine), new ResultsHub());
        ResultsHub.Subscription sub = sources.hub().subscribe(64)) {
      sources.put(new SourceSpec("drop", "dir:" + incoming, 4, List.of(), 50_000));
      Await.until(
          5_000,
          () -> status(sources, "drop").state() == SourceStatus.State.CONNECTED,
          () -> status(sources, "drop").toString());
      drop(incoming, "b.jpg", Scenes.jpeg(64, 48, 2));
      drop(incoming, "a.png", Scenes.png(50, 40, 3));
      drop(incoming, "c.jpeg", Scenes.jpeg(30, 60, 4));
      drop(incoming, "notes.txt", "not an image".getBytes());
      List<Integer> widths = new ArrayList<>();
      long start = System.currentTimeMillis();
      for (int i = 0; i < 3; i++) {
        FrameResults r = Await.results(sub, 10_000, x -> true);
        assertEquals(i + 1, r.sequence());
        assertEquals(2, r.results().size());
        widths.add(r.results().get(0).imageWidth());
      }
      long took = System.currentTimeMillis() - start;
      assertEquals(List.of(50, 64, 30), widths, "a.png, b.jpg, c.jpeg; old.jpg was there before");
      assertTrue(took >= 400, "fps 4 paces files (3 in " + took + " ms) instead of skipping them");

      drop(incoming, "d-broken.jpg", new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
      drop(incoming, "e-huge.jpg", new byte[60_000]);
      drop(incoming, "f.jpg", Scenes.jpeg(20, 20, 5));
      FrameResults last = Await.results(sub, 10_000, x -> true);
      assertEquals(20, last.results().get(0).imageWidth());
      SourceStatus s = status(sources, "drop");
      assertEquals(4, s.framesInferred(), s.toString());
      assertEquals(1, s.decodeFailures(), s.toString());
      assertEquals(1, s.frameErrors(), s.toString());
      assertTrue(s.lastError().orElseThrow().contains("d-broken.jpg") || s.frameErrors() == 1);
      assertEquals(0, s.framesDropped() + s.streamErrors(), s.toString());
    }
  }
}
