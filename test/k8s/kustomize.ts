// The part of kustomize the manifests in deploy/k8s use, so tests can render an environment
// without the kustomize binary: `resources` (files, or folders with their own kustomization.yaml),
// `namespace`, and inline JSON 6902 `patches` targeting a kind and name. Anything else in a
// kustomization.yaml is an error, so the manifests cannot start using a feature this does not render.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parse, parseAllDocuments } from 'yaml'

/** A Kubernetes object as read from YAML. */
export type K8sObject = { apiVersion: string, kind: string, metadata: { name: string, namespace?: string, labels?: Record<string, string>, annotations?: Record<string, string> }, [key: string]: any }

interface Kustomization {
  apiVersion?: string
  kind?: string
  namespace?: string
  resources?: string[]
  patches?: Array<{ target: { kind: string, name: string }, patch: string }>
}

const KNOWN = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'patches'])

/** Every YAML document of one file, as objects. */
export function readManifests (file: string): K8sObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`)
    return doc.toJS() as K8sObject
  }).filter((object) => object !== null)
}

/** Applies RFC 6902 operations (add, replace, remove, and test: the value at a path must equal) to `object`, in place. */
function applyJsonPatch (object: K8sObject, operations: Array<{ op: string, path: string, value?: unknown }>, where: string): void {
  for (const { op, path, value } of operations) {
    const parts = path.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    const last = parts.pop()
    if (last === undefined) throw new Error(`${where}: empty patch path`)
    let parent: any = object
    for (const part of parts) {
      parent = parent?.[Array.isArray(parent) ? Number(part) : part]
      if (parent === undefined) throw new Error(`${where}: ${path} does not exist`)
    }
    const exists = Array.isArray(parent) ? Number(last) < parent.length : Object.hasOwn(parent, last)
    if (op === 'add') {
      if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, value)
      else parent[last] = value
    } else if (op === 'replace' || op === 'remove') {
      if (!exists) throw new Error(`${where}: ${op} ${path}: no such value`)
      if (op === 'replace') parent[last] = value
      else if (Array.isArray(parent)) parent.splice(Number(last), 1)
      else delete parent[last]
    } else if (op === 'test') {
      const found: unknown = exists ? parent[Array.isArray(parent) ? Number(last) : last] : undefined
      if (JSON.stringify(found) !== JSON.stringify(value)) throw new Error(`${where}: test ${path}: expected ${JSON.stringify(value)}, found ${JSON.stringify(found)}`)
    } else {
      throw new Error(`${where}: patch op ${op} is not rendered here`)
    }
  }
}

/** Renders the kustomization in `dir` as `kubectl kustomize dir` would, for the features above. */
export function render (dir: string): K8sObject[] {
  const file = join(dir, 'kustomization.yaml')
  const kustomization = parse(readFileSync(file, 'utf8')) as Kustomization
  for (const key of Object.keys(kustomization)) if (!KNOWN.has(key)) throw new Error(`${file}: ${key} is not rendered by test/k8s/kustomize.ts`)
  const objects: K8sObject[] = []
  for (const resource of kustomization.resources ?? []) {
    const path = join(dir, resource)
    if (!existsSync(path)) throw new Error(`${file}: resource ${resource} does not exist`)
    objects.push(...(statSync(path).isDirectory() ? render(path) : readManifests(path)))
  }
  for (const { target, patch } of kustomization.patches ?? []) {
    const matches = objects.filter((o) => o.kind === target.kind && o.metadata.name === target.name)
    if (matches.length !== 1) throw new Error(`${file}: patch target ${target.kind}/${target.name} matches ${matches.length} objects`)
    applyJsonPatch(matches[0] as K8sObject, parse(patch) as Array<{ op: string, path: string, value?: unknown }>, `${file} ${target.kind}/${target.name}`)
  }
  if (kustomization.namespace !== undefined) for (const object of objects) object.metadata.namespace = kustomization.namespace
  return objects
}

/** Whether `labels` match a label selector (`matchLabels` and `matchExpressions` with In, NotIn, Exists, DoesNotExist). */
export function selects (selector: { matchLabels?: Record<string, string>, matchExpressions?: Array<{ key: string, operator: string, values?: string[] }> } | undefined, labels: Record<string, string>): boolean {
  if (selector === undefined) return false
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value)
  return byLabels && (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const value = labels[key]
    switch (operator) {
      case 'In': return value !== undefined && values.includes(value)
      case 'NotIn': return value === undefined || !values.includes(value)
      case 'Exists': return value !== undefined
      case 'DoesNotExist': return value === undefined
      default: throw new Error(`unknown selector operator ${operator}`)
    }
  })
}
