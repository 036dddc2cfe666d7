// reference.mjs produces reference outputs of face-api.js's FaceLandmark68Net,
// computed by the package's own JavaScript (with its bundled TensorFlow.js,
// CPU backend), for the Go forward pass to be checked against
// (face/reference_test.go).
//
// Run once, from a directory where `npm install @vladmandic/face-api@1.7.15`
// was done, with the weights in MODELS_DIR (scripts/models.sh):
//
//   node reference.mjs MODELS_DIR OUT.json NAME=RAW_RGB:WIDTH:HEIGHT...
//
// Each RAW_RGB is the image as 8-bit interleaved RGB (ImageMagick:
// `convert IMG -depth 8 rgb:FILE`), so no image decoder is involved. The
// image tensor goes through face-api.js's own input path (padToSquare centred,
// resizeBilinear to 112), exactly as the Go code must reproduce it.
import fs from 'node:fs';
import { faceapi, tf, weightMap as loadWeights } from '../faceapi.mjs';

// The CommonJS build with plain @tensorflow/tfjs (no native code); its CPU
// backend is selected below.

const [modelsDir, outFile, ...inputs] = process.argv.slice(2);

const weightMap = (name) => loadWeights(modelsDir, name);

await tf.setBackend('cpu');
await tf.ready();
const landmarkNet = new faceapi.FaceLandmark68Net();
landmarkNet.loadFromWeightMap(weightMap('face_landmark_68_model'));

const out = { package: '@vladmandic/face-api@1.7.15', tfjs: tf.version.tfjs, backend: tf.getBackend(), images: [] };
for (const arg of inputs) {
  const [name, spec] = arg.split('=');
  const [file, w, h] = spec.split(':');
  const width = Number(w);
  const height = Number(h);
  const raw = fs.readFileSync(file);
  const img = tf.tensor3d(new Int32Array(raw), [height, width, 3], 'int32');
  const lm = await landmarkNet.forward(img);
  out.images.push({ name, width, height, landmarks: Array.from(lm.dataSync()) });
  lm.dispose();
  img.dispose();
}
fs.writeFileSync(outFile, JSON.stringify(out, null, 1) + '\n');
