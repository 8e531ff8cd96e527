package dev.promptedge.tools.graph;

/**
 * The weights of one pre-LN transformer block, row-major float32; matrices in FULLY_CONNECTED
 * layout [out, in]. With D = embedDim and hidden = D · mlpRatio: gammas, betas and the q/k/v/out
 * biases are [D], q/k/v/out weights [D, D], fc1 weight [hidden, D] and bias [hidden], fc2 weight
 * [D, hidden] and bias [D].
 *
 * <p>Immutable: the constructor copies every array and the accessors return copies.
 *
 * @param ln1Gamma scale of the layer norm before attention
 * @param ln1Beta shift of the layer norm before attention
 * @param queryWeight query projection
 * @param queryBias query bias
 * @param keyWeight key projection
 * @param keyBias key bias
 * @param valueWeight value projection
 * @param valueBias value bias
 * @param outWeight attention output projection
 * @param outBias attention output bias
 * @param ln2Gamma scale of the layer norm before the MLP
 * @param ln2Beta shift of the layer norm before the MLP
 * @param fc1Weight first MLP layer, [hidden, D]
 * @param fc1Bias first MLP bias, [hidden]
 * @param fc2Weight second MLP layer, [D, hidden]
 * @param fc2Bias second MLP bias, [D]
 */
public record VitBlockWeights(
    float[] ln1Gamma,
    float[] ln1Beta,
    float[] queryWeight,
    float[] queryBias,
    float[] keyWeight,
    float[] keyBias,
    float[] valueWeight,
    float[] valueBias,
    float[] outWeight,
    float[] outBias,
    float[] ln2Gamma,
    float[] ln2Beta,
    float[] fc1Weight,
    float[] fc1Bias,
    float[] fc2Weight,
    float[] fc2Bias) {

  /** Copies every array. */
  public VitBlockWeights {
    ln1Gamma = ln1Gamma.clone();
    ln1Beta = ln1Beta.clone();
    queryWeight = queryWeight.clone();
    queryBias = queryBias.clone();
    keyWeight = keyWeight.clone();
    keyBias = keyBias.clone();
    valueWeight = valueWeight.clone();
    valueBias = valueBias.clone();
    outWeight = outWeight.clone();
    outBias = outBias.clone();
    ln2Gamma = ln2Gamma.clone();
    ln2Beta = ln2Beta.clone();
    fc1Weight = fc1Weight.clone();
    fc1Bias = fc1Bias.clone();
    fc2Weight = fc2Weight.clone();
    fc2Bias = fc2Bias.clone();
  }

  /** Throws naming the first array whose length does not fit {@code spec}. */
  void checkShapes(VitSpec spec, int block) {
    int d = spec.embedDim();
    int h = spec.hiddenDim();
    String prefix = "block " + block + " ";
    VitWeights.checkLength(prefix + "ln1Gamma", ln1Gamma, d);
    VitWeights.checkLength(prefix + "ln1Beta", ln1Beta, d);
    VitWeights.checkLength(prefix + "queryWeight", queryWeight, d * d);
    VitWeights.checkLength(prefix + "queryBias", queryBias, d);
    VitWeights.checkLength(prefix + "keyWeight", keyWeight, d * d);
    VitWeights.checkLength(prefix + "keyBias", keyBias, d);
    VitWeights.checkLength(prefix + "valueWeight", valueWeight, d * d);
    VitWeights.checkLength(prefix + "valueBias", valueBias, d);
    VitWeights.checkLength(prefix + "outWeight", outWeight, d * d);
    VitWeights.checkLength(prefix + "outBias", outBias, d);
    VitWeights.checkLength(prefix + "ln2Gamma", ln2Gamma, d);
    VitWeights.checkLength(prefix + "ln2Beta", ln2Beta, d);
    VitWeights.checkLength(prefix + "fc1Weight", fc1Weight, h * d);
    VitWeights.checkLength(prefix + "fc1Bias", fc1Bias, h);
    VitWeights.checkLength(prefix + "fc2Weight", fc2Weight, d * h);
    VitWeights.checkLength(prefix + "fc2Bias", fc2Bias, d);
  }

  /** A copy of the first layer norm's scale, [D]. */
  @Override
  public float[] ln1Gamma() {
    return ln1Gamma.clone();
  }

  /** A copy of the first layer norm's shift, [D]. */
  @Override
  public float[] ln1Beta() {
    return ln1Beta.clone();
  }

  /** A copy of the query projection, [D, D]. */
  @Override
  public float[] queryWeight() {
    return queryWeight.clone();
  }

  /** A copy of the query bias, [D]. */
  @Override
  public float[] queryBias() {
    return queryBias.clone();
  }

  /** A copy of the key projection, [D, D]. */
  @Override
  public float[] keyWeight() {
    return keyWeight.clone();
  }

  /** A copy of the key bias, [D]. */
  @Override
  public float[] keyBias() {
    return keyBias.clone();
  }

  /** A copy of the value projection, [D, D]. */
  @Override
  public float[] valueWeight() {
    return valueWeight.clone();
  }

  /** A copy of the value bias, [D]. */
  @Override
  public float[] valueBias() {
    return valueBias.clone();
  }

  /** A copy of the attention output projection, [D, D]. */
  @Override
  public float[] outWeight() {
    return outWeight.clone();
  }

  /** A copy of the attention output bias, [D]. */
  @Override
  public float[] outBias() {
    return outBias.clone();
  }

  /** A copy of the second layer norm's scale, [D]. */
  @Override
  public float[] ln2Gamma() {
    return ln2Gamma.clone();
  }

  /** A copy of the second layer norm's shift, [D]. */
  @Override
  public float[] ln2Beta() {
    return ln2Beta.clone();
  }

  /** A copy of the first MLP layer, [hidden, D]. */
  @Override
  public float[] fc1Weight() {
    return fc1Weight.clone();
  }

  /** A copy of the first MLP bias, [hidden]. */
  @Override
  public float[] fc1Bias() {
    return fc1Bias.clone();
  }

  /** A copy of the second MLP layer, [D, hidden]. */
  @Override
  public float[] fc2Weight() {
    return fc2Weight.clone();
  }

  /** A copy of the second MLP bias, [D]. */
  @Override
  public float[] fc2Bias() {
    return fc2Bias.clone();
  }
}
