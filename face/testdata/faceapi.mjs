// faceapi.mjs is what the reference scripts beside it share: face-api.js
// (@vladmandic/face-api@1.7.15, resolved from the directory the script runs
// in) with its bundled TensorFlow.js, and weightMap, which loads a model's
// weights from the manifest and shards scripts/models.sh installs.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(path.join(process.cwd(), 'package.json'));
export const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
export const tf = faceapi.tf;

// weightMap decodes the weights of model NAME (NAME-weights_manifest.json
// and its shards) found in modelsDir.
export function weightMap(modelsDir, name) {
  const manifest = JSON.parse(fs.readFileSync(path.join(modelsDir, `${name}-weights_manifest.json`)));
  const specs = [];
  const buffers = [];
  for (const group of manifest) {
    specs.push(...group.weights);
    for (const p of group.paths) buffers.push(fs.readFileSync(path.join(modelsDir, p)));
  }
  const all = Buffer.concat(buffers);
  return tf.io.decodeWeights(all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength), specs);
}
