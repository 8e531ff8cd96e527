package dev.promptedge.tools.importer;

import dev.promptedge.format.Normalization;
import dev.promptedge.runtime.backbone.BackboneException;
import dev.promptedge.runtime.backbone.CardFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The pixel normalization an imported card records, from {@code --normalization}: {@code auto} (the
 * card next to the source, {@code STEM.card.textproto}, else ImageNet), {@code mean,std} for all
 * three channels, or {@code mR,mG,mB,sR,sG,sB}; values in units of rgb / 255.
 *
 * @param normalization what the card records
 * @param reason where it came from, in words (printed and kept in the provenance)
 */
public record CardNormalization(Normalization normalization, String reason) {

  /** ImageNet's per-channel mean, R, G, B, in units of rgb / 255. */
  static final List<Float> IMAGENET_MEAN = List.of(0.485f, 0.456f, 0.406f);

  /** ImageNet's per-channel standard deviation, R, G, B, in units of rgb / 255. */
  static final List<Float> IMAGENET_STD = List.of(0.229f, 0.224f, 0.225f);

  /**
   * Resolves {@code spec} for the source model {@code source}.
   *
   * @throws ImportException when {@code spec} is neither auto nor 2 or 6 numbers with positive stds
   */
  public static CardNormalization resolve(String spec, Path source) {
    if (spec.equals("auto")) {
      Path card = sourceCard(source);
      if (card != null) {
        try {
          return new CardNormalization(
              CardFile.read(card).card().getNormalization(), "as the source's card " + card);
        } catch (BackboneException e) {
          throw new ImportException(
              "--normalization auto: " + e.getMessage() + "; or pass --normalization mean,std");
        }
      }
      return new CardNormalization(
          of(IMAGENET_MEAN, IMAGENET_STD),
          "the source states no normalization: ImageNet mean/std assumed; pass --normalization"
              + " mean,std if the network was trained otherwise");
    }
    List<Float> v = new ArrayList<>();
    for (String part : spec.split(",", -1)) {
      try {
        v.add(Float.parseFloat(part.trim()));
      } catch (NumberFormatException e) {
        v.clear();
        break;
      }
    }
    boolean finite = v.stream().allMatch(f -> Float.isFinite(f));
    if (!finite || (v.size() != 2 && v.size() != 6)) {
      throw new ImportException(
          "--normalization takes auto, mean,std or mR,mG,mB,sR,sG,sB (units of rgb/255), got '"
              + spec
              + "'");
    }
    List<Float> mean = v.size() == 2 ? List.of(v.get(0), v.get(0), v.get(0)) : v.subList(0, 3);
    List<Float> std = v.size() == 2 ? List.of(v.get(1), v.get(1), v.get(1)) : v.subList(3, 6);
    if (!std.stream().allMatch(s -> s > 0)) {
      throw new ImportException("--normalization: every std must be positive, got " + std);
    }
    return new CardNormalization(of(mean, std), "as given by --normalization " + spec);
  }

  private static Path sourceCard(Path source) {
    String file = source.getFileName().toString();
    int dot = file.lastIndexOf('.');
    Path card = source.resolveSibling((dot > 0 ? file.substring(0, dot) : file) + CardFile.SUFFIX);
    return Files.isRegularFile(card) ? card : null;
  }

  private static Normalization of(List<Float> mean, List<Float> std) {
    return Normalization.newBuilder().addAllMean(mean).addAllStd(std).build();
  }
}
