package dev.promptedge.tools.train;

import dev.promptedge.format.PromptKind;
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
 * @param prompts which prompt inputs learn; {@link PromptSelection#ALL} means every input the mode
 *     trains (none in {@code linear-probe}, to which it is normalized)
 * @param cosine whether the learning rate decays from {@code learningRate} to 0 along a half cosine
 *     over the steps of {@code epochs} epochs (else it stays constant)
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
    HeadType head,
    PromptSelection prompts,
    boolean cosine) {

  /** Checks the ranges and that mode and prompt selection say the same thing. */
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
    java.util.Objects.requireNonNull(prompts, "prompts");
    if (mode == TrainMode.LINEAR_PROBE && prompts.all()) {
      prompts = PromptSelection.NONE;
    }
    if (mode == TrainMode.LINEAR_PROBE && !prompts.none()) {
      throw new IllegalArgumentException(
          "--mode linear-probe trains no prompt input but --prompts "
              + prompts
              + " asks for some; use --mode prompt with --prompts "
              + prompts
              + ", or --prompts none");
    }
    if (prompts.none() && (mode == TrainMode.PROMPT || mode == TrainMode.PROMPT_DEEP)) {
      throw new IllegalArgumentException(
          "--prompts none trains no prompt input, which is --mode linear-probe, but --mode "
              + mode.cliName()
              + " trains prompts; drop --mode or use --mode linear-probe");
    }
    if (mode == TrainMode.PROMPT_DEEP && !prompts.trains(PromptKind.TOKENS)) {
      throw new IllegalArgumentException(
          "--mode prompt-deep trains deep prompt tokens but --prompts "
              + prompts
              + " leaves them at zero; add tokens to --prompts or use --mode prompt");
    }
    if (promptTokens > 0 && !prompts.trains(PromptKind.TOKENS)) {
      throw new IllegalArgumentException(
          "--prompt-tokens limits the tokens that learn but --prompts "
              + prompts
              + " trains no tokens; drop --prompt-tokens");
    }
  }

  /** The learning-rate factor at step {@code step} of {@code steps}: 1, or the half cosine. */
  float rateFactor(long step, long steps) {
    return cosine ? (float) (0.5 * (1 + Math.cos(Math.PI * step / Math.max(1, steps)))) : 1f;
  }
}
