package dev.promptedge.runtime.task;

import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.HeadModel;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bundle ready to run: one prompt tensor per prompt input of the backbone (the kind's identity
 * where the bundle has none), its head interpreter and its post-processing. Reference-counted so
 * that an inference in flight keeps it open after it is evicted or replaced; the last {@link
 * #release()} closes the head.
 */
final class ResidentBundle {

  private final Bundle bundle;
  private final Map<String, float[]> prompts;
  private final HeadModel head;
  private final PostProcessor postProcessor;
  private final AtomicInteger refs = new AtomicInteger(1);

  ResidentBundle(
      Bundle bundle, Map<String, float[]> prompts, HeadModel head, PostProcessor postProcessor) {
    this.bundle = bundle;
    this.prompts = Map.copyOf(prompts);
    this.head = head;
    this.postProcessor = postProcessor;
  }

  Bundle bundle() {
    return bundle;
  }

  String name() {
    return bundle.name();
  }

  /** This bundle's tensor for prompt input {@code name}; every input of the backbone has one. */
  float[] prompt(String name) {
    return prompts.get(name);
  }

  HeadModel head() {
    return head;
  }

  PostProcessor postProcessor() {
    return postProcessor;
  }

  /** Estimated memory this bundle holds while resident: prompt floats plus the head's model. */
  long residentBytes() {
    long floats = prompts.values().stream().mapToLong(p -> p.length).sum();
    return floats * Float.BYTES + head.modelBytes();
  }

  /** Takes a reference; false when the bundle was already closed. */
  boolean retain() {
    while (true) {
      int current = refs.get();
      if (current == 0) {
        return false;
      }
      if (refs.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  /** Drops a reference; the last one closes the head interpreter. */
  void release() {
    int left = refs.decrementAndGet();
    if (left == 0) {
      head.close();
    } else if (left < 0) {
      throw new IllegalStateException("bundle '" + name() + "' released more often than retained");
    }
  }

  @Override
  public String toString() {
    return name() + " v" + bundle.version();
  }
}
