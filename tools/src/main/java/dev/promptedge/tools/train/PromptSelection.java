package dev.promptedge.tools.train;

import dev.promptedge.format.PromptKind;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.backbone.PromptSlot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which prompt inputs of a card learn, by kind: all of them, none (a linear probe of the head), or
 * the inputs of some kinds; the others stay at their kind's identity and are left out of the
 * bundle. Spelled on the command line as {@code all}, {@code none} or a comma list of {@code
 * pixel}, {@code channel} and {@code tokens}. Immutable.
 *
 * @param all every prompt input of the card learns ({@code kinds} is then empty)
 * @param kinds the kinds whose inputs learn when not {@code all}; empty = none
 */
public record PromptSelection(boolean all, Set<PromptKind> kinds) {

  /** Every prompt input of the card learns. */
  public static final PromptSelection ALL = new PromptSelection(true, Set.of());

  /** No prompt input learns. */
  public static final PromptSelection NONE = new PromptSelection(false, Set.of());

  public PromptSelection {
    kinds = kinds.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(kinds));
    if (all && !kinds.isEmpty()) {
      throw new IllegalArgumentException("'all' takes no list of kinds, got " + kinds);
    }
    if (kinds.contains(PromptKind.PROMPT_KIND_UNSPECIFIED)
        || kinds.contains(PromptKind.UNRECOGNIZED)) {
      throw new IllegalArgumentException("not a prompt kind: " + kinds);
    }
  }

  /** The inputs of {@code kinds} learn. */
  public static PromptSelection of(PromptKind... kinds) {
    return new PromptSelection(false, kinds.length == 0 ? Set.of() : EnumSet.of(kinds[0], kinds));
  }

  /**
   * The selection {@code text} spells ({@code all}, {@code none}, or kinds separated by commas),
   * checked against {@code card}.
   *
   * @throws IllegalArgumentException naming the card's prompt kinds when a word is no kind or the
   *     card has no input of a kind
   */
  public static PromptSelection parse(String text, CardFile card) {
    List<String> words = new ArrayList<>();
    for (String w : text.split(",", -1)) {
      words.add(w.trim().toLowerCase(Locale.ROOT));
    }
    PromptSelection selection;
    if (words.equals(List.of("all"))) {
      selection = ALL;
    } else if (words.equals(List.of("none"))) {
      selection = NONE;
    } else {
      Set<PromptKind> kinds = EnumSet.noneOf(PromptKind.class);
      for (String w : words) {
        PromptKind kind = kind(w);
        if (kind == null) {
          throw new IllegalArgumentException(
              "--prompts: "
                  + (w.equals("all") || w.equals("none")
                      ? "'" + w + "' stands alone, not in a list"
                      : "unknown prompt kind '" + w + "'")
                  + "; "
                  + kindsOf(card)
                  + "; use all, none, or a comma list of pixel, channel, tokens");
        }
        kinds.add(kind);
      }
      selection = new PromptSelection(false, kinds);
    }
    selection.check(card);
    return selection;
  }

  /**
   * Throws naming the card's prompt kinds when the card has no input of a selected kind.
   *
   * @throws IllegalArgumentException when a kind is missing from {@code card}
   */
  public void check(CardFile card) {
    Set<PromptKind> present =
        card.promptInputs().stream().map(PromptSlot::kind).collect(Collectors.toSet());
    for (PromptKind kind : kinds) {
      if (!present.contains(kind)) {
        throw new IllegalArgumentException(
            "--prompts "
                + cliName()
                + ": "
                + card.card().getName()
                + " has no "
                + cliName(kind)
                + " prompt input; "
                + kindsOf(card));
      }
    }
  }

  /**
   * The kinds of {@code card}'s prompt inputs for which {@code prompts} (a bundle's tensors by
   * input name) holds values other than the kind's identity: what a bundle learned, whether it left
   * its untrained inputs out or carried them as identities.
   */
  public static PromptSelection learned(CardFile card, java.util.Map<String, float[]> prompts) {
    Set<PromptKind> kinds = EnumSet.noneOf(PromptKind.class);
    for (PromptSlot slot : card.promptInputs()) {
      float[] values = prompts.get(slot.name());
      if (values != null && !java.util.Arrays.equals(values, slot.identity())) {
        kinds.add(slot.kind());
      }
    }
    return new PromptSelection(false, kinds);
  }

  /** No prompt input learns. */
  public boolean none() {
    return !all && kinds.isEmpty();
  }

  /** Whether inputs of {@code kind} learn. */
  public boolean trains(PromptKind kind) {
    return all || kinds.contains(kind);
  }

  /** The prompt inputs of {@code card} that learn, in card order. */
  public List<PromptSlot> trained(CardFile card) {
    return card.promptInputs().stream().filter(s -> trains(s.kind())).toList();
  }

  /** The command-line spelling: {@code all}, {@code none} or e.g. {@code pixel,channel}. */
  public String cliName() {
    if (all) {
      return "all";
    }
    if (kinds.isEmpty()) {
      return "none";
    }
    return ORDER.stream()
        .filter(kinds::contains)
        .map(PromptSelection::cliName)
        .collect(Collectors.joining(","));
  }

  /** The command-line word of {@code kind}: {@code pixel}, {@code channel} or {@code tokens}. */
  public static String cliName(PromptKind kind) {
    return switch (kind) {
      case PIXEL -> "pixel";
      case CHANNEL_SCALE_SHIFT -> "channel";
      case TOKENS -> "tokens";
      default -> kind.name().toLowerCase(Locale.ROOT);
    };
  }

  /** The kinds in the order they are spelled: from the input image inwards. */
  private static final List<PromptKind> ORDER =
      List.of(PromptKind.PIXEL, PromptKind.CHANNEL_SCALE_SHIFT, PromptKind.TOKENS);

  private static PromptKind kind(String word) {
    for (PromptKind k : ORDER) {
      if (cliName(k).equals(word) || k.name().toLowerCase(Locale.ROOT).equals(word)) {
        return k;
      }
    }
    return null;
  }

  /** E.g. {@code micro-cnn-v2 has prompt kinds pixel (pixel_prompt), channel (scale_shift_0)}. */
  static String kindsOf(CardFile card) {
    List<PromptSlot> slots = card.promptInputs();
    if (slots.isEmpty()) {
      return card.card().getName() + " has no prompt inputs (only --prompts none fits it)";
    }
    List<String> parts = new ArrayList<>();
    for (PromptKind kind : slots.stream().map(PromptSlot::kind).distinct().toList()) {
      List<String> names =
          slots.stream().filter(s -> s.kind() == kind).map(PromptSlot::name).toList();
      if (!names.isEmpty()) {
        parts.add(cliName(kind) + " (" + String.join(", ", names) + ")");
      }
    }
    return card.card().getName() + " has prompt kinds " + String.join(", ", parts);
  }

  @Override
  public String toString() {
    return cliName();
  }
}
