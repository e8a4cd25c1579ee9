// Signing and verifying speed of the Digital Bazaar / DCC JavaScript stack (eddsa-rdfc-2022),
// the baseline bench/sign_verify.py compares credplugin with. Offline; one process.
//
//   node bench.mjs --key KEYFILE --did-doc FILE --seconds S CREDENTIAL...
//       signs the credentials in turn for S seconds, then verifies the signed copies for S
//       seconds; prints as JSON: calls per wall-clock second ("signs_per_s",
//       "verifies_per_s"), per second of this process's CPU time ("signs_per_cpu_s",
//       "verifies_per_cpu_s"), median call times and call counts
//
// Verification checks the proof (and dates) with @digitalbazaar/vc; the status check is a no-op
// so that the figure measures the same work as credplugin's verify_signature.
import {performance} from 'node:perf_hooks';

import * as vc from '@digitalbazaar/vc';

import {MULTIKEY_V1, contextMap, readJson, signingSuite, verifyingSuite} from './stack.mjs';

function parseArgs(argv) {
  const options = {credentials: [], seconds: 3};
  for(let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if(arg === '--key' || arg === '--did-doc' || arg === '--seconds') {
      options[arg.slice(2)] = argv[++i];
    } else {
      options.credentials.push(arg);
    }
  }
  if(!options.key || !options['did-doc'] || options.credentials.length === 0) {
    throw new Error('usage: bench.mjs --key KEYFILE --did-doc FILE [--seconds S] CREDENTIAL...');
  }
  options.seconds = Number(options.seconds);
  return options;
}

// Contexts from the npm packages, the issuer's DID document and its methods; nothing else.
function offlineLoader(didDocument) {
  const documents = contextMap();
  documents.set(didDocument.id, didDocument);
  for(const method of didDocument.verificationMethod) {
    documents.set(method.id, {'@context': MULTIKEY_V1, ...method});
  }
  return async url => {
    const document = documents.get(url);
    if(!document) {
      throw new Error(`offline document loader: no document for ${url}`);
    }
    return {contextUrl: null, documentUrl: url, document: structuredClone(document)};
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// Runs `operation(i)` for `seconds`; per-call durations (ms) and the process CPU seconds used.
async function timed(seconds, operation) {
  const durations = [];
  const cpuStart = process.cpuUsage();
  const deadline = performance.now() + seconds * 1000;
  for(let i = 0; performance.now() < deadline; i++) {
    const start = performance.now();
    await operation(i);
    durations.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpuStart);
  return {durations, cpuSeconds: (cpu.user + cpu.system) / 1e6};
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const key = readJson(options.key);
  const didDocument = readJson(options['did-doc']);
  const credentials = options.credentials.map(readJson);
  const documentLoader = offlineLoader(didDocument);
  const suite = await signingSuite(key);
  const signed = [];
  const signing = await timed(options.seconds, async i => {
    const credential = structuredClone(credentials[i % credentials.length]);
    const result = await vc.issue({credential, suite, documentLoader});
    if(signed.length < credentials.length) {
      signed.push(result);
    }
  });
  const verifySuite = verifyingSuite();
  const checkStatus = async () => ({verified: true});
  const verifying = await timed(options.seconds, async i => {
    const result = await vc.verifyCredential({
      credential: signed[i % signed.length], suite: verifySuite, documentLoader, checkStatus
    });
    if(!result.verified) {
      throw new Error(`not verified: ${JSON.stringify(result.error)}`);
    }
  });
  const total = values => values.reduce((sum, value) => sum + value, 0) / 1000;
  console.log(JSON.stringify({
    signs: signing.durations.length,
    verifies: verifying.durations.length,
    signs_per_s: signing.durations.length / total(signing.durations),
    verifies_per_s: verifying.durations.length / total(verifying.durations),
    signs_per_cpu_s: signing.durations.length / signing.cpuSeconds,
    verifies_per_cpu_s: verifying.durations.length / verifying.cpuSeconds,
    sign_median_ms: median(signing.durations),
    verify_median_ms: median(verifying.durations)
  }));
}

main().catch(error => {
  console.error(error.stack || String(error));
  process.exit(1);
});
