package dev.promptedge.tools.importer;

import dev.promptedge.runtime.onnx.RowMajor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Constant nodes and constant sub-graphs evaluated at conversion time: Const (its manifest weight,
 * or an inline scalar), and Identity, Cast, Add/AddV2/Sub/Mul, SparseToDense, Reshape and Transpose
 * on constants — e.g. the Where/GatherV2/SparseToDense/Cast chains ONNX-to-TF exports leave behind
 * to compute shapes.
 */
final class TfjsFolding {

  private TfjsFolding() {}

  static TfjsValue constant(TfjsModel model, TfjsModel.Node n) {
    TfjsWeights.Weight w = model.weights().get(n.name());
    if (w != null) {
      double[] data = new double[w.floats() != null ? w.floats().length : w.ints().length];
      for (int i = 0; i < data.length; i++) {
        data[i] = w.floats() != null ? w.floats()[i] : w.ints()[i];
      }
      return TfjsValue.constant(w.shape(), data, w.ints() != null);
    }
    Map<String, Object> value =
        n.attrs().get("value") == null
            ? null
            : TfjsJson.object(
                TfjsJson.object(n.attrs().get("value"), "value").get("tensor"), "tensor");
    if (value != null
        && value.get("tensorShape") instanceof Map<?, ?> shape
        && shape.get("dim") == null) {
      // An inline scalar: TF.js writes small scalars into the node instead of the manifest.
      for (String field : new String[] {"floatVal", "intVal"}) {
        if (value.get(field) instanceof List<?> list && list.size() == 1) {
          return TfjsValue.constant(
              new int[0],
              new double[] {TfjsJson.number(list.get(0), field)},
              field.equals("intVal"));
        }
      }
    }
    throw new ImportException(
        "Const node '"
            + n.name()
            + "' has no weight in weightsManifest; the .bin shards do not belong to this"
            + " model.json (download both again)");
  }

  static TfjsValue fold(TfjsModel.Node n, List<TfjsValue> in) {
    switch (n.op()) {
      case "Identity", "StopGradient" -> {
        return in.get(0);
      }
      case "Cast" -> {
        String type =
            TfjsJson.object(n.attrs().getOrDefault("DstT", Map.of()), "DstT")
                .getOrDefault("type", "DT_FLOAT")
                .toString();
        boolean integer = type.contains("INT") || type.contains("BOOL");
        double[] d = in.get(0).data.clone();
        if (integer) {
          for (int i = 0; i < d.length; i++) {
            d[i] = (long) d[i];
          }
        }
        return TfjsValue.constant(in.get(0).shape, d, integer);
      }
      case "Add", "AddV2", "Sub", "Mul" -> {
        TfjsValue a = in.get(0);
        TfjsValue b = in.get(1);
        int[] shape = Arrays4.broadcast(a.shape, b.shape);
        if (shape == null) {
          throw new ImportException("node '" + n.name() + "' adds constants that do not broadcast");
        }
        double[] x = Arrays4.expand(a.data, a.shape, shape);
        double[] y = Arrays4.expand(b.data, b.shape, shape);
        double[] out = new double[x.length];
        for (int i = 0; i < out.length; i++) {
          out[i] =
              switch (n.op()) {
                case "Sub" -> x[i] - y[i];
                case "Mul" -> x[i] * y[i];
                default -> x[i] + y[i];
              };
        }
        return TfjsValue.constant(shape, out, a.integer && b.integer);
      }
      case "SparseToDense" -> {
        int[] indices = in.get(0).ints();
        int[] shape = in.get(1).ints();
        TfjsValue values = in.get(2);
        double fill = in.get(3).data[0];
        double[] out = new double[Arrays4.size(shape)];
        Arrays.fill(out, fill);
        int rank = shape.length;
        int count = rank == 0 ? 0 : indices.length / Math.max(rank, 1);
        int[] strides = RowMajor.strides(shape);
        for (int k = 0; k < count; k++) {
          int at = 0;
          for (int d = 0; d < rank; d++) {
            at += indices[k * rank + d] * strides[d];
          }
          if (at < 0 || at >= out.length) {
            throw new ImportException("SparseToDense '" + n.name() + "' index out of range");
          }
          out[at] = values.data.length == 1 ? values.data[0] : values.data[k];
        }
        return TfjsValue.constant(shape, out, values.integer);
      }
      case "Where" -> {
        // Indices [count, rank] of the non-zero elements, row-major.
        TfjsValue x = in.get(0);
        int rank = x.rank();
        int[] strides = RowMajor.strides(x.shape);
        java.util.List<Double> found = new java.util.ArrayList<>();
        for (int i = 0; i < x.data.length; i++) {
          if (x.data[i] != 0) {
            for (int d = 0; d < rank; d++) {
              found.add((double) ((i / strides[d]) % x.shape[d]));
            }
          }
        }
        double[] out = found.stream().mapToDouble(Double::doubleValue).toArray();
        return TfjsValue.constant(new int[] {out.length / Math.max(rank, 1), rank}, out, true);
      }
      case "GatherV2" -> {
        TfjsValue params = in.get(0);
        int[] indices = in.get(1).ints();
        int axis = in.size() > 2 ? in.get(2).ints()[0] : 0;
        axis = axis < 0 ? axis + params.rank() : axis;
        int outer = 1;
        for (int d = 0; d < axis; d++) {
          outer *= params.shape[d];
        }
        int inner = Arrays4.size(params.shape) / Math.max(1, outer * params.shape[axis]);
        int[] shape = new int[params.rank() - 1 + in.get(1).rank()];
        int k = 0;
        for (int d = 0; d < axis; d++) {
          shape[k++] = params.shape[d];
        }
        for (int d : in.get(1).shape) {
          shape[k++] = d;
        }
        for (int d = axis + 1; d < params.rank(); d++) {
          shape[k++] = params.shape[d];
        }
        double[] out = new double[outer * indices.length * inner];
        int o = 0;
        for (int a = 0; a < outer; a++) {
          for (int index : indices) {
            if (index < 0 || index >= params.shape[axis]) {
              throw new ImportException(
                  "GatherV2 '" + n.name() + "' index " + index + " out of range");
            }
            System.arraycopy(params.data, (a * params.shape[axis] + index) * inner, out, o, inner);
            o += inner;
          }
        }
        return TfjsValue.constant(shape, out, params.integer);
      }
      case "Reshape" -> {
        int[] target = in.get(1).ints();
        int free = Arrays4.indexOf(target, -1);
        if (free >= 0) {
          target[free] = 1;
          target[free] = in.get(0).data.length / Math.max(1, Arrays4.size(target));
        }
        return TfjsValue.constant(target, in.get(0).data, in.get(0).integer);
      }
      case "Transpose" -> {
        int[] p = in.get(1).ints();
        float[] t = RowMajor.transpose(in.get(0).floats(), in.get(0).shape, p);
        double[] d = new double[t.length];
        for (int i = 0; i < d.length; i++) {
          d[i] = t[i];
        }
        return TfjsValue.constant(Arrays4.permute(in.get(0).shape, p), d, in.get(0).integer);
      }
      default ->
          throw new ImportException(
              "node '"
                  + n.name()
                  + "' ("
                  + n.op()
                  + ") has only constant inputs but the converter cannot fold "
                  + n.op()
                  + "; it folds Identity, Cast, Add, AddV2, Sub, Mul, SparseToDense, Reshape and"
                  + " Transpose");
    }
  }
}
