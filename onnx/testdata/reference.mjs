// reference.mjs writes reference.json: the outputs of onnxruntime (the
// npm package onnxruntime-node, resolved from the directory the script runs
// in) for the ONNX face models scripts/models.sh installs, on the
// deterministic inputs that onnx_test.go builds the same way (pattern).
//
//   npm install --ignore-scripts onnxruntime-node@1.20.1
//   node /path/to/onnx/testdata/reference.mjs MODELS_DIR > reference.json
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(path.join(process.cwd(), 'package.json'));
const ort = require('onnxruntime-node');

// pattern fills n values in [-1, 1] that vary in every dimension.
function pattern(n) {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.fround(Math.sin(i * 0.37) * 0.6 + Math.cos(i * 0.011) * 0.4);
  return x;
}

const models = { 'fr_feature.onnx': [1, 3, 112, 112], 'fr_eye.onnx': [1, 1, 24, 24] };
const out = {};
for (const [file, shape] of Object.entries(models)) {
  const s = await ort.InferenceSession.create(path.join(process.argv[2], file));
  const n = shape.reduce((a, b) => a * b, 1);
  const r = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', pattern(n), shape) });
  const y = r[s.outputNames[0]];
  out[file] = { input: s.inputNames[0], shape, output: s.outputNames[0], dims: y.dims, data: Array.from(y.data) };
}
process.stdout.write(JSON.stringify(out) + '\n');
