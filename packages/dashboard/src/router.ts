import { useEffect, useState } from 'preact/hooks'

/** The current hash route split into segments, e.g. `#/genes/HGNC:1100` -> ['genes', 'HGNC:1100']. */
export function currentRoute (): string[] {
  const path = location.hash.replace(/^#\/?/, '').split('?')[0] ?? ''
  return path === '' ? [] : path.split('/').map((part) => decodeURIComponent(part))
}

/** The query part of the hash route (`#/genes?q=BRCA1`). */
export function routeQuery (): URLSearchParams {
  return new URLSearchParams(location.hash.split('?')[1] ?? '')
}

/** Re-renders on every hash change and returns the route segments. */
export function useRoute (): string[] {
  const [route, setRoute] = useState(currentRoute)
  useEffect(() => {
    const update = (): void => { setRoute(currentRoute()) }
    addEventListener('hashchange', update)
    return () => { removeEventListener('hashchange', update) }
  }, [])
  return route
}

/** A hash link to a route, segments encoded. */
export function href (...segments: string[]): string {
  return '#/' + segments.map((segment) => encodeURIComponent(segment)).join('/')
}
