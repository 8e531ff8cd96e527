package dev.promptedge.tools.train;

import dev.promptedge.format.TaskKind;
import dev.promptedge.tools.graph.HeadType;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How to train: task, mode, prompt tokens, epochs, batch, learning rate, seed, patience, where to
 * checkpoint. Immutable value.
 *
 * @param task the task kind of the dataset and bundle
 * @param mode what learns
 * @param promptTokens prompt tokens trained per layer, 1..P of the card (the rest stay zero)
 * @param epochs most epochs
 * @param batch images per step
 * @param learningRate Adam step size of prompt and head (the backbone in {@code full} gets a tenth)
 * @param seed seed of the head's initial weights, the prompt's and the shuffling
 * @param patience epochs without a better validation score before stopping; 0 = never stop early
 * @param checkpointDir where to checkpoint after each epoch, if anywhere
 * @param resume continue from the checkpoint in {@code checkpointDir}
 * @param head the head's architecture (linear, or conv blocks before the linear output)
 */
public record TrainOptions(
    TaskKind task,
    TrainMode mode,
    int promptTokens,
    int epochs,
    int batch,
    float learningRate,
    long seed,
    int patience,
    Optional<Path> checkpointDir,
    boolean resume,
    HeadType head) {

  /** Checks the ranges. */
  public TrainOptions {
    if (epochs < 1 || batch < 1 || promptTokens < 0 || patience < 0) {
      throw new IllegalArgumentException(
          "epochs and batch must be at least 1, prompt tokens and patience at least 0; got epochs "
              + epochs
              + ", batch "
              + batch
              + ", prompt tokens "
              + promptTokens
              + ", patience "
              + patience);
    }
    if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
    }
    if (resume && checkpointDir.isEmpty()) {
      throw new IllegalArgumentException("--resume needs --checkpoint DIR");
    }
    java.util.Objects.requireNonNull(head, "head");
  }

  /** Options with the linear head. */
  public TrainOptions(
      TaskKind task,
      TrainMode mode,
      int promptTokens,
      int epochs,
      int batch,
      float learningRate,
      long seed,
      int patience,
      Optional<Path> checkpointDir,
      boolean resume) {
    this(
        task,
        mode,
        promptTokens,
        epochs,
        batch,
        learningRate,
        seed,
        patience,
        checkpointDir,
        resume,
        HeadType.LINEAR);
  }

  /** These options with the head {@code type}. */
  public TrainOptions withHead(HeadType type) {
    return new TrainOptions(
        task,
        mode,
        promptTokens,
        epochs,
        batch,
        learningRate,
        seed,
        patience,
        checkpointDir,
        resume,
        type);
  }

  /** These options with another number of epochs. */
  public TrainOptions withEpochs(int n) {
    return new TrainOptions(
        task,
        mode,
        promptTokens,
        n,
        batch,
        learningRate,
        seed,
        patience,
        checkpointDir,
        resume,
        head);
  }

  /** These options resuming (or not) from {@code dir}. */
  public TrainOptions withCheckpoint(Path dir, boolean resumeFromIt) {
    return new TrainOptions(
        task,
        mode,
        promptTokens,
        epochs,
        batch,
        learningRate,
        seed,
        patience,
        Optional.of(dir),
        resumeFromIt,
        head);
  }
}
