// Every golden vector shipped with @rmsprop/conformance, parsed in the browser (where
// '@rmsprop/conformance/node' and its file reading are unavailable): the bundler inlines the JSON files.
// Same files, same order as loadCommittedVectors() in Node.
import { parseGoldenFile, type GoldenCase } from '@rmsprop/conformance';
import numpy from '@rmsprop/conformance/vectors/numpy.json' with { type: 'json' };
import pytorch from '@rmsprop/conformance/vectors/pytorch.json' with { type: 'json' };
import reference from '@rmsprop/conformance/vectors/reference.json' with { type: 'json' };
import tfjs from '@rmsprop/conformance/vectors/tfjs.json' with { type: 'json' };

export function loadCommittedVectorsInBrowser(): GoldenCase[] {
  const files: [string, unknown][] = [
    ['numpy.json', numpy],
    ['pytorch.json', pytorch],
    ['reference.json', reference],
    ['tfjs.json', tfjs],
  ];
  return files.flatMap(([file, json]) => parseGoldenFile(json, file));
}
