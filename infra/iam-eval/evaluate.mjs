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
//
// Each request is validated with the library's runSimulation (policies, action, resource type, context keys), then
// authorized with its core engine on the context as given: runSimulation drops context keys whose variable part follows
// a colon (kms:EncryptionContext:<key>, which the vault key policy conditions on), so its own answer would deny every
// call that needs one. The engine is the one runSimulation and runUnsafeSimulation use (pinned by package-lock.json).
import { readFileSync, writeFileSync } from 'node:fs'
import { loadPolicy } from '@cloud-copilot/iam-policy'
import { runSimulation } from '@cloud-copilot/iam-simulate'
import { authorize } from './node_modules/@cloud-copilot/iam-simulate/dist/esm/core_engine/CoreSimulatorEngine.js'
import { DiscoveryContextKeyConstraints } from './node_modules/@cloud-copilot/iam-simulate/dist/esm/context_keys/discoveryContextKeyConstraints.js'
import { AwsRequestImpl } from './node_modules/@cloud-copilot/iam-simulate/dist/esm/request/request.js'
import { RequestContextImpl } from './node_modules/@cloud-copilot/iam-simulate/dist/esm/requestContext.js'

function authorizeAsGiven(simulation) {
  const request = new AwsRequestImpl(
    simulation.request.principal,
    { resource: simulation.request.resource.resource, accountId: simulation.request.resource.accountId },
    simulation.request.action,
    new RequestContextImpl(simulation.request.contextVariables)
  )
  return authorize({
    request,
    sessionPolicy: undefined,
    identityPolicies: simulation.identityPolicies.map((p) => loadPolicy(p.policy, { name: p.name })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: simulation.resourcePolicy
      ? loadPolicy(simulation.resourcePolicy, { name: 'ResourcePolicy' })
      : undefined,
    permissionBoundaries: simulation.permissionBoundaryPolicies?.map((p) => loadPolicy(p.policy, { name: p.name })),
    vpcEndpointPolicies: undefined,
    simulationParameters: {
      simulationMode: 'Strict',
      discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([])
    },
    serviceSettings: { s3: {} }
  })
}

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
  const analysis = authorizeAsGiven(simulation)
  results.push({
    id,
    result: analysis.result,
    allows: statements(analysis.identityAnalysis?.allowStatements),
    denies: [
      ...statements(analysis.identityAnalysis?.denyStatements),
      ...statements(analysis.permissionBoundaryAnalysis?.denyStatements),
      ...statements(analysis.resourceAnalysis?.denyStatements)
    ]
  })
}
writeFileSync(output, JSON.stringify(results))
