#!/usr/bin/env node
// Prints the README's configuration table from the config schema itself (jobs-core's EnvSchema),
// so the table cannot drift from what `loadConfig` accepts. test/readme.test.ts checks it.
import { EnvSchema } from '../packages/jobs-core/dist/index.js'

/** Markdown rows for every setting: name, default, what it must be. */
export function configTable () {
  const rows = ['| variable | default | what it must be |', '|---|---|---|']
  for (const [name, schema] of Object.entries(EnvSchema.properties)) {
    const fallback = schema.default === undefined ? '(unset)' : `\`${schema.default}\``
    rows.push(`| \`${name}\` | ${fallback} | ${schema.description ?? ''} |`)
  }
  return rows.join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(configTable())
