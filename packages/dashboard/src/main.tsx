import { render } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import './style.css'
import { href, useRoute } from './router.js'
import { GenePage, GenesPage } from './pages/genes.js'
import { AnalysesPage } from './pages/analyses.js'
import { JobPage, JobsPage } from './pages/jobs.js'
import { StatusPage } from './pages/status.js'

const SECTIONS = [
  { route: 'genes', label: 'Genes' },
  { route: 'analyses', label: 'Analyses' },
  { route: 'jobs', label: 'Jobs' },
  { route: 'status', label: 'Status' }
] as const

function Page ({ route }: { route: string[] }) {
  const [section = 'genes', id] = route
  if (section === 'genes') return id === undefined ? <GenesPage /> : <GenePage id={id} />
  if (section === 'analyses') return <AnalysesPage selected={id} />
  if (section === 'jobs') return id === undefined ? <JobsPage /> : <JobPage id={id} />
  if (section === 'status') return <StatusPage />
  return <section><h1>Not found</h1><p>There is no page <code>{location.hash}</code>. <a href={href('genes')}>Search genes</a>.</p></section>
}

function App () {
  const route = useRoute()
  const main = useRef<HTMLElement>(null)
  const section = route[0] ?? 'genes'
  const key = route.join('/')
  // After a route change, keyboard and screen-reader users start at the new page's heading.
  const first = useRef(true)
  useEffect(() => {
    if (first.current) { first.current = false; return }
    main.current?.querySelector<HTMLElement>('h1')?.focus()
  }, [key])
  return (
    <>
      <a class='skip' href='#main' onClick={(event) => { event.preventDefault(); main.current?.querySelector<HTMLElement>('h1')?.focus() }}>Skip to content</a>
      <header>
        <a class='brand' href={href('genes')}>genejobs</a>
        <nav aria-label='Sections'>
          <ul>
            {SECTIONS.map((item) => (
              <li key={item.route}><a href={href(item.route)} aria-current={section === item.route ? 'page' : undefined}>{item.label}</a></li>
            ))}
          </ul>
        </nav>
      </header>
      <main id='main' ref={main}><Page key={key} route={route} /></main>
      <footer><a href='/docs'>API docs</a> · <a href='/openapi.json'>OpenAPI</a> · <a href='/health'>Health</a></footer>
    </>
  )
}

const root = document.getElementById('app')
if (root !== null) render(<App />, root)
