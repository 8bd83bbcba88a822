// deploy/k8s cannot be applied here (no cluster): each environment is rendered as kustomize would
// (test/k8s/kustomize.ts), every object is validated against the Kubernetes (and KEDA) schemas of
// kubernetes-models, and the wiring is checked against the Dockerfile, compose.yaml, the config
// schema, keys.ts and the app's routes. The test environment's smoke-test script is run for real.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { parse } from 'yaml'
import { ConfigMap, Service } from 'kubernetes-models/v1'
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1'
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2'
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1'
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1'
import { Job } from 'kubernetes-models/batch/v1'
import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1'
import { EnvSchema, createKeys, loadConfig } from '@genejobs/jobs-core'
import { render, selects, type K8sObject } from './k8s/kustomize.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const k8s = join(root, 'deploy/k8s')
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8')
const compose = parse(readFileSync(join(root, 'compose.yaml'), 'utf8')) as { services: Record<string, { image?: string, command?: string[] }> }

/** The schema each kind is validated against. */
const MODELS: Record<string, new (data: any) => { validate: () => void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'batch/v1/Job': Job,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication
}
/** Settings that are secrets: only ever from a Secret, never in a ConfigMap or a manifest. */
const SECRET_SETTINGS = ['REDIS_PASSWORD', 'API_ADMIN_TOKEN', 'REDIS_URL', 'REDIS_USERNAME']
/** What the user creates (README): the keys of each Secret. */
const SECRETS: Record<string, string[]> = { 'genejobs-redis': ['host', 'port', 'password', 'cluster-nodes'], 'genejobs-api': ['admin-token'] }
/** Placeholder values, to check what the pods would get is a valid configuration. */
const SECRET_VALUES: Record<string, string> = { host: 'redis.example', port: '6379', password: 'p'.repeat(32), 'admin-token': 'f'.repeat(64), 'cluster-nodes': 'redis-0.example:6379,redis-1.example:6379' }

const environments = { prod: render(join(k8s, 'prod')), 'prod-cluster': render(join(k8s, 'prod-cluster')), test: render(join(k8s, 'test')) }
/** Whether an environment is production (namespace genejobs, at least two API pods). */
const isProd = (envName: string) => envName.startsWith('prod')
const find = (objects: K8sObject[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name)
  if (found === undefined) throw new Error(`no ${kind}/${name}`)
  return found
}
const podSpecs = (objects: K8sObject[]) => objects.filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind))
  .map((o) => ({ owner: o, labels: o.spec.template.metadata?.labels ?? {}, spec: o.spec.template.spec }))
const container = (objects: K8sObject[], name: string) => find(objects, 'Deployment', name).spec.template.spec.containers[0]

/** The environment a container gets: its ConfigMaps, then its env (secrets filled with placeholders). */
function containerEnv (objects: K8sObject[], c: any): Record<string, string> {
  const env: Record<string, string> = {}
  for (const from of c.envFrom ?? []) Object.assign(env, find(objects, 'ConfigMap', from.configMapRef.name).data)
  for (const { name, value, valueFrom } of c.env ?? []) {
    env[name] = value ?? SECRET_VALUES[valueFrom?.secretKeyRef?.key] ?? ''
  }
  return env
}

for (const [envName, objects] of Object.entries(environments)) {
  t.test(`${envName}: every object is valid against the Kubernetes and KEDA schemas`, async (t) => {
    t.ok(objects.length >= 10, `${objects.length} objects`)
    for (const object of objects) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`]
      t.ok(Model, `${object.apiVersion} ${object.kind} is a known kind`)
      if (Model !== undefined) t.doesNotThrow(() => { new Model(object).validate() }, `${object.kind}/${object.metadata.name}`)
      t.equal(object.metadata.namespace, isProd(envName) ? 'genejobs' : 'genejobs-test')
      t.equal(object.metadata.labels?.['app.kubernetes.io/name'], 'genejobs', `${object.kind}/${object.metadata.name} is labelled`)
    }
    const names = objects.map((o) => `${o.kind}/${o.metadata.name}`)
    t.same(names.filter((n, i) => names.indexOf(n) !== i), [], 'no duplicates')
  })

  t.test(`${envName}: secrets are referenced, never embedded; settings are the config schema's`, async (t) => {
    t.same(objects.filter((o) => o.kind === 'Secret'), [], 'no Secret objects')
    const configMap = find(objects, 'ConfigMap', 'genejobs-config')
    const known = Object.keys(EnvSchema.properties)
    for (const key of Object.keys(configMap.data)) {
      t.ok(known.includes(key), `ConfigMap ${key} is a setting`)
      t.notOk(SECRET_SETTINGS.includes(key), `${key} is not a secret`)
    }
    for (const { owner, spec } of podSpecs(objects)) {
      for (const c of spec.containers) {
        for (const entry of c.env ?? []) {
          if (SECRET_SETTINGS.includes(entry.name) || entry.valueFrom?.secretKeyRef !== undefined) {
            const ref = entry.valueFrom?.secretKeyRef
            t.equal(entry.value, undefined, `${owner.metadata.name} ${entry.name} has no literal value`)
            t.ok(SECRETS[ref?.name]?.includes(ref?.key), `${owner.metadata.name} ${entry.name} comes from Secret ${String(ref?.name)} key ${String(ref?.key)}`)
          }
        }
      }
    }
    for (const name of ['genejobs-api', 'genejobs-worker']) {
      const env = containerEnv(objects, container(objects, name))
      for (const key of Object.keys(env)) t.ok(known.includes(key), `${name}: ${key} is a setting loadConfig reads`)
      t.doesNotThrow(() => loadConfig(env), `${name} gets a valid configuration`)
    }
  })

  t.test(`${envName}: images, commands and ports agree with the Dockerfile and compose.yaml`, async (t) => {
    const expose = Number(/^EXPOSE (\d+)$/m.exec(dockerfile)?.[1])
    for (const [name, service, entry] of [['genejobs-api', 'api', 'packages/api/dist/server.js'], ['genejobs-worker', 'worker', 'packages/worker/dist/main.js']] as const) {
      const c = container(objects, name)
      t.equal(c.image, compose.services[service]?.image, `${name} runs the image compose builds`)
      t.same(c.command, compose.services[service]?.command, `${name} runs what compose runs`)
      t.same(c.command, ['node', entry])
      t.ok(existsSync(join(root, entry)), `${entry} exists after pnpm build`)
    }
    const config = loadConfig(containerEnv(objects, container(objects, 'genejobs-api')))
    const api = container(objects, 'genejobs-api')
    t.equal(api.ports[0].containerPort, config.api.port, 'the API listens on PORT')
    t.equal(api.ports[0].containerPort, expose, 'the port the Dockerfile exposes')
    t.equal(config.api.host, '0.0.0.0', 'listens on every interface of the pod')
    const service = find(objects, 'Service', 'genejobs-api')
    t.equal(service.spec.ports[0].targetPort, api.ports[0].name)
    t.ok(selects({ matchLabels: service.spec.selector }, find(objects, 'Deployment', 'genejobs-api').spec.template.metadata.labels), 'the Service selects the API pods')
    const worker = container(objects, 'genejobs-worker')
    t.equal(worker.ports[0].containerPort, loadConfig(containerEnv(objects, worker)).worker.metricsPort, 'the worker serves metrics on METRICS_PORT')
    for (const name of ['genejobs-api', 'genejobs-worker']) {
      const template = find(objects, 'Deployment', name).spec.template
      const annotations = template.metadata.annotations ?? {}
      t.equal(annotations['prometheus.io/scrape'], 'true', `${name} is scraped`)
      t.equal(Number(annotations['prometheus.io/port']), template.spec.containers[0].ports[0].containerPort, `${name} is scraped on its port`)
      t.equal(annotations['prometheus.io/path'], '/metrics')
    }
  })

  t.test(`${envName}: probes, security, resources and shutdown`, async (t) => {
    const api = container(objects, 'genejobs-api')
    t.equal(api.readinessProbe.httpGet.path, '/health/ready')
    t.equal(api.livenessProbe.httpGet.path, '/health/live')
    t.equal(api.readinessProbe.httpGet.port, api.ports[0].name)
    const worker = container(objects, 'genejobs-worker')
    t.equal(worker.readinessProbe.httpGet.path, '/health')
    t.equal(worker.readinessProbe.httpGet.port, worker.ports[0].name)
    t.equal(worker.livenessProbe.tcpSocket.port, worker.ports[0].name)
    for (const { owner, spec } of podSpecs(objects)) {
      t.equal(spec.securityContext?.runAsNonRoot, true, `${owner.metadata.name}: runAsNonRoot`)
      t.equal(spec.automountServiceAccountToken, false, `${owner.metadata.name}: no service account token`)
      for (const c of spec.containers) {
        t.equal(c.securityContext?.readOnlyRootFilesystem, true, `${c.name}: read-only root filesystem`)
        t.equal(c.securityContext?.allowPrivilegeEscalation, false, `${c.name}: no privilege escalation`)
        t.same(c.securityContext?.capabilities?.drop, ['ALL'], `${c.name}: drops every capability`)
        t.ok(c.resources?.requests?.cpu && c.resources?.requests?.memory && c.resources?.limits?.cpu && c.resources?.limits?.memory, `${c.name}: requests and limits`)
      }
    }
    const workerDeployment = find(objects, 'Deployment', 'genejobs-worker')
    const { shutdownTimeoutMs } = loadConfig(containerEnv(objects, worker)).worker
    t.ok(workerDeployment.spec.template.spec.terminationGracePeriodSeconds * 1000 > shutdownTimeoutMs + 5000,
      `terminationGracePeriodSeconds (${String(workerDeployment.spec.template.spec.terminationGracePeriodSeconds)} s) leaves room after SHUTDOWN_TIMEOUT_MS (${shutdownTimeoutMs} ms)`)
    for (const name of ['genejobs-api', 'genejobs-worker']) {
      const pdb = find(objects, 'PodDisruptionBudget', name)
      t.ok(selects(pdb.spec.selector, find(objects, 'Deployment', name).spec.template.metadata.labels), `a PodDisruptionBudget covers ${name}`)
    }
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'genejobs-api')
    t.same(hpa.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: 'genejobs-api' })
    if (isProd(envName)) {
      t.ok(find(objects, 'Deployment', 'genejobs-api').spec.replicas >= 2, 'prod runs at least two API pods')
      t.ok(hpa.spec.minReplicas >= 2, 'and never scales below two')
      t.ok(find(objects, 'PodDisruptionBudget', 'genejobs-api').spec.minAvailable >= 1, 'a drain keeps one API pod up')
    }
  })

  t.test(`${envName}: KEDA scales the workers on the pending list's length, key from keys.ts`, async (t) => {
    const scaled = find(objects, 'ScaledObject', 'genejobs-worker')
    t.equal(scaled.spec.scaleTargetRef.name, 'genejobs-worker')
    find(objects, 'Deployment', scaled.spec.scaleTargetRef.name)
    const config = loadConfig(containerEnv(objects, container(objects, 'genejobs-worker')))
    const [trigger] = scaled.spec.triggers
    const onCluster = config.redis.clusterNodes !== undefined
    t.equal(trigger.type, onCluster ? 'redis-cluster' : 'redis', onCluster ? 'the pods use a Redis Cluster, so does KEDA' : 'one Redis')
    t.equal(trigger.metadata.listName, createKeys(config.keyPrefix).queue.pending, 'the list the queue keeps pending job ids in')
    t.equal(trigger.metadata.listName, '{genejobs}:queue:pending')
    t.equal(Number(trigger.metadata.databaseIndex ?? 0), config.databases.jobs, 'in the jobs database (REDIS_DB_JOBS; 0 on a cluster)')
    t.ok(Number(trigger.metadata.listLength) > 0)
    const auth = find(objects, 'TriggerAuthentication', trigger.authenticationRef.name)
    for (const ref of auth.spec.secretTargetRef) t.ok(SECRETS[ref.name]?.includes(ref.key), `KEDA reads ${String(ref.parameter)} from ${String(ref.name)}/${String(ref.key)}`)
    t.same(auth.spec.secretTargetRef.map((r: { parameter: string }) => r.parameter).sort(), onCluster ? ['addresses', 'password'] : ['host', 'password', 'port'])
    const podNodes = container(objects, 'genejobs-worker').env.find((e: { name: string }) => e.name === 'REDIS_CLUSTER_NODES')?.valueFrom.secretKeyRef
    if (onCluster) t.same(auth.spec.secretTargetRef.find((r: { parameter: string }) => r.parameter === 'addresses'), { parameter: 'addresses', name: podNodes.name, key: podNodes.key }, 'KEDA reads the nodes the pods use')
  })
}

t.test('test: its own append-only Redis, reached only by the API and the workers', async (t) => {
  const objects = environments.test
  const redis = find(objects, 'StatefulSet', 'genejobs-redis')
  const args = redis.spec.template.spec.containers[0].args.join(' ')
  t.match(args, /--appendonly yes/)
  t.match(args, /--requirepass \$\(REDIS_PASSWORD\)/, 'the password from the Secret, expanded by Kubernetes')
  t.equal(redis.spec.volumeClaimTemplates[0].metadata.name, redis.spec.template.spec.containers[0].volumeMounts[0].name)
  t.equal(redis.spec.template.spec.containers[0].volumeMounts[0].mountPath, '/data')
  const service = find(objects, 'Service', 'genejobs-redis')
  t.equal(service.spec.ports[0].port, 6379, 'the host and port the README tells you to put in Secret genejobs-redis')
  const policy = objects.find((o) => o.kind === 'NetworkPolicy' && selects(o.spec.podSelector, redis.spec.template.metadata.labels))
  t.ok(policy, 'a NetworkPolicy selects the Redis pod')
  t.same(policy?.spec.policyTypes, ['Ingress'])
  const allowed = podSpecs(objects).filter(({ labels }) => policy?.spec.ingress.some((rule: any) => rule.from.some((peer: any) => peer.podSelector !== undefined && selects(peer.podSelector, labels))))
  t.same(allowed.map(({ owner }) => owner.metadata.name).sort(), ['genejobs-api', 'genejobs-worker'], 'of the pods, only the API and the workers')
})

t.test('prod: no Redis of its own; pods other than the API and workers may only resolve names', async (t) => {
  for (const objects of [environments.prod, environments['prod-cluster']]) {
    t.same(objects.filter((o) => o.kind === 'StatefulSet'), [])
    const policy = find(objects, 'NetworkPolicy', 'genejobs-others-dns-only')
    for (const component of ['api', 'worker']) t.notOk(selects(policy.spec.podSelector, { 'app.kubernetes.io/name': 'genejobs', 'app.kubernetes.io/component': component }), `${component} is not restricted`)
    t.ok(selects(policy.spec.podSelector, { 'app.kubernetes.io/component': 'smoke-test' }), 'any other pod is')
    t.same(policy.spec.egress.flatMap((rule: any) => rule.ports.map((p: any) => p.port)), [53, 53])
  }
})

t.test('prod-cluster: the pods start from REDIS_CLUSTER_NODES, every store in database 0', async (t) => {
  const objects = environments['prod-cluster']
  for (const name of ['genejobs-api', 'genejobs-worker']) {
    const env = containerEnv(objects, container(objects, name))
    t.notOk('REDIS_HOST' in env || 'REDIS_PORT' in env, `${name}: no single-server address`)
    const config = loadConfig(env)
    t.same(config.redis.clusterNodes, [{ host: 'redis-0.example', port: 6379 }, { host: 'redis-1.example', port: 6379 }], `${name}: the nodes from the Secret`)
    t.same(config.databases, { genes: 0, jobs: 0 })
  }
})

t.test('every manifest file is rendered by some kustomization', async (t) => {
  for (const dir of ['base', 'prod', 'prod-cluster', 'test']) {
    const listed = (parse(readFileSync(join(k8s, dir, 'kustomization.yaml'), 'utf8')) as { resources: string[] }).resources
    for (const file of readdirSync(join(k8s, dir)).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')) t.ok(listed.includes(file), `${dir}/${file} is listed`)
  }
})

t.test('the Prometheus scrape jobs are the ones the Grafana dashboard selects', async (t) => {
  const scrape = parse(readFileSync(join(root, 'deploy/prometheus/genejobs-scrape.yaml'), 'utf8')) as { scrape_configs: Array<{ job_name: string, relabel_configs: Array<{ source_labels?: string[], regex?: string, action?: string }> }> }
  const dashboard = JSON.parse(readFileSync(join(root, 'deploy/grafana/genejobs.json'), 'utf8')) as { templating: { list: Array<{ name: string, query?: string }> } }
  const variable = (name: string) => dashboard.templating.list.find((v) => v.name === name)?.query
  t.same(scrape.scrape_configs.map((c) => c.job_name), [variable('api_job'), variable('worker_job')])
  for (const [job, component] of [['genejobs-api', 'api'], ['genejobs-worker', 'worker']]) {
    const keep = scrape.scrape_configs.find((c) => c.job_name === job)?.relabel_configs.find((r) => r.source_labels?.[0] === '__meta_kubernetes_pod_label_app_kubernetes_io_component')
    t.equal(keep?.regex, component, `${job} keeps the ${component} pods`)
  }
})
