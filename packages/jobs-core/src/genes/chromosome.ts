const LEADING_CHROMOSOME = /^(X|Y|[1-9]|1[0-9]|2[0-2])(?=$|[pq\s]|cen|\b)/

/**
 * The chromosome an HGNC `location` names (`19q13.43` -> `19`, `Xp22.33 and Yp11.2` -> `X`,
 * `mitochondria` -> `MT`, `14 unplaced` -> `14`), or null when it names none (`reserved`,
 * `unplaced`, patches, no location).
 */
export function chromosomeOf (location: string): string | null {
  if (location === 'mitochondria') return 'MT'
  return LEADING_CHROMOSOME.exec(location)?.[1] ?? null
}
