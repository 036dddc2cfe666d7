// pipeline.mjs runs face-api.js's whole pipeline — SSD MobileNet v1
// detection, FaceLandmark68Net, its own face crop, FaceRecognitionNet — on
// images and writes the descriptor of the largest face of each, to compare
// face match distances with kycgate's (docs/face.md, "Why all pairs stay
// at TAR 0.41"). Nothing it produces is kept in the repository.
//
// Run from a directory where `npm install @vladmandic/face-api@1.7.15` was
// done (its package ships the SSD weights in model/):
//
//   node pipeline.mjs OUT.json NAME=RAW_RGB:WIDTH:HEIGHT...
//
// Each RAW_RGB is the image as 8-bit interleaved RGB (ImageMagick:
// `convert IMG -depth 8 rgb:FILE`), as for reference.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { faceapi, tf, weightMap as loadWeights } from '../faceapi.mjs';

const modelsDir = path.join(process.cwd(), 'node_modules/@vladmandic/face-api/model');
const [outFile, ...inputs] = process.argv.slice(2);

const weightMap = (name) => loadWeights(modelsDir, name);

await tf.setBackend('cpu');
await tf.ready();
faceapi.nets.ssdMobilenetv1.loadFromWeightMap(weightMap('ssd_mobilenetv1_model'));
faceapi.nets.faceLandmark68Net.loadFromWeightMap(weightMap('face_landmark_68_model'));
faceapi.nets.faceRecognitionNet.loadFromWeightMap(weightMap('face_recognition_model'));

const out = { package: '@vladmandic/face-api@1.7.15', descriptors: {} };
for (const arg of inputs) {
  const [name, spec] = arg.split('=');
  const [file, w, h] = spec.split(':');
  const img = tf.tensor3d(new Int32Array(fs.readFileSync(file)), [Number(h), Number(w), 3], 'int32');
  const faces = await faceapi
    .detectAllFaces(img, new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 }))
    .withFaceLandmarks()
    .withFaceDescriptors();
  // The main face of a photo with bystanders is the largest.
  faces.sort((a, b) => b.detection.box.area - a.detection.box.area);
  out.descriptors[name] = faces.length ? Array.from(faces[0].descriptor) : null;
  img.dispose();
}
fs.writeFileSync(outFile, JSON.stringify(out) + '\n');
