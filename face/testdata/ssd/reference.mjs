// reference.mjs produces reference outputs of face-api.js's SsdMobilenetv1,
// computed by the package's own JavaScript (with its bundled TensorFlow.js,
// CPU backend), for the Go forward pass to be checked against
// (face/ssd_test.go).
//
// Run once, from a directory where `npm install @vladmandic/face-api@1.7.15
// @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0` was done, with
// the weights in MODELS_DIR (scripts/models.sh):
//
//   node reference.mjs MODELS_DIR OUT.json NAME=RAW_RGB:WIDTH:HEIGHT...
//
// Each RAW_RGB is the image as 8-bit interleaved RGB, so no image decoder is
// involved. The image tensor goes through face-api.js's own input path
// (padToSquare with the image at the top-left, resizeBilinear to 512). Written
// per image: the face probability of all 5118 priors, the decoded boxes of the
// priors scoring above 0.05, and the detections locateFaces returns (> 0.3).
import fs from 'node:fs';
import { faceapi, tf, weightMap as loadWeights } from '../faceapi.mjs';

const [modelsDir, outFile, ...inputs] = process.argv.slice(2);

const weightMap = (name) => loadWeights(modelsDir, name);

await tf.setBackend('cpu');
await tf.ready();
const net = new faceapi.SsdMobilenetv1();
net.loadFromWeightMap(weightMap('ssd_mobilenetv1_model'));

const out = { package: '@vladmandic/face-api@1.7.15', tfjs: tf.version.tfjs, backend: tf.getBackend(), images: [] };
for (const arg of inputs) {
  const [name, spec] = arg.split('=');
  const [file, w, h] = spec.split(':');
  const width = Number(w);
  const height = Number(h);
  const img = tf.tensor3d(new Int32Array(fs.readFileSync(file)), [height, width, 3], 'int32');
  const { boxes, scores } = net.forwardInput(await faceapi.toNetInput(img));
  const scoreData = Array.from(scores[0].dataSync());
  const boxData = boxes[0].arraySync();
  const priors = [];
  scoreData.forEach((s, i) => { if (s > 0.05) priors.push({ index: i, box: boxData[i] }); });
  const dets = await net.locateFaces(img, { minConfidence: 0.3 });
  out.images.push({
    name, width, height,
    scores: scoreData,
    priors,
    detections: dets.map((d) => ({ score: d.score, box: [d.box.x, d.box.y, d.box.x + d.box.width, d.box.y + d.box.height] })),
  });
  boxes[0].dispose();
  scores[0].dispose();
  img.dispose();
}
fs.writeFileSync(outFile, JSON.stringify(out) + '\n');
