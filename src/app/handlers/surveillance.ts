import type { NamespaceHandlers } from '../dispatch.ts';
import { addStarterPolicies, createPolicy, editPolicy, listPolicies } from '../../surveillance/policies.ts';
import { runPolicies } from '../../surveillance/run.ts';
import { dispositionAlert, listAlerts } from '../../surveillance/alerts.ts';

export const surveillanceHandlers: NamespaceHandlers<'surveillance'> = {
  'surveillance.policies': (ctx) => listPolicies(ctx.session()),
  'surveillance.createPolicy': (ctx, a) => createPolicy(ctx.session(), a),
  'surveillance.addStarter': (ctx) => addStarterPolicies(ctx.session()),
  'surveillance.editPolicy': (ctx, { policyId, ...changes }) => editPolicy(ctx.session(), policyId, changes),
  'surveillance.run': (ctx, a) => runPolicies(ctx.session(), a),
  'surveillance.alerts': (ctx, a) => listAlerts(ctx.session(), a),
  'surveillance.disposition': (ctx, a) => dispositionAlert(ctx.session(), a),
};
