// A wallet for tests, built only from the Digital Bazaar / DCC stack: it holds a did:key and
// answers a VC-API exchange's DID Authentication request, as the Learner Credential Wallet does.
//
// --suite ed25519-2020 signs as the Learner Credential Wallet does: a VC 1.1 presentation with an
// Ed25519Signature2020 proof; the default is a VC 2.0 presentation with eddsa-rdfc-2022.
//
//   node wallet.mjs exchange --key KEYFILE [--suite S] URL
//       follows the interaction URL (?iuv=1) to protocols.vcapi, POSTs {}, signs the DID
//       Authentication presentation for the request's challenge and domain, POSTs it and prints
//       {"request": <the VerifiablePresentationRequest>, "status": N, "answer": <the reply>}
//   node wallet.mjs did-auth --key KEYFILE [--suite S] --challenge C --domain D
//       prints a DID Authentication presentation signed by the key (for hostile-input tests)
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import * as vc from '@digitalbazaar/vc';
import ed25519Signature2020Context from 'ed25519-signature-2020-context';

import {contextMap, readJson, signingSuite} from './stack.mjs';

function loader() {
  const contexts = contextMap();
  for(const [url, document] of ed25519Signature2020Context.contexts) {
    contexts.set(url, document);
  }
  return async url => {
    if(!contexts.has(url)) {
      throw new Error(`wallet document loader: no document for ${url}`);
    }
    return {contextUrl: null, documentUrl: url, document: structuredClone(contexts.get(url))};
  };
}

function option(argv, name, fallback) {
  const index = argv.indexOf(name);
  if(index < 0 || index + 1 >= argv.length) {
    if(fallback !== undefined) {
      return fallback;
    }
    throw new Error(`${name} is required`);
  }
  return argv[index + 1];
}

async function lcwSuite(key) {
  const keyPair = await Ed25519Multikey.from({
    type: 'Multikey',
    id: key.verificationMethod,
    controller: key.did,
    publicKeyMultibase: key.publicKeyMultibase,
    secretKeyMultibase: key.privateKeyMultibase
  });
  return new Ed25519Signature2020({signer: keyPair.signer()});
}

async function didAuthentication(key, suiteName, {challenge, domain}) {
  const lcw = suiteName === 'ed25519-2020';
  const presentation = vc.createPresentation({holder: key.did, version: lcw ? 1.0 : 2.0});
  const suite = lcw ? await lcwSuite(key) : await signingSuite(key);
  return vc.signPresentation({
    presentation, suite, challenge, domain, documentLoader: loader()
  });
}

async function postJson(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {'Content-Type': 'application/json', Accept: 'application/json'},
    body: JSON.stringify(body)
  });
  return {status: response.status, body: await response.json()};
}

async function exchange(argv) {
  const key = readJson(option(argv, '--key'));
  const interactionUrl = argv[argv.length - 1];
  const found = await fetch(interactionUrl, {headers: {Accept: 'application/json'}});
  if(!found.ok) {
    throw new Error(`interaction URL answered ${found.status}`);
  }
  const {protocols} = await found.json();
  const first = await postJson(protocols.vcapi, {});
  const request = first.body.verifiablePresentationRequest;
  if(first.status !== 200 || !request ||
    !request.query.some(query => query.type === 'DIDAuthentication')) {
    throw new Error(`no DID Authentication request: ${JSON.stringify(first)}`);
  }
  const suiteName = option(argv, '--suite', 'eddsa-rdfc-2022');
  const verifiablePresentation = await didAuthentication(key, suiteName, request);
  const second = await postJson(protocols.vcapi, {verifiablePresentation});
  console.log(JSON.stringify({request, status: second.status, answer: second.body}));
  return 0;
}

async function didAuth(argv) {
  const key = readJson(option(argv, '--key'));
  const presentation = await didAuthentication(key, option(argv, '--suite', 'eddsa-rdfc-2022'), {
    challenge: option(argv, '--challenge'), domain: option(argv, '--domain')
  });
  console.log(JSON.stringify(presentation));
  return 0;
}

const COMMANDS = {exchange, 'did-auth': didAuth};

async function main([command, ...argv]) {
  if(!COMMANDS[command]) {
    console.error(`usage: node wallet.mjs ${Object.keys(COMMANDS).join('|')} ...`);
    return 2;
  }
  try {
    return await COMMANDS[command](argv);
  } catch(error) {
    console.error(error.stack);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
