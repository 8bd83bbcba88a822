// The chaos soak's job mix: real analyses over small ranges and symbol lists, and the test analyses
// that sleep, count their runs (side effects) or fail on purpose.
const SYMBOLS = ['BRCA1', 'brca2', 'TP53', 'SYN5', 'OLD9', 'ALIAS8', 'MLL', 'no-such-gene']
const RANGE_ANALYSES = ['approval-timeline', 'locus-types', 'chromosomes']
let tags = 0

/** One job request, drawn with `random` (0..1); `genes` is how many genes are loaded. */
export function nextRequest (random, genes) {
  const roll = random()
  if (roll < 0.35) {
    const start = 1 + Math.floor(random() * Math.max(1, genes))
    return { analysis: RANGE_ANALYSES[Math.floor(random() * RANGE_ANALYSES.length)], hgnc_id_start: `HGNC:${start}`, hgnc_id_end: `HGNC:${start + 500}` }
  }
  if (roll < 0.45) return { analysis: 'symbol-check', symbols: SYMBOLS.filter(() => random() < 0.6).concat('BRCA1') }
  if (roll < 0.80) return { analysis: 'test-count', tag: `chaos-${process.pid}-${++tags}`, ms: Math.floor(random() * 300) }
  if (roll < 0.97) return { analysis: 'test-sleep', ms: 100 + Math.floor(random() * 1400) }
  return { analysis: 'test-throw', unrecoverable: random() < 0.5 }
}
