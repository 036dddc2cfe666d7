// reference.mjs produces reference outputs of face-api.js's TinyFaceDetector,
// computed by the package's own JavaScript (with its bundled TensorFlow.js,
// CPU backend), for the Go forward pass to be checked against
// (face/tinyface_test.go).
//
// Run once, from a directory where `npm install @vladmandic/face-api@1.7.15
// @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0` was done, with
// the weights in MODELS_DIR (scripts/models.sh):
//
//   node reference.mjs MODELS_DIR OUT.json NAME=RAW_RGB:WIDTH:HEIGHT:INPUT_SIZE...
//
// Each RAW_RGB is the image as 8-bit interleaved RGB (ImageMagick:
// `convert IMG -depth 8 rgb:FILE`), so no image decoder is involved. The
// image tensor goes through face-api.js's own input path (padToSquare with
// the image at the top-left, resizeBilinear to INPUT_SIZE); the raw network
// output and the detections locateFaces returns (score > 0.3) are written.
import fs from 'node:fs';
import { faceapi, tf, weightMap as loadWeights } from '../faceapi.mjs';

const [modelsDir, outFile, ...inputs] = process.argv.slice(2);

const weightMap = (name) => loadWeights(modelsDir, name);

await tf.setBackend('cpu');
await tf.ready();
const net = new faceapi.TinyFaceDetector();
net.loadFromWeightMap(weightMap('tiny_face_detector_model'));

const out = { package: '@vladmandic/face-api@1.7.15', tfjs: tf.version.tfjs, backend: tf.getBackend(), images: [] };
for (const arg of inputs) {
  const [name, spec] = arg.split('=');
  const [file, w, h, s] = spec.split(':');
  const width = Number(w);
  const height = Number(h);
  const inputSize = Number(s);
  const raw = fs.readFileSync(file);
  const img = tf.tensor3d(new Int32Array(raw), [height, width, 3], 'int32');
  const output = await net.forward(img, inputSize);
  const dets = await net.locateFaces(img, { inputSize, scoreThreshold: 0.3 });
  out.images.push({
    name, width, height, inputSize,
    shape: output.shape,
    output: Array.from(output.dataSync()),
    detections: dets.map((d) => ({ score: d.score, box: [d.box.x, d.box.y, d.box.x + d.box.width, d.box.y + d.box.height] })),
  });
  output.dispose();
  img.dispose();
}
fs.writeFileSync(outFile, JSON.stringify(out) + '\n');
