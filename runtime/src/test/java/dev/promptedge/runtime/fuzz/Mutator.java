package dev.promptedge.runtime.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * A seeded mutational fuzz loop for the default test run, next to Jazzer's coverage-guided one: bit
 * flips, interesting bytes, truncation, insertion, chunk duplication and splicing of seed inputs.
 * Deterministic for a given seed, so a failure names an input that reproduces.
 */
public final class Mutator {

  /** What a target may throw: the documented refusal. Anything else is a finding. */
  public interface Target {
    void run(byte[] input) throws Exception;
  }

  private static final byte[] INTERESTING = {0, 1, 0x7f, (byte) 0x80, (byte) 0xff, 0x08, 0x12};

  private Mutator() {}

  /**
   * Runs {@code target} on every seed and on {@code count} mutants of them; throws an {@link
   * AssertionError} naming the input (base64) when the target throws something other than {@code
   * allowed}.
   */
  public static int run(
      List<byte[]> seeds, long seed, int count, Class<? extends Throwable> allowed, Target target) {
    Random random = new Random(seed);
    List<byte[]> inputs = new ArrayList<>(seeds);
    inputs.add(new byte[0]);
    for (int i = 0; i < count; i++) {
      inputs.add(mutate(seeds.get(random.nextInt(seeds.size())), seeds, random));
    }
    for (byte[] input : inputs) {
      try {
        target.run(input);
      } catch (Throwable t) {
        if (!allowed.isInstance(t)) {
          throw new AssertionError(
              "finding: "
                  + t
                  + " (only "
                  + allowed.getSimpleName()
                  + " is allowed) for input base64:"
                  + Base64.getEncoder().encodeToString(input),
              t);
        }
      }
    }
    return inputs.size();
  }

  /** The {@code count} mutants of {@code seeds} that {@link #run} with {@code seed} would try. */
  public static List<byte[]> mutants(List<byte[]> seeds, long seed, int count) {
    Random random = new Random(seed);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(mutate(seeds.get(random.nextInt(seeds.size())), seeds, random));
    }
    return out;
  }

  static byte[] mutate(byte[] seed, List<byte[]> seeds, Random random) {
    byte[] data = seed.clone();
    int steps = 1 + random.nextInt(4);
    for (int s = 0; s < steps; s++) {
      if (data.length == 0) {
        data = new byte[] {(byte) random.nextInt(256)};
        continue;
      }
      int at = random.nextInt(data.length);
      switch (random.nextInt(7)) {
        case 0:
          data[at] ^= (byte) (1 << random.nextInt(8));
          break;
        case 1:
          data[at] = INTERESTING[random.nextInt(INTERESTING.length)];
          break;
        case 2:
          data = Arrays.copyOf(data, at);
          break;
        case 3:
          {
            byte[] extra = new byte[1 + random.nextInt(8)];
            random.nextBytes(extra);
            data = splice(data, at, extra);
            break;
          }
        case 4:
          {
            int len = Math.min(data.length - at, 1 + random.nextInt(32));
            data = splice(data, at, Arrays.copyOfRange(data, at, at + len));
            break;
          }
        case 5:
          {
            byte[] other = seeds.get(random.nextInt(seeds.size()));
            int from = other.length == 0 ? 0 : random.nextInt(other.length);
            data =
                splice(Arrays.copyOf(data, at), at, Arrays.copyOfRange(other, from, other.length));
            break;
          }
        default:
          // A large varint: provokes huge declared lengths in protobuf and image headers.
          data = splice(data, at, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f});
      }
    }
    return data;
  }

  private static byte[] splice(byte[] data, int at, byte[] insert) {
    byte[] out = new byte[data.length + insert.length];
    System.arraycopy(data, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(data, at, out, at + insert.length, data.length - at);
    return out;
  }
}
