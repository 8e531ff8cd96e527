package dev.promptedge.runtime.bundle;

import com.google.protobuf.ByteString;
import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.SignedBundle;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.engine.SignatureRunner;
import dev.promptedge.runtime.fuzz.Mutator;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The child-JVM side of the byte-flip sweep over a real bundle's head: every byte XOR 0xFF, every
 * byte XOR 0x80, then seeded mutations; each mutant is opened and run once. A native abort kills
 * this JVM, so it prints {@code S i} before case {@code i} and {@code R i outcome} after it: the
 * parent ({@link HeadSweepRunner}) sees which case it died on and restarts after it.
 *
 * <p>Modes: {@code verified} opens through {@link HeadModel#open} (outcomes {@code ok}, {@code
 * refused:CODE}, {@code nonfinite} or {@code finding:EXCEPTION}); {@code unverified} opens the
 * bytes straight in the interpreter, as the runtime did before the verifier ({@code ok} or {@code
 * threw:EXCEPTION}).
 */
final class HeadSweep {

  /** Flip patterns applied to every byte in turn. */
  static final int[] PATTERNS = {0xFF, 0x80};

  /** Seed of the mutations after the flips. */
  static final long SEED = 13;

  private HeadSweep() {}

  /** The mutants of {@code head}: flips per pattern and offset, then {@code mutations} more. */
  static List<byte[]> cases(byte[] head, int mutations) {
    List<byte[]> cases = new ArrayList<>();
    for (int pattern : PATTERNS) {
      for (int at = 0; at < head.length; at++) {
        byte[] flipped = head.clone();
        flipped[at] ^= (byte) pattern;
        cases.add(flipped);
      }
    }
    cases.addAll(Mutator.mutants(List.of(head), SEED, mutations));
    return cases;
  }

  /** What case {@code index} is, for a failure message. */
  static String describe(int index, int headLength) {
    int flips = PATTERNS.length * headLength;
    if (index < flips) {
      return String.format("byte %d XOR 0x%02X", index % headLength, PATTERNS[index / headLength]);
    }
    return "mutation " + (index - flips) + " of seed " + SEED;
  }

  static PromptBundle bundle(Path file) throws Exception {
    return PromptBundle.parseFrom(SignedBundle.parseFrom(Files.readAllBytes(file)).getBundle());
  }

  /** Arguments: mode, bundle file, card file, mutations, first case. */
  public static void main(String[] args) throws Exception {
    boolean verified = args[0].equals("verified");
    PromptBundle bundle = bundle(Path.of(args[1]));
    CardFile card = CardFile.read(Path.of(args[2]));
    List<byte[]> cases = cases(bundle.getHead().toByteArray(), Integer.parseInt(args[3]));
    InterpreterConfig config = new InterpreterConfig(1, true, Optional.empty());
    float[] features = features(card);
    PrintStream out = System.out;
    for (int i = Integer.parseInt(args[4]); i < cases.size(); i++) {
      out.println("S " + i);
      out.flush();
      String outcome =
          verified
              ? verified(bundle, cases.get(i), card, config, features)
              : unverified(cases.get(i), config, features);
      out.println("R " + i + " " + outcome);
      out.flush();
    }
    out.println("DONE");
    out.flush();
  }

  static float[] features(CardFile card) {
    float[] features = new float[card.featureOutputs().get(0).size()];
    for (int i = 0; i < features.length; i++) {
      features[i] = (float) Math.sin(0.37 * i);
    }
    return features;
  }

  static String verified(
      PromptBundle bundle, byte[] head, CardFile card, InterpreterConfig config, float[] features) {
    PromptBundle mutant = bundle.toBuilder().setHead(ByteString.copyFrom(head)).build();
    try (HeadModel model = HeadModel.open(mutant, card, config)) {
      for (float v : model.run(Map.of(BundleInputs.V1_FEATURES, features), 1)) {
        if (!Float.isFinite(v)) {
          return "nonfinite";
        }
      }
      return "ok";
    } catch (BundleException e) {
      return "refused:" + e.code();
    } catch (RuntimeException e) {
      return "finding:" + e.toString().replace('\n', ' ');
    }
  }

  static String unverified(byte[] head, InterpreterConfig config, float[] features) {
    ByteBuffer model = ByteBuffer.allocateDirect(head.length).order(ByteOrder.nativeOrder());
    model.put(head).rewind();
    try (SignatureRunner runner = SignatureRunner.open(model, HeadModel.SIGNATURE, config)) {
      runner.run(Map.of(BundleInputs.V1_FEATURES, features), 1);
      return "ok";
    } catch (RuntimeException e) {
      return "threw:" + e.getClass().getSimpleName();
    }
  }
}
