package dev.promptedge.tools.source;

import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.tools.e2e.MicroSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The micro backbone on the real interpreter with a detection and a segmentation task. */
final class EngineFixture implements AutoCloseable {
  final MicroSetup setup;
  final Backbone backbone;
  final TaskEngine engine;

  EngineFixture(Path dir) throws IOException {
    setup = new MicroSetup(Files.createDirectories(dir.resolve("backbone")), false);
    backbone = Backbone.open(setup.card, false, MicroSetup.CONFIG);
    engine =
        TaskEngine.open(
            backbone,
            BundleStore.open(dir.resolve("store")),
            new EngineSettings(MicroSetup.CONFIG, EngineSettings.DEFAULT_RESIDENT_BUDGET, 1 << 20));
    engine.install(setup.detection("detect", 1, 1).bundle().toBytes());
    engine.install(setup.segmentation("segment", 1, 2).bundle().toBytes());
  }

  @Override
  public void close() {
    engine.close();
    backbone.close();
  }
}
