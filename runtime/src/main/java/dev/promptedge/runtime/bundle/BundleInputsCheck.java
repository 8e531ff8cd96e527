package dev.promptedge.runtime.bundle;

import dev.promptedge.format.NamedTensor;
import dev.promptedge.format.PromptBundle;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.backbone.PromptSlot;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Checks a bundle's prompt tensors and head features against its card. Stateless. */
final class BundleInputsCheck {

  private BundleInputsCheck() {}

  /** Throws one {@link BundleException} naming the first prompt or head feature that is wrong. */
  static void check(PromptBundle bundle, CardFile card, String who) {
    if (bundle.getFormatVersion() == 1
        && (bundle.getPromptsCount() > 0 || bundle.getHeadFeaturesCount() > 0)) {
      throw new BundleException(
          "prompt_shape",
          who
              + " is format_version 1 but carries version 2 prompts or head_features: re-pack it"
              + " as version 2");
    }
    if (bundle.getFormatVersion() > 1 && bundle.hasPrompt()) {
      throw new BundleException(
          "prompt_shape",
          who
              + " is format_version "
              + bundle.getFormatVersion()
              + " but carries the version 1 prompt field; version 2 names its tensors in prompts:"
              + " re-pack it");
    }
    Set<String> seen = new HashSet<>();
    for (NamedTensor t : BundleInputs.named(bundle)) {
      String input = t.getInput();
      Optional<PromptSlot> slot = card.promptInput(input);
      if (slot.isEmpty()) {
        throw new BundleException(
            "prompt_shape",
            who
                + " carries a prompt for input '"
                + input
                + "' but backbone "
                + card.card().getName()
                + " has no such prompt input (it takes "
                + card.promptInputs().stream().map(PromptSlot::name).toList()
                + "): train or pack it for this backbone");
      }
      if (!seen.add(input)) {
        throw new BundleException(
            "prompt_shape", who + " carries two prompts for input '" + input + "': re-pack it");
      }
      List<Integer> shape = t.getTensor().getShapeList();
      long elements = shape.stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
      if (!shape.equals(slot.get().shape()) || elements != t.getTensor().getValuesCount()) {
        throw new BundleException(
            "prompt_shape",
            who
                + " has a prompt '"
                + input
                + "' of shape "
                + shape
                + " with "
                + t.getTensor().getValuesCount()
                + " values, but the backbone's "
                + slot.get().kind()
                + " input takes "
                + slot.get().shape()
                + ": re-pack it for this backbone");
      }
    }
    List<String> features = BundleInputs.headFeatures(bundle);
    if (features.isEmpty()) {
      throw new BundleException(
          "head_features", who + " names no head_features: re-pack it with the head's inputs");
    }
    Set<String> distinct = new HashSet<>();
    for (String name : features) {
      if (card.featureOutput(name).isEmpty()) {
        throw new BundleException(
            "head_features",
            who
                + "'s head reads feature output '"
                + name
                + "' but backbone "
                + card.card().getName()
                + " gives only "
                + card.featureOutputs().stream().map(f -> f.name()).toList()
                + ": train or pack it for this backbone");
      }
      if (!distinct.add(name)) {
        throw new BundleException(
            "head_features", who + " lists head feature '" + name + "' twice: re-pack it");
      }
    }
  }
}
