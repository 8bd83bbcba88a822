// The floor of the load benchmark (issue 15), run by load.mjs as a child process so every run gets
// a fresh Node process as the API does: read the data file, gunzip it and `JSON.parse` it whole,
// nothing else. Prints `{"ms": <time>, "records": <n>}` on stdout. Argument: the data file's path.
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'

const path = process.argv[2]
const started = performance.now()
const bytes = readFileSync(path)
const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8')
const document = JSON.parse(text)
const ms = performance.now() - started
const records = Array.isArray(document?.response?.docs) ? document.response.docs.length : null
process.stdout.write(`${JSON.stringify({ ms, records })}\n`)
