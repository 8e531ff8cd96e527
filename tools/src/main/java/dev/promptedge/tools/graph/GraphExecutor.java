package dev.promptedge.tools.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.lite.schema.TensorType;

/**
 * Executes a {@link TfliteGraph} on DJL NDArrays (PyTorch engine, CPU), with autograd. Constants
 * are created once as frozen arrays in the executor's manager and reused by every forward; the ones
 * named trainable require gradients instead; signature inputs named as gradient inputs get {@code
 * setRequiresGradient(true)}. Each forward runs in a sub-manager that is closed before it returns,
 * so nothing but the outputs outlives it. Not thread-safe (one forward at a time); close it to free
 * the constants.
 *
 * <pre>{@code
 * try (GraphExecutor exec = GraphExecutor.builder(TfliteGraph.read(bytes, "encode")).build()) {
 *   Map<String, float[]> out = exec.run(Map.of("pixels", pixels, "prompt", prompt), batch);
 * }
 * }</pre>
 */
public final class GraphExecutor implements AutoCloseable {

  private record Step(Kernel kernel, int[] inputs, int output) {}

  private final TfliteGraph graph;
  private final NDManager manager;
  private final DataType precision;
  private final NDArray[] constants;
  private final NDArray[] resident;
  private final Map<String, NDArray> parameters = new LinkedHashMap<>();
  private final Set<String> gradientInputs;
  private final List<Step> steps = new ArrayList<>();
  private boolean closed;

  private GraphExecutor(Builder b) {
    this.graph = b.graph;
    this.precision = b.precision;
    this.gradientInputs = Set.copyOf(b.gradientInputs);
    for (String name : gradientInputs) {
      graph.shapeOf(name); // throws naming the signature's tensors
    }
    Set<String> trainable = new LinkedHashSet<>(b.trainable);
    this.manager = PyTorch.newManager();
    try {
      List<TfliteGraph.Tensor> tensors = graph.tensors();
      constants = new NDArray[tensors.size()];
      List<NDArray> kept = new ArrayList<>();
      for (TfliteGraph.Tensor t : tensors) {
        if (t.isConstant() && t.type() == TensorType.FLOAT32) {
          NDArray array = manager.create(t.floats(), shapeOf(t.shapeSignature()));
          if (precision != DataType.FLOAT32) {
            NDArray cast = array.toType(precision, false);
            array.close();
            array = cast;
          }
          if (trainable.remove(t.name())) {
            array.setRequiresGradient(true);
            parameters.put(t.name(), array);
          }
          constants[t.index()] = array;
          kept.add(array);
        }
      }
      if (!trainable.isEmpty()) {
        throw new IllegalArgumentException(
            "no float32 constants named "
                + trainable
                + " to train; the model's constants are "
                + graph.constantNames());
      }
      for (TfliteGraph.Node node : graph.nodes()) {
        KernelContext context = new KernelContext(node, tensors, manager, precision, kept);
        steps.add(new Step(Kernels.compile(context), node.inputs(), node.outputs()[0]));
      }
      this.resident = kept.toArray(NDArray[]::new);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * Sets the CPU threads every executor's operators use (PyTorch intra-op threads; inter-op threads
   * become 1 when this is called before the engine starts); process-wide, call it before building
   * executors. Without a call PyTorch uses one thread per core. On a shared machine also set the
   * environment variable {@code OMP_WAIT_POLICY=PASSIVE} before the JVM starts ({@code
   * bin/promptedge} does): PyTorch's OpenMP threads otherwise spin between operators and, when
   * other processes hold the cores, each operator waits for a descheduled spinning thread.
   *
   * @return the threads before the call, to restore them
   */
  public static int setThreads(int threads) {
    return PyTorch.threads(threads);
  }

  /** The CPU threads executors' operators use. */
  public static int threads() {
    return PyTorch.threads();
  }

  /** Starts an executor over {@code graph}: float32, all constants frozen. */
  public static Builder builder(TfliteGraph graph) {
    return new Builder(graph);
  }

  /**
   * Runs the graph on {@code inputs} (every signature input, batch first) and returns every
   * signature output attached to {@code scope}. Autograd records the forward when it runs inside a
   * {@code GradientCollector}.
   */
  public Map<String, NDArray> forward(NDManager scope, Map<String, NDArray> inputs) {
    ensureOpen();
    try (NDManager sub = manager.newSubManager()) {
      sub.tempAttachAll(resident);
      Set<NDArray> lent = Collections.newSetFromMap(new IdentityHashMap<>());
      NDArray[] values = constants.clone();
      for (Map.Entry<String, Integer> input : graph.inputIndices().entrySet()) {
        NDArray given = inputs.get(input.getKey());
        if (given == null) {
          throw new IllegalArgumentException(
              "input '" + input.getKey() + "' is missing; the signature needs " + inputs());
        }
        boolean cast = given.getDataType() != precision;
        if (gradientInputs.contains(input.getKey())) {
          if (cast) {
            // DJL's toType is not recorded by autograd: the gradient would stop at the cast.
            throw new IllegalArgumentException(
                "input '"
                    + input.getKey()
                    + "' is "
                    + given.getDataType()
                    + " but the executor computes in "
                    + precision
                    + "; create it as "
                    + precision
                    + " so its gradient reaches it");
          }
          if (!given.hasGradient()) {
            given.setRequiresGradient(true);
          }
        }
        if (lent.add(given)) {
          sub.tempAttachAll(given);
        }
        values[input.getValue()] = cast ? given.toType(precision, false) : given;
      }
      for (Step step : steps) {
        NDArray[] args = new NDArray[step.inputs.length];
        for (int i = 0; i < args.length; i++) {
          int index = step.inputs[i];
          args[i] = index < 0 ? null : values[index];
        }
        values[step.output] = step.kernel.apply(args);
      }
      Map<String, NDArray> outputs = new LinkedHashMap<>();
      for (Map.Entry<String, Integer> output : graph.outputIndices().entrySet()) {
        NDArray value = values[output.getValue()];
        NDArray owned =
            lent.contains(value) || constants[output.getValue()] != null
                ? value.duplicate()
                : value;
        owned.attach(scope);
        outputs.put(output.getKey(), owned);
      }
      return outputs;
    }
  }

  /**
   * Runs a batch of {@code batch} samples given as row-major float arrays and returns every output
   * as a float array; no arrays outlive the call.
   */
  public Map<String, float[]> run(Map<String, float[]> inputs, int batch) {
    ensureOpen();
    try (NDManager scope = manager.newSubManager()) {
      Map<String, NDArray> arrays = new LinkedHashMap<>();
      for (String name : graph.inputNames()) {
        float[] values = inputs.get(name);
        Shape shape = batchShape(name, batch);
        if (values == null || values.length != shape.size()) {
          throw new IllegalArgumentException(
              "input '"
                  + name
                  + "' needs "
                  + shape.size()
                  + " floats for batch "
                  + batch
                  + " "
                  + shape
                  + ", got "
                  + (values == null ? "none" : values.length));
        }
        NDArray array = scope.create(values, shape);
        arrays.put(name, precision == DataType.FLOAT32 ? array : array.toType(precision, false));
      }
      Map<String, float[]> results = new LinkedHashMap<>();
      for (Map.Entry<String, NDArray> out : forward(scope, arrays).entrySet()) {
        results.put(out.getKey(), out.getValue().toType(DataType.FLOAT32, false).toFloatArray());
      }
      return results;
    }
  }

  /** The shape of signature tensor {@code name} for {@code batch} samples. */
  public Shape batchShape(String name, int batch) {
    int[] declared = graph.shapeOf(name);
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, got " + batch);
    }
    if (declared.length == 0 || (declared[0] != -1 && declared[0] != batch)) {
      throw new IllegalArgumentException(
          "input '"
              + name
              + "' has a fixed batch "
              + Arrays.toString(declared)
              + "; run it with batch "
              + (declared.length == 0 ? "-" : declared[0]));
    }
    long[] shape = new long[declared.length];
    shape[0] = batch;
    for (int i = 1; i < shape.length; i++) {
      if (declared[i] < 0) {
        throw new IllegalArgumentException(
            "input '" + name + "' has a dynamic dimension " + i + "; pass NDArrays to forward");
      }
      shape[i] = declared[i];
    }
    return new Shape(shape);
  }

  /** The live array of trainable constant {@code name} (its gradient after a backward pass). */
  public NDArray parameter(String name) {
    ensureOpen();
    NDArray p = parameters.get(name);
    if (p == null) {
      throw new IllegalArgumentException(
          "'" + name + "' is not trainable here; trainable constants are " + parameters.keySet());
    }
    return p;
  }

  /** Names of the trainable constants, in tensor order. */
  public List<String> trainable() {
    return List.copyOf(parameters.keySet());
  }

  /** The current values of trainable constant {@code name}, row-major float32. */
  public float[] parameterValues(String name) {
    return parameter(name).toType(DataType.FLOAT32, false).toFloatArray();
  }

  /**
   * A gradient collector of the executor's engine: run {@link #forward} inside it, then {@code
   * backward(loss)}; close it after use.
   */
  public GradientCollector newGradientCollector() {
    ensureOpen();
    return manager.getEngine().newGradientCollector();
  }

  /** The data type the executor computes in (FLOAT32, or FLOAT64 for gradient checks). */
  public DataType precision() {
    return precision;
  }

  /** The graph this executor runs. */
  public TfliteGraph graph() {
    return graph;
  }

  /** The manager that owns the constants; callers may create inputs in a sub-manager of it. */
  public NDManager manager() {
    ensureOpen();
    return manager;
  }

  private String inputs() {
    return graph.inputNames().toString();
  }

  private static Shape shapeOf(int[] dims) {
    return new Shape(Arrays.stream(dims).asLongStream().toArray());
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("graph executor is closed");
    }
  }

  /** Frees every array the executor owns; idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      manager.close();
    }
  }

  /** Configuration of a {@link GraphExecutor}; required: the graph. */
  public static final class Builder {
    private final TfliteGraph graph;
    private DataType precision = DataType.FLOAT32;
    private final Set<String> trainable = new LinkedHashSet<>();
    private final Set<String> gradientInputs = new LinkedHashSet<>();

    private Builder(TfliteGraph graph) {
      this.graph = graph;
    }

    /** Computes in {@code FLOAT32} (default) or {@code FLOAT64} (for gradient checks). */
    public Builder optPrecision(DataType precision) {
      if (precision != DataType.FLOAT32 && precision != DataType.FLOAT64) {
        throw new IllegalArgumentException(
            "precision must be FLOAT32 or FLOAT64, got " + precision);
      }
      this.precision = precision;
      return this;
    }

    /** Makes the named float32 constants require gradients (fine-tuning, pretraining). */
    public Builder optTrainable(Collection<String> constantNames) {
      trainable.addAll(constantNames);
      return this;
    }

    /** Makes the named signature inputs (e.g. {@code prompt}) require gradients in forward. */
    public Builder optGradientInputs(String... names) {
      gradientInputs.addAll(Arrays.asList(names));
      return this;
    }

    /** Creates the constants and compiles every operator; throws naming an unsupported one. */
    public GraphExecutor build() {
      return new GraphExecutor(this);
    }
  }
}
