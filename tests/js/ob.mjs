// Interop harness: signs and verifies Open Badges 3.0 credentials with the Digital Bazaar / DCC
// JavaScript stack, fully offline. credplugin's Python tests call it by subprocess.
//
//   node ob.mjs verify FILE [--did-doc F]... [--status-list F]... [--now ISO]
//       prints {"verified": bool, "error": "..."}; exit 0 verified, 1 not verified, 2 bad usage
//   node ob.mjs sign --key KEYFILE [--created ISO] FILE
//       prints FILE signed (eddsa-rdfc-2022) by the key in a credplugin JSON key file
//   node ob.mjs canonize FILE...
//       prints the RDFC-1.0 N-Quads of each FILE (jsonld.js, safe mode) as a JSON list
//   node ob.mjs status-list --key KEYFILE --url URL [--purpose P] [--set INDEX]...
//       prints a signed BitstringStatusListCredential with the given bits set
import * as vc from '@digitalbazaar/vc';
import jsonld from 'jsonld';
import {
  checkStatus as checkBitstringStatus, createCredential as createStatusListCredential,
  createList
} from '@digitalbazaar/vc-bitstring-status-list';

import {MULTIKEY_V1, contextMap, readJson, signingSuite, verifyingSuite} from './stack.mjs';

const DID_V1 = 'https://www.w3.org/ns/did/v1';

function didKeyDocument(did) {
  const multibase = did.slice('did:key:'.length);
  const id = `${did}#${multibase}`;
  return {
    '@context': [DID_V1, MULTIKEY_V1],
    id: did,
    verificationMethod: [
      {id, type: 'Multikey', controller: did, publicKeyMultibase: multibase}
    ],
    assertionMethod: [id],
    authentication: [id]
  };
}

// Serves only what is shipped in npm packages or given on the command line; no network.
function offlineLoader({didDocuments = [], statusLists = []} = {}) {
  const contexts = contextMap();
  const documents = new Map();
  for(const document of [...didDocuments, ...statusLists]) {
    documents.set(document.id, document);
  }
  return async url => {
    let document = contexts.get(url) ?? documents.get(url);
    const [did, fragment] = url.split('#');
    if(!document && did.startsWith('did:')) {
      const didDocument = did.startsWith('did:key:') ?
        didKeyDocument(did) : documents.get(did);
      if(didDocument && !fragment) {
        document = didDocument;
      } else if(didDocument) {
        const method = (didDocument.verificationMethod || []).find(
          entry => entry.id === url || entry.id === `#${fragment}`);
        document = method && {'@context': MULTIKEY_V1, ...method};
      }
    }
    if(!document) {
      throw new Error(`offline document loader: no document for ${url}`);
    }
    return {contextUrl: null, documentUrl: url, document: structuredClone(document)};
  };
}

function parseArgs(argv) {
  const options = {files: [], didDocs: [], statusLists: [], sets: []};
  const repeated = {'--did-doc': 'didDocs', '--status-list': 'statusLists', '--set': 'sets'};
  const single = {
    '--key': 'key', '--created': 'created', '--now': 'now', '--url': 'url',
    '--purpose': 'purpose'
  };
  for(let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if(repeated[arg] || single[arg]) {
      if(i + 1 >= argv.length) {
        throw new UsageError(`${arg} needs a value`);
      }
      if(repeated[arg]) {
        options[repeated[arg]].push(argv[++i]);
      } else {
        options[single[arg]] = argv[++i];
      }
    } else if(arg.startsWith('--')) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      options.files.push(arg);
    }
  }
  return options;
}

class UsageError extends Error {}

// The bitstring library reports a set bit as {verified: true, status: true}; a set bit means
// revoked or suspended, so it must fail verification here.
async function checkStatus(options) {
  const result = await checkBitstringStatus(options);
  if(!result.verified) {
    return result;
  }
  const set = result.results.find(entry => entry.status);
  if(set) {
    const purpose = set.credentialStatus.statusPurpose;
    return {verified: false, error: new Error(`credential status is set (${purpose})`)};
  }
  return result;
}

function describe(error) {
  if(!error) {
    return undefined;
  }
  const errors = Array.isArray(error) ? error : (error.errors || [error]);
  return errors.map(entry => entry.message || String(entry)).join('; ');
}

async function verify(options) {
  if(options.files.length !== 1) {
    throw new UsageError('verify takes exactly one credential file');
  }
  const documentLoader = offlineLoader({
    didDocuments: options.didDocs.map(readJson),
    statusLists: options.statusLists.map(readJson)
  });
  const suite = verifyingSuite();
  const result = await vc.verifyCredential({
    credential: readJson(options.files[0]),
    suite,
    documentLoader,
    checkStatus,
    now: options.now
  });
  const error = describe(result.error) || describe(result.statusResult?.error) ||
    describe(result.results?.flatMap(entry => entry.error || []));
  console.log(JSON.stringify({verified: result.verified, error}));
  return result.verified ? 0 : 1;
}

async function sign(options) {
  if(options.files.length !== 1 || !options.key) {
    throw new UsageError('sign takes --key KEYFILE and exactly one credential file');
  }
  const suite = await signingSuite(readJson(options.key), options.created);
  const signed = await vc.issue({
    credential: readJson(options.files[0]),
    suite,
    documentLoader: offlineLoader()
  });
  console.log(JSON.stringify(signed, null, 2));
  return 0;
}

async function canonize(options) {
  if(options.files.length === 0) {
    throw new UsageError('canonize takes one or more JSON-LD files');
  }
  const documentLoader = offlineLoader();
  const results = [];
  for(const file of options.files) {
    results.push(await jsonld.canonize(readJson(file), {
      algorithm: 'RDFC-1.0', format: 'application/n-quads', safe: true, documentLoader
    }));
  }
  console.log(JSON.stringify(results));
  return 0;
}

async function statusList(options) {
  if(!options.key || !options.url) {
    throw new UsageError('status-list takes --key KEYFILE and --url URL');
  }
  const list = await createList({length: 131072});
  for(const index of options.sets) {
    list.setStatus(Number.parseInt(index, 10), true);
  }
  const credential = await createStatusListCredential({
    id: options.url, list, statusPurpose: options.purpose || 'revocation'
  });
  credential.issuer = readJson(options.key).did;
  const suite = await signingSuite(readJson(options.key), options.created);
  const signed = await vc.issue({credential, suite, documentLoader: offlineLoader()});
  console.log(JSON.stringify(signed, null, 2));
  return 0;
}

const COMMANDS = {verify, sign, canonize, 'status-list': statusList};

async function main([command, ...argv]) {
  if(!COMMANDS[command]) {
    console.error(`usage: node ob.mjs ${Object.keys(COMMANDS).join('|')} ...`);
    return 2;
  }
  try {
    return await COMMANDS[command](parseArgs(argv));
  } catch(error) {
    console.error(error instanceof UsageError ? error.message : error.stack);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
