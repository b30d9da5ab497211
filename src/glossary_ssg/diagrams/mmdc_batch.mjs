// Renders many Mermaid diagrams with the official mermaid-cli in one browser.
// Usage: node mmdc_batch.mjs NODE_MODULES_DIR < jobs.json
// jobs.json: {"jobs": [{"source": "...", "theme": "default"}], "config": {...}, "executablePath": "..."}
// Writes one JSON line per job, in order: {"svg": "..."} or {"error": "..."}.
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const modules = process.argv[2]
const require = createRequire(path.join(modules, 'noop.js'))
const cliRoot = path.join(modules, '@mermaid-js', 'mermaid-cli')
const cliPackage = JSON.parse(readFileSync(path.join(cliRoot, 'package.json'), 'utf8'))
const { renderMermaid } = await import(pathToFileURL(path.join(cliRoot, cliPackage.exports['.'].import.default)).href)
const puppeteer = require('puppeteer')

const input = JSON.parse(readFileSync(0, 'utf8'))
const browser = await puppeteer.launch({
  headless: true,
  executablePath: input.executablePath || undefined,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--no-first-run', '--disable-dev-shm-usage']
})
// renderMermaid opens a page per diagram and spends most of its time waiting on the browser, so a few
// pages render at once; answers are still written in job order.
const CONCURRENT_PAGES = 4
async function renderOne (job) {
  try {
    const { data } = await renderMermaid(browser, job.source, 'svg', {
      backgroundColor: 'transparent',
      mermaidConfig: { ...input.config, theme: job.theme },
      svgId: 'my-svg'
    })
    return { svg: new TextDecoder().decode(data) }
  } catch (error) {
    return { error: String(error && error.message ? error.message : error) }
  }
}
try {
  const answers = new Array(input.jobs.length)
  let next = 0
  let written = 0
  const flush = () => {
    while (written < answers.length && answers[written] !== undefined) {
      process.stdout.write(JSON.stringify(answers[written]) + '\n')
      written += 1
    }
  }
  const worker = async () => {
    while (next < input.jobs.length) {
      const index = next++
      answers[index] = await renderOne(input.jobs[index])
      flush()
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_PAGES, input.jobs.length) }, worker))
} finally {
  await browser.close()
}
