package dev.promptedge.tools.train;

import dev.promptedge.format.TaskKind;
import dev.promptedge.tools.graph.HeadType;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The trainer tests' options: the parts they vary, the rest fixed (no prompt-token limit, batches
 * of 8, rate 0.01, seed 5, no early stop, every prompt input the mode trains). {@link #build()}
 * makes them with {@link TrainOptions}' one constructor, as {@code TrainCommand} does.
 */
record TestTrainOptions(
    TaskKind task,
    TrainMode mode,
    int epochs,
    HeadType head,
    Optional<Path> checkpoint,
    boolean resume,
    boolean cosine) {

  /** A linear head, a constant rate, no checkpoint. */
  static TestTrainOptions of(TaskKind task, TrainMode mode, int epochs) {
    return new TestTrainOptions(
        task, mode, epochs, HeadType.LINEAR, Optional.empty(), false, false);
  }

  TestTrainOptions epochs(int n) {
    return new TestTrainOptions(task, mode, n, head, checkpoint, resume, cosine);
  }

  TestTrainOptions head(HeadType type) {
    return new TestTrainOptions(task, mode, epochs, type, checkpoint, resume, cosine);
  }

  TestTrainOptions checkpoint(Path dir, boolean resumeFromIt) {
    return new TestTrainOptions(task, mode, epochs, head, Optional.of(dir), resumeFromIt, cosine);
  }

  TestTrainOptions cosineDecay() {
    return new TestTrainOptions(task, mode, epochs, head, checkpoint, resume, true);
  }

  TrainOptions build() {
    return new TrainOptions(
        task,
        mode,
        0,
        epochs,
        8,
        0.01f,
        5,
        0,
        checkpoint,
        resume,
        head,
        PromptSelection.ALL,
        cosine);
  }
}
