package dev.promptedge.runtime.source;

import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.fixtures.MicroEngine;
import dev.promptedge.runtime.fixtures.MicroFixtures;
import dev.promptedge.runtime.task.TaskEngine;
import java.nio.file.Path;

/** The committed micro backbone in a real task engine with detect v1 and segment v1 installed. */
final class EngineFixture implements AutoCloseable {
  final Backbone backbone;
  final TaskEngine engine;
  private final MicroEngine micro;

  EngineFixture(Path dir) {
    micro = MicroEngine.open(dir.resolve("backbone"));
    backbone = micro.backbone();
    engine = micro.engine();
    try {
      engine.install(MicroFixtures.detection("detect", 1, 1).toBytes());
      engine.install(MicroFixtures.segmentation("segment", 1, 2).toBytes());
    } catch (RuntimeException e) {
      micro.close();
      throw e;
    }
  }

  @Override
  public void close() {
    micro.close();
  }
}
