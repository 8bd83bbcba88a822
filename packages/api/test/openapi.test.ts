// The OpenAPI document: valid OpenAPI 3.1, every route of the app in it with every status, the
// admin scheme exactly where the admin hook runs, request body examples that the API accepts; and
// the docs page: served from this origin only, under its own CSP, while the API keeps its own.
import t from 'tap'
import { Validator } from '@seriousme/openapi-schema-validator'
import { parse as parseYaml } from 'yaml'
import type { OpenAPIV3_1 as OpenApi } from 'openapi-types'
import { analysesByName } from '@genejobs/analyses'
import { DOCS_CSP, DOCS_PREFIX } from '../src/plugins/openapi.js'
import { buildTestApp } from './helper.js'
import { appRoutes, Conformance, openapiPath } from './openapi-conformance.js'

const TOKEN = 'openapi-test-admin-token'
const { app } = await buildTestApp(t, { API_ADMIN_TOKEN: TOKEN })
const served = await app.inject({ method: 'GET', url: '/openapi.json' })
const document = served.json() as OpenApi.Document
const conformance = new Conformance(app, document)

t.test('GET /openapi.json is a valid OpenAPI 3.1 document, and GET /openapi.yaml the same in YAML', async (t) => {
  t.equal(served.statusCode, 200)
  t.equal(served.headers['content-type'], 'application/json; charset=utf-8')
  const validator = new Validator()
  const result = await validator.validate(document)
  t.ok(result.valid, `valid OpenAPI: ${JSON.stringify(result.errors ?? []).slice(0, 2000)}`)
  t.equal(validator.version, '3.1')
  t.equal(document.info.title, 'genejobs API')

  const yaml = await app.inject({ method: 'GET', url: '/openapi.yaml' })
  t.equal(yaml.statusCode, 200)
  t.equal(yaml.headers['content-type'], 'application/yaml; charset=utf-8')
  t.same(parseYaml(yaml.body), document, 'the YAML says the same as the JSON')
})

t.test('every route the app registers is in the document, with every status and its schema', async (t) => {
  const routes = appRoutes(app)
  t.ok(routes.includes('GET /health') && routes.includes('POST /jobs'), `routes read from the app: ${routes.join(', ')}`)
  let documented = 0
  for (const route of routes) {
    const [method = '', path = ''] = route.split(' ')
    if (path === DOCS_PREFIX || path.startsWith(`${DOCS_PREFIX}/`)) {
      // Swagger UI's page and files: hidden from the document, which describes the API.
      t.notOk(document.paths?.[openapiPath(path)], `${route} (the docs UI) is not an API operation`)
      continue
    }
    const operation = document.paths?.[openapiPath(path)]?.[method.toLowerCase() as OpenApi.HttpMethods]
    t.ok(operation, `${route} is in the document`)
    if (operation === undefined) continue
    documented++
    t.ok(operation.summary, `${route} has a summary`)
    const statuses = Object.keys(operation.responses ?? {})
    t.ok(statuses.some((status) => status.startsWith('2')), `${route} declares its success`)
    for (const status of ['415', '500', '503']) t.ok(statuses.includes(status), `${route} declares ${status}`)
    if (path.includes(':')) t.ok(statuses.includes('414'), `${route} declares 414 (a path parameter too long)`)
    for (const [status, response] of Object.entries(operation.responses ?? {}) as Array<[string, OpenApi.ResponseObject]>) {
      const schemas = Object.values(response.content ?? {}).map((media) => media.schema)
      t.ok(schemas.length > 0 && schemas.every((schema) => schema !== undefined), `${route} ${status} has a schema`)
      t.not(response.description, 'Default Response', `${route} ${status} is described`)
      if (Number(status) >= 400) t.same(response.content?.['application/json']?.schema, { $ref: '#/components/schemas/ErrorResponse' }, `${route} ${status} is the one error shape`)
    }
  }
  const operations = Object.values(document.paths ?? {}).flatMap((item) => Object.keys(item ?? {}))
  t.equal(operations.length, documented, 'and the document has no operation the app lacks')
})

t.test('the Bearer scheme is on exactly the routes that refuse a request without the admin token', async (t) => {
  t.same(document.components?.securitySchemes?.['adminToken'], {
    type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API_ADMIN_TOKEN>. Without API_ADMIN_TOKEN set, admin routes are allowed only from loopback.'
  })
  const secured: string[] = []
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item ?? {}) as Array<[string, OpenApi.OperationObject]>) {
      const url = path.replace('{hgnc_id}', 'HGNC:5').replace('{symbol}', 'A1BG').replace('{field}', 'symbol').replace('{value}', 'A1BG')
        .replace('{id}', '00000000-0000-4000-8000-000000000000')
      // No body: an admin route refuses in onRequest, before a body would be read.
      const res = await conformance.check(t, { method: method.toUpperCase() as 'GET', url })
      const refused = res.statusCode === 401
      t.equal(operation.security !== undefined, refused, `${method.toUpperCase()} ${path}: security ${operation.security !== undefined ? 'declared' : 'absent'}, answered ${res.statusCode}`)
      if (operation.security !== undefined) {
        t.same(operation.security, [{ adminToken: [] }])
        t.ok(operation.responses?.['401'] !== undefined && operation.responses['403'] !== undefined, 'and declares 401 and 403')
        secured.push(`${method.toUpperCase()} ${path}`)
      }
    }
  }
  t.same(secured.sort(), ['DELETE /data', 'POST /data', 'POST /jobs/{id}/retry'])
})

t.test('every request body has examples, each valid against its schema and accepted by the API', async (t) => {
  t.equal((await app.inject({ method: 'POST', url: '/data', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 201)
  const withBody = Object.entries(document.paths ?? {}).flatMap(([path, item]) => Object.entries(item ?? {})
    .filter(([, operation]) => (operation as OpenApi.OperationObject).requestBody !== undefined)
    .map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, body: (operation as OpenApi.OperationObject).requestBody as OpenApi.RequestBodyObject })))
  t.same(withBody.map(({ route }) => route), ['POST /jobs'], 'the routes that take a body')
  for (const { route, body } of withBody) {
    const media = body.content['application/json']
    const examples = Object.entries((media?.examples ?? {}) as Record<string, OpenApi.ExampleObject>)
    t.ok(examples.length > 0, `${route} has examples`)
    const schema = media?.schema as { oneOf?: unknown[] }
    if (route === 'POST /jobs') t.equal(examples.length, schema.oneOf?.length, 'one example per analysis, and one request schema each (oneOf)')
    for (const [name, example] of examples) {
      const { valid, errors } = conformance.matches(schema, example.value)
      t.ok(valid, `${route} example ${name} matches the body schema ${errors}`)
      const [method = 'POST', url = '/'] = route.split(' ')
      const res = await conformance.check(t, { method: method as 'POST', url, payload: example.value as object })
      t.equal(res.statusCode, 201, `${route} example ${name} is accepted: ${res.body.slice(0, 200)}`)
    }
  }
})

t.test('POST /jobs documents oneOf the analyses the deployment accepts, from the registry', async (t) => {
  const namesIn = (doc: OpenApi.Document) => {
    const body = doc.paths?.['/jobs']?.post?.requestBody as OpenApi.RequestBodyObject
    const schema = body.content['application/json']?.schema as { oneOf: Array<{ properties: { analysis: { enum?: string[], const?: string } } }> }
    return schema.oneOf.map((request) => request.properties.analysis.const ?? request.properties.analysis.enum?.[0])
  }
  t.same(namesIn(document), [...analysesByName(false).keys()])
  const { app: withTests } = await buildTestApp(t, { ENABLE_TEST_ANALYSES: 'true' })
  const names = namesIn((await withTests.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApi.Document)
  t.same(names, [...analysesByName(true).keys()], 'with ENABLE_TEST_ANALYSES=true, the test analyses too')
  t.ok(names.includes('test-sleep'))
})

t.test('GET /docs: Swagger UI, every asset from this origin, under a CSP of its own', async (t) => {
  const page = await app.inject({ method: 'GET', url: DOCS_PREFIX })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  t.equal(page.headers['content-security-policy'], DOCS_CSP)
  t.match(page.body, '<div id="swagger-ui"></div>')
  t.notMatch(page.body, /(src|href)="(https?:)?\/\//, 'no asset from another origin')
  t.notMatch(page.body, /<script>|<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script')
  const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '')
  t.ok(assets.length >= 5, `assets: ${assets.join(', ')}`)
  for (const asset of assets) {
    const res = await app.inject({ method: 'GET', url: asset })
    t.equal(res.statusCode, 200, `${asset} is served here`)
    t.equal(res.headers['content-security-policy'], DOCS_CSP, `${asset} carries the docs CSP`)
    t.notMatch(res.body, /https?:\/\/(?!www\.w3\.org|swagger\.io|github\.com)[a-z0-9.-]+\/[^"'\s]*\.(js|css)\b/i, `${asset} loads no script or style from elsewhere`)
  }
  const initializer = await app.inject({ method: 'GET', url: `${DOCS_PREFIX}/static/swagger-initializer.js` })
  t.match(initializer.body, 'validatorUrl: null', 'the online validator badge (an outside request) is off')
  t.match(initializer.body, 'resolveUrl(\'./json\')', 'the UI reads the document from this origin')
  t.same((await app.inject({ method: 'GET', url: `${DOCS_PREFIX}/json` })).json(), document, `${DOCS_PREFIX}/json is the same document`)
})

t.test('the API keeps its own CSP: the docs allowances stay under /docs', async (t) => {
  for (const url of ['/health', '/openapi.json', '/openapi.yaml', '/genes/HGNC:5', '/nowhere', '/docsx']) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.headers['content-security-policy'], "default-src 'none';frame-ancestors 'none'", url)
  }
})
