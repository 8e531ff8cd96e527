/**
 * Training on the host: prompt tuning, linear probes and full fine-tuning against a backbone's
 * float model executed by {@link dev.promptedge.tools.graph.GraphExecutor} with autograd, and the
 * pretraining of the demo backbone.
 *
 * <p>{@link dev.promptedge.tools.train.PromptTrainer} prepares every image with the runtime's
 * {@code Preprocessor} (letterbox + normalization exactly as on the device), computes per-cell
 * targets on the patch grid, and trains with a hand-written Adam: the prompt is a DJL array
 * broadcast over the batch, the head is the flatbuffer {@link
 * dev.promptedge.tools.graph.HeadBuilder} writes, run by a second executor with trainable weight
 * and bias, so the trained head is the one the device runs. Losses: detection is FCOS-style (a cell
 * is positive for the smallest box containing its centre; class cross-entropy and log-distance L1
 * on positives, objectness BCE everywhere), segmentation is per-cell cross-entropy against the
 * majority class of the letterboxed mask in the cell (255 and padding do not vote), classification
 * is cross-entropy on the pooled logits. Validation goes through a {@link
 * dev.promptedge.tools.train.Validator} (built-in: {@link
 * dev.promptedge.tools.train.MetricValidators}, the metrics of {@code promptedge eval}). After
 * every epoch an atomic checkpoint holds values, Adam moments, the best epoch and the curves;
 * resuming continues at the next epoch with the same state.
 *
 * <p>{@link dev.promptedge.tools.train.Pretrainer} trains every weight of the demo ViT from random
 * on per-patch classification plus multi-label scene classification of generated segmentation
 * scenes ({@link dev.promptedge.tools.train.PretrainModel} holds the two discarded heads); the
 * trained constants fit the shallow and the deep graph of the same spec.
 */
package dev.promptedge.tools.train;
