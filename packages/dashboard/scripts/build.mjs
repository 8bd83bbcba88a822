// Builds the dashboard into dist/: esbuild bundles src/main.tsx (Preact) and its styles into
// content-hashed files under dist/assets/, the interactive chart (Vega) as a chunk loaded only on
// demand; dist/index.html links them (no inline script or style); every file is also written
// brotli- and gzip-compressed, which the API serves as is.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const dist = join(root, 'dist')
const assets = join(dist, 'assets')

await rm(dist, { recursive: true, force: true })
await mkdir(assets, { recursive: true })

const result = await build({
  entryPoints: [join(root, 'src/main.tsx')],
  outdir: assets,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  entryNames: '[name]-[hash]',
  chunkNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning'
})

const outputs = Object.entries(result.metafile.outputs)
const entry = outputs.find(([, output]) => output.entryPoint === 'src/main.tsx' || output.entryPoint?.endsWith('src/main.tsx'))
if (entry === undefined) throw new Error('esbuild produced no entry output')
const script = basename(entry[0])
const style = entry[1].cssBundle === undefined ? undefined : basename(entry[1].cssBundle)

const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>genejobs</title>
<link rel="icon" href="data:,">
${style === undefined ? '' : `<link rel="stylesheet" href="/assets/${style}">\n`}<script type="module" src="/assets/${script}"></script>
</head>
<body>
<noscript>The genejobs dashboard needs JavaScript; the API itself works without it (see the README).</noscript>
<div id="app"></div>
</body>
</html>
`
await writeFile(join(dist, 'index.html'), html)

/** Writes `file.br` and `file.gz` beside `file`. */
async function precompress (file) {
  const bytes = await readFile(file)
  await writeFile(`${file}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }))
  await writeFile(`${file}.gz`, gzipSync(bytes, { level: 9 }))
}
await precompress(join(dist, 'index.html'))
for (const name of await readdir(assets)) await precompress(join(assets, name))
// Quiet unless asked (pnpm start's output stays short): DASHBOARD_BUILD_VERBOSE=1 lists the files.
if (process.env.DASHBOARD_BUILD_VERBOSE === '1') {
  const sizes = outputs.map(([path, output]) => `${basename(path)} ${(output.bytes / 1024).toFixed(1)} KB`)
  process.stdout.write(`dashboard built into ${dist}: ${sizes.join(', ')}\n`)
}
