// Runs a TF.js graph model with @tensorflow/tfjs (pure JS CPU backend) from local files, no network,
// and dumps chosen tensors as the reference for the importer's parity checks.
//
// usage: node tfjs-reference.js MODEL.json INPUT.f32 N,C,H,W|N,H,W,C OUT_DIR NODE[,NODE...]
// INPUT.f32 holds little-endian float32 values of the model's input, row-major in the given shape.
// OUT_DIR gets one NODE-index.f32 per node (the tensor as TF.js computes it, in TF.js' own layout)
// and reference.json listing {name, file, shape} in order.
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

function localHandler(modelJson) {
  return {
    load: async () => {
      const model = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
      const dir = path.dirname(modelJson);
      const specs = [];
      const parts = [];
      for (const group of model.weightsManifest) {
        for (const p of group.paths) parts.push(fs.readFileSync(path.join(dir, p)));
        specs.push(...group.weights);
      }
      const all = Buffer.concat(parts);
      const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
      return {
        modelTopology: model.modelTopology,
        format: model.format,
        generatedBy: model.generatedBy,
        convertedBy: model.convertedBy,
        signature: model.signature,
        userDefinedMetadata: model.userDefinedMetadata,
        weightSpecs: specs,
        weightData,
      };
    },
  };
}

async function main() {
  const [modelJson, inputFile, shapeText, outDir, nodesText] = process.argv.slice(2);
  if (!nodesText) {
    console.error('usage: node tfjs-reference.js MODEL.json INPUT.f32 SHAPE OUT_DIR NODE[,NODE...]');
    process.exit(2);
  }
  await tf.setBackend('cpu');
  const model = await tf.loadGraphModel(localHandler(modelJson));
  const shape = shapeText.split(',').map(Number);
  const raw = fs.readFileSync(inputFile);
  const values = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const input = tf.tensor(values, shape, 'float32');
  const names = nodesText.split(',');
  const started = Date.now();
  let outputs = model.execute(input, names);
  const seconds = (Date.now() - started) / 1000;
  if (!Array.isArray(outputs)) outputs = [outputs];
  fs.mkdirSync(outDir, { recursive: true });
  const listed = [];
  for (let i = 0; i < names.length; i++) {
    const file = `tensor-${i}.f32`;
    const data = await outputs[i].data();
    fs.writeFileSync(path.join(outDir, file), Buffer.from(new Float32Array(data).buffer));
    listed.push({ name: names[i], file, shape: outputs[i].shape });
  }
  fs.writeFileSync(
    path.join(outDir, 'reference.json'),
    JSON.stringify({ tfjs: tf.version.tfjs, backend: tf.getBackend(), seconds, tensors: listed }, null, 1));
  console.log(`tfjs ${tf.version.tfjs} ${tf.getBackend()}: ${names.length} tensors in ${seconds} s`);
}

main().catch((e) => {
  console.error(String(e && e.stack ? e.stack : e));
  process.exit(1);
});
