// Independent check of an eddsa-rdfc-2022 Data Integrity proof with Digital Bazaar's
// implementation (jsonld-signatures + @digitalbazaar/eddsa-rdfc-2022-cryptosuite), which shares no
// code with the platform's pyld-based signer.
//
//   node verify_data_integrity.mjs CREDENTIAL.json DID.json CONTEXT_DIR
//
// The document loader knows only the DID document given (and its verification methods) and the
// context files of CONTEXT_DIR, mapped by URL: nothing is fetched from the network. Prints
// {"verified": true|false, "error": "..."} and exits 0 when verified, 1 otherwise.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import jsigs from 'jsonld-signatures';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';

const [credentialPath, didPath, contextDir] = process.argv.slice(2);
const credential = JSON.parse(readFileSync(credentialPath, 'utf8'));
const did = JSON.parse(readFileSync(didPath, 'utf8'));

const CONTEXTS = {
  'https://www.w3.org/ns/credentials/v2': 'credentials-v2.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json': 'ob-v3p0-context-3.0.3.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json': 'ob-v3p0-extensions.json',
  'https://w3id.org/security/multikey/v1': 'security-multikey-v1.json',
};

const documents = new Map();
for(const [url, file] of Object.entries(CONTEXTS)) {
  documents.set(url, JSON.parse(readFileSync(join(contextDir, file), 'utf8')));
}
documents.set(did.id, did);
for(const method of did.verificationMethod) {
  documents.set(method.id, {'@context': 'https://w3id.org/security/multikey/v1', ...method});
}

async function documentLoader(url) {
  const document = documents.get(url);
  if(document === undefined) {
    throw new Error(`Refusing to load ${url}: not a shipped context nor the issuer's DID`);
  }
  return {contextUrl: null, documentUrl: url, document};
}

const {purposes: {AssertionProofPurpose}} = jsigs;
const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});
try {
  const result = await jsigs.verify(credential, {
    suite, purpose: new AssertionProofPurpose(), documentLoader,
  });
  const error = result.error ? String(result.error.errors?.[0] ?? result.error) : undefined;
  console.log(JSON.stringify({verified: result.verified, error}));
  process.exit(result.verified ? 0 : 1);
} catch(error) {
  console.log(JSON.stringify({verified: false, error: String(error)}));
  process.exit(1);
}
