// Validates the SARIF log on standard input against the SARIF 2.1.0 JSON schema shipped beside
// this script (draft-04, hence ajv-draft-04; its formats, such as uri and date-time, checked by
// ajv-formats). Exits 0 when valid, 1 with the schema errors (instance path, keyword, message)
// when not. Called by the native gate tests.
import { readFileSync } from 'node:fs';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const schema = JSON.parse(readFileSync(new URL('./sarif-2.1.0-rtm.5.json', import.meta.url)));
// unicodeRegExp: false because one of the schema's patterns (the `language` tag) is not a valid
// Unicode-mode regular expression.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);
const log = JSON.parse(readFileSync(0, 'utf8'));
if (!validate(log)) {
  for (const error of validate.errors) {
    console.error(`${error.instancePath || '/'}: ${error.keyword}: ${error.message}`);
  }
  process.exit(1);
}
