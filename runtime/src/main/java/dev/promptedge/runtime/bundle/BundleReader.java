package dev.promptedge.runtime.bundle;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.PostProcessing;
import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.SignedBundle;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.CardFile;

/**
 * Parses bundle files and checks them against one backbone card, refusing anything that could not
 * run on it with one {@link BundleException} per problem. Stateless and thread-safe.
 */
public final class BundleReader {

  /**
   * Newest format version of {@link PromptBundle} this runtime reads (it reads 1 too) and writes.
   */
  public static final int FORMAT_VERSION = 2;

  /** Format version of the {@link SignedBundle} envelope this runtime knows. */
  public static final int ENVELOPE_VERSION = 1;

  /** Default largest bundle accepted, in bytes. */
  public static final long DEFAULT_MAX_BYTES = 4L << 20;

  /** File name suffix of bundles. */
  public static final String SUFFIX = ".bundle";

  private final CardFile card;
  private final long maxBytes;

  /**
   * A reader for bundles meant for {@code card}'s backbone, refusing files over {@code maxBytes}.
   */
  public BundleReader(CardFile card, long maxBytes) {
    this.card = card;
    this.maxBytes = maxBytes;
  }

  /**
   * Parses and checks a serialized {@link SignedBundle}. Signatures are not verified here.
   *
   * @throws BundleException naming the first problem found
   */
  public Bundle read(byte[] bytes) {
    Bundle bundle = parse(bytes, maxBytes);
    check(bundle.bundle());
    return bundle;
  }

  /**
   * Parses a serialized {@link SignedBundle} and its {@link PromptBundle} with the format checks
   * only (size, bytes, versions), for tools that show a bundle without a backbone at hand.
   *
   * @throws BundleException naming the first problem found
   */
  public static Bundle parse(byte[] bytes, long maxBytes) {
    SignedBundle envelope = envelope(bytes, maxBytes);
    return new Bundle(envelope, parseBundle(envelope), bytes.length);
  }

  /**
   * Parses only the {@link SignedBundle} envelope (size and format version), leaving the signed
   * payload unparsed — for checking signatures before the payload is trusted enough to be parsed.
   *
   * @throws BundleException naming the first problem found
   */
  public static SignedBundle envelope(byte[] bytes, long maxBytes) {
    checkSize("bundle", bytes.length, maxBytes);
    return parseEnvelope(bytes);
  }

  /**
   * The size rule, the one place for every bundle: the file itself here, an update's declared
   * length before it is fetched.
   *
   * @param who the bundle as a message names it, e.g. {@code "bundle 'shapes' v2"}
   * @throws BundleException {@code too_large} when {@code length} is over {@code maxBytes}
   */
  public static void checkSize(String who, long length, long maxBytes) {
    if (length > maxBytes) {
      throw new BundleException(
          "too_large",
          who
              + " is "
              + length
              + " bytes, over the cap of "
              + maxBytes
              + " bytes (store.max_bundle_bytes): shrink the head or raise the cap");
    }
  }

  private static SignedBundle parseEnvelope(byte[] bytes) {
    SignedBundle envelope;
    try {
      envelope = SignedBundle.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw corrupt("the file does not parse as a SignedBundle");
    }
    if (envelope.getFormatVersion() != ENVELOPE_VERSION) {
      if (envelope.getFormatVersion() == 0 || envelope.getBundle().isEmpty()) {
        throw corrupt("it has no format version or no bundle inside");
      }
      throw unknownVersion("SignedBundle", envelope.getFormatVersion(), ENVELOPE_VERSION);
    }
    return envelope;
  }

  private static PromptBundle parseBundle(SignedBundle envelope) {
    PromptBundle bundle;
    try {
      bundle = PromptBundle.parseFrom(envelope.getBundle());
    } catch (InvalidProtocolBufferException e) {
      throw corrupt("the signed payload does not parse as a PromptBundle");
    }
    if (bundle.getFormatVersion() < 1 || bundle.getFormatVersion() > FORMAT_VERSION) {
      if (bundle.getFormatVersion() == 0) {
        throw corrupt("the PromptBundle inside has no format version");
      }
      throw unknownVersion("PromptBundle", bundle.getFormatVersion(), FORMAT_VERSION);
    }
    return bundle;
  }

  private static BundleException corrupt(String what) {
    return new BundleException(
        "corrupt",
        "not a valid prompt bundle: "
            + what
            + " (truncated or corrupt bytes); fetch it again or re-pack it with promptedge bundle"
            + " pack");
  }

  private static BundleException unknownVersion(String message, int version, int newest) {
    return new BundleException(
        "unknown_version",
        message
            + " format_version "
            + version
            + " is not one this runtime reads (up to "
            + newest
            + "): "
            + (version > newest
                ? "update PromptEdge on this device"
                : "re-pack it with this promptedge"));
  }

  private void check(PromptBundle bundle) {
    String name = bundle.getName();
    BundleNames.check(name, "bundle name");
    BundleNames.checkVersion(name, bundle.getVersion());
    String who = "bundle '" + name + "' v" + bundle.getVersion();
    TaskKind task = bundle.getTask();
    if (task == TaskKind.TASK_KIND_UNSPECIFIED || task == TaskKind.UNRECOGNIZED) {
      throw new BundleException(
          "unknown_task_kind",
          who
              + " has unknown task kind "
              + bundle.getTaskValue()
              + "; this runtime runs DETECTION, SEGMENTATION and CLASSIFICATION: update PromptEdge"
              + " or re-pack the bundle");
    }
    BackboneCard c = card.card();
    if (!bundle.getBackboneSha256().equals(c.getFloatModel().getSha256())) {
      throw new BundleException(
          "wrong_backbone",
          who
              + " was trained for backbone "
              + abbreviate(bundle.getBackboneSha256())
              + " but this device runs "
              + c.getName()
              + " ("
              + abbreviate(c.getFloatModel().getSha256())
              + "): train or pack it against this backbone's card");
    }
    BundleInputsCheck.check(bundle, card, who);
    int labels = bundle.getLabelsCount();
    if (labels == 0) {
      throw new BundleException("no_labels", who + " has no labels: pack it with --labels");
    }
    if (bundle.getHead().isEmpty()) {
      throw new BundleException("no_head", who + " has no head model: pack it with a head");
    }
    checkPostProcessing(bundle, who);
    if (!bundle.hasSelfTest() || bundle.getSelfTest().getInputPng().isEmpty()) {
      throw new BundleException(
          "no_self_test", who + " carries no self-test: re-pack it with promptedge bundle pack");
    }
  }

  private static void checkPostProcessing(PromptBundle bundle, String who) {
    var kind = bundle.getPostProcessing().getKindCase();
    boolean matches =
        switch (bundle.getTask()) {
          case DETECTION -> kind == PostProcessing.KindCase.DETECTION;
          case SEGMENTATION -> kind == PostProcessing.KindCase.SEGMENTATION;
          case CLASSIFICATION -> kind == PostProcessing.KindCase.CLASSIFICATION;
          default -> false;
        };
    if (!matches) {
      throw new BundleException(
          "post_processing",
          who
              + " is a "
              + bundle.getTask()
              + " bundle but carries "
              + kind
              + " post-processing parameters: re-pack it");
    }
  }

  static String abbreviate(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) + "…" : (sha.isEmpty() ? "(none)" : sha);
  }

  @Override
  public String toString() {
    return "BundleReader[" + card.card().getName() + ", max " + maxBytes + " bytes]";
  }
}
