package dev.promptedge.runtime.source;

import dev.promptedge.runtime.image.ImageDecoder;
import dev.promptedge.runtime.image.ImageHeader;
import dev.promptedge.runtime.image.Preprocessor;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.task.TaskRequest;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link FrameInference} on a task engine: decodes at the preprocessor's sample step (a large
 * camera frame is never decoded at full size), then one fair turn at the engine per frame.
 */
final class EngineFrameInference implements FrameInference {
  private final TaskEngine engine;
  private final ImageDecoder decoder;
  private final Preprocessor preprocessor;
  private final ReentrantLock turn = new ReentrantLock(true);

  EngineFrameInference(TaskEngine engine, ImageDecoder decoder) {
    this.engine = engine;
    this.decoder = decoder;
    this.preprocessor = Preprocessor.forCard(engine.backbone().card().card());
  }

  @Override
  public List<InferenceResult> infer(byte[] encoded, List<String> tasks) {
    ImageHeader header = decoder.header(encoded);
    BufferedImage image =
        decoder.decode(encoded, preprocessor.sampleStep(header.width(), header.height()));
    List<String> installed = engine.installed();
    List<String> names =
        tasks.isEmpty() ? installed : tasks.stream().filter(installed::contains).toList();
    if (names.isEmpty()) {
      return List.of();
    }
    List<TaskRequest> requests =
        names.stream()
            .map(n -> new TaskRequest(image, Optional.of(n), header.width(), header.height()))
            .toList();
    turn.lock();
    try {
      return engine.infer(requests);
    } finally {
      turn.unlock();
    }
  }
}
