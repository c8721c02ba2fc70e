// Evaluates IAM requests with @cloud-copilot/iam-simulate (AWS's policy logic: identity policies, permissions
// boundaries, resource policies such as bucket and key policies, conditions).
//
//   node evaluate.mjs IN.json OUT.json
//
// IN is a JSON array of {id, simulation} (the library's Simulation object); OUT is a JSON array of
// {id, result, errors, allows: [{policy, sid, actions}], denies: [{policy, sid}]} where result is 'Allowed',
// 'ExplicitlyDenied', 'ImplicitlyDenied' or 'Error', allows are the identity statements that allowed the request
// (with the action patterns of theirs that matched) and denies the statements that denied it explicitly.
// infra's IamEvaluationTests writes IN from the rendered templates and the recorded calls, and reads OUT.
import { readFileSync, writeFileSync } from 'node:fs'
import { runSimulation } from '@cloud-copilot/iam-simulate'

const [input, output] = process.argv.slice(2)
if (!input || !output) {
  console.error('usage: node evaluate.mjs IN.json OUT.json')
  process.exit(2)
}

const list = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value])

const statements = (analyses) =>
  list(analyses).map((s) => ({
    policy: s.policyId,
    sid: s.statement?.Sid ?? s.explain?.identifier,
    actions: list(s.explain?.actions)
      .filter((a) => a.matches)
      .map((a) => a.action)
  }))

const requests = JSON.parse(readFileSync(input, 'utf8'))
const results = []
for (const { id, simulation } of requests) {
  const response = await runSimulation(simulation, { simulationMode: 'Strict' })
  if (response.resultType === 'error') {
    results.push({ id, result: 'Error', errors: response.errors, allows: [], denies: [] })
    continue
  }
  const result = response.resultType === 'single' ? response.result : response.results[0]
  const analysis = result?.analysis ?? {}
  results.push({
    id,
    result: response.overallResult,
    allows: statements(analysis.identityAnalysis?.allowStatements),
    denies: [
      ...statements(analysis.identityAnalysis?.denyStatements),
      ...statements(analysis.permissionBoundaryAnalysis?.denyStatements),
      ...statements(analysis.resourceAnalysis?.denyStatements)
    ]
  })
}
writeFileSync(output, JSON.stringify(results))
