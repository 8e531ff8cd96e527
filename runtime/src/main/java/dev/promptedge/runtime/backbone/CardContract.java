package dev.promptedge.runtime.backbone;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.FeatureOutput;
import dev.promptedge.format.PromptInput;
import dev.promptedge.format.PromptKind;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The v2 view of a card's prompt inputs and feature outputs, and the checks that make it possible.
 * The only place that reads the v1 fields {@code patch_size}, {@code prompt_tokens}, {@code
 * prompt_layers} and {@code embed_dim}. Stateless.
 */
final class CardContract {

  /** The prompt input a v1 card's model takes. */
  static final String V1_PROMPT = "prompt";

  /** The feature output a v1 card's model gives. */
  static final String V1_FEATURES = "features";

  /** Most values one sample's prompt input or feature output may hold (64 MB of float32). */
  static final long MAX_PROMPT_VALUES = 1L << 24;

  private CardContract() {}

  /** The card's prompt inputs; a v1 card has one TOKENS input {@code prompt} [L, P, D]. */
  static List<PromptSlot> prompts(BackboneCard card) {
    if (card.getFormatVersion() == 1) {
      return List.of(
          new PromptSlot(
              V1_PROMPT,
              PromptKind.TOKENS,
              List.of(card.getPromptLayers(), card.getPromptTokens(), card.getEmbedDim()),
              ""));
    }
    return card.getPromptInputsList().stream()
        .map(p -> new PromptSlot(p.getName(), p.getKind(), p.getShapeList(), p.getPlacement()))
        .toList();
  }

  /** The card's feature outputs; a v1 card has one, {@code features}, on the patch grid. */
  static List<FeatureMap> features(BackboneCard card) {
    if (card.getFormatVersion() == 1) {
      int patch = card.getPatchSize();
      return List.of(
          new FeatureMap(
              V1_FEATURES,
              patch,
              card.getEmbedDim(),
              card.getInputHeight() / patch,
              card.getInputWidth() / patch));
    }
    return card.getFeatureOutputsList().stream()
        .map(
            f ->
                new FeatureMap(
                    f.getName(), f.getStride(), f.getChannels(), f.getHeight(), f.getWidth()))
        .toList();
  }

  /** Checks the v1 fields of a version 1 card. */
  static void checkV1(BackboneCard card, String where) {
    positive(where, "patch_size", card.getPatchSize());
    positive(where, "embed_dim", card.getEmbedDim());
    positive(where, "prompt_tokens", card.getPromptTokens());
    positive(where, "prompt_layers", card.getPromptLayers());
    if (card.getInputHeight() % card.getPatchSize() != 0
        || card.getInputWidth() % card.getPatchSize() != 0) {
      throw new BackboneException(
          "backbone card "
              + where
              + ": input "
              + card.getInputWidth()
              + "x"
              + card.getInputHeight()
              + " is not a whole number of "
              + card.getPatchSize()
              + "-pixel patches");
    }
  }

  /** Checks the prompt inputs and feature outputs of a version 2 card. */
  static void checkV2(BackboneCard card, String where) {
    Set<String> names = new HashSet<>();
    names.add(Backbone.PIXELS);
    for (PromptInput p : card.getPromptInputsList()) {
      String what = "prompt input '" + p.getName() + "'";
      unique(where, names, p.getName(), "prompt input");
      List<Integer> shape = p.getShapeList();
      long values = 1;
      for (int d : shape) {
        positive(where, what + " shape", d);
        values *= d;
        if (values > MAX_PROMPT_VALUES) {
          throw bad(
              where,
              what + " " + shape + " holds more than " + MAX_PROMPT_VALUES + " values per sample");
        }
      }
      switch (p.getKind()) {
        case TOKENS -> {
          if (shape.size() != 3) {
            throw bad(where, what + " is TOKENS, whose shape is [L, P, D], but has " + shape);
          }
        }
        case CHANNEL_SCALE_SHIFT -> {
          if (shape.size() != 2 || shape.get(0) != 2) {
            throw bad(
                where,
                what
                    + " is CHANNEL_SCALE_SHIFT, whose shape is [2, C] (gamma, beta), but has "
                    + shape);
          }
          if (p.getPlacement().isBlank()) {
            throw bad(where, what + " is CHANNEL_SCALE_SHIFT but names no placement tensor");
          }
        }
        case PIXEL -> {
          List<Integer> pixel = List.of(card.getInputHeight(), card.getInputWidth(), 3);
          if (!shape.equals(pixel)) {
            throw bad(
                where,
                what + " is PIXEL, whose shape is the input's " + pixel + ", but has " + shape);
          }
        }
        default ->
            throw bad(
                where,
                what
                    + " has unknown kind "
                    + p.getKindValue()
                    + "; this runtime knows TOKENS, CHANNEL_SCALE_SHIFT and PIXEL: update"
                    + " PromptEdge");
      }
    }
    if (card.getFeatureOutputsCount() == 0) {
      throw bad(where, "a version 2 card needs at least one feature output (feature_outputs)");
    }
    for (FeatureOutput f : card.getFeatureOutputsList()) {
      String what = "feature output '" + f.getName() + "'";
      unique(where, names, f.getName(), "feature output");
      positive(where, what + " stride", f.getStride());
      positive(where, what + " channels", f.getChannels());
      positive(where, what + " height", f.getHeight());
      positive(where, what + " width", f.getWidth());
      if ((long) f.getHeight() * f.getWidth() * f.getChannels() > MAX_PROMPT_VALUES) {
        throw bad(where, what + " holds more than " + MAX_PROMPT_VALUES + " values per sample");
      }
    }
  }

  private static void unique(String where, Set<String> names, String name, String what) {
    if (name.isBlank()) {
      throw bad(where, "a " + what + " has no name");
    }
    if (!names.add(name)) {
      throw bad(
          where,
          what
              + " name '"
              + name
              + "' is used twice (names of pixels, prompt inputs and feature outputs must differ)");
    }
  }

  static void positive(String where, String field, int value) {
    if (value <= 0) {
      throw bad(where, field + " must be positive, got " + value);
    }
  }

  private static BackboneException bad(String where, String what) {
    return new BackboneException("backbone card " + where + ": " + what);
  }
}
