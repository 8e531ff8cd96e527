package dev.promptedge.tools.eval;

/**
 * Receives an evaluation's images and progress as they complete, on the evaluating thread. Both
 * methods default to doing nothing; a trainer validating each epoch passes {@link #NONE}.
 */
public interface EvalListener {

  /** A listener that ignores everything. */
  EvalListener NONE = new EvalListener() {};

  /** Called once per image, in split order. */
  default void onImage(ImageResult image) {}

  /** Called after each batch with the images done and the total. */
  default void onProgress(int done, int total) {}
}
